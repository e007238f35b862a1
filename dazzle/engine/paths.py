"""Where a build keeps things: the project, its output folder and its state folder (``.dazzle/``).

Every path the engine touches is computed here, so the stages agree without passing strings
around. Task keys (``<stack>/<generator>[/<item>]``, ``_hooks/<hook>``) name one generate or
hook task; its slice, artifact pickle and manifest all live under that key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOOK_PREFIX = "_hooks"


def generator_key(stack: str, generator: str, item: str | None = None) -> str:
    return f"{stack}/{generator}" if item is None else f"{stack}/{generator}/{item}"


def hook_key(hook: str) -> str:
    return f"{HOOK_PREFIX}/{hook}"


def task_name_of(key: str) -> str:
    """``django/models/Customer`` → ``generate:django:models:Customer``; hooks keep their phase
    name elsewhere, so this is for generator keys only."""
    return "generate:" + key.replace("/", ":")


@dataclass(frozen=True)
class Layout:
    project_dir: Path
    output_dir: Path
    state_dir: Path

    @classmethod
    def create(cls, project_dir: Path, output_dir: Path, state_dir: Path) -> Layout:
        return cls(Path(project_dir).resolve(), Path(output_dir).resolve(), Path(state_dir).resolve())

    # ---- inputs
    @property
    def config_file(self) -> Path:
        return self.project_dir / "dazzle.toml"

    def dsl_file(self, relpath: str) -> Path:
        return self.project_dir / relpath

    # ---- state
    @property
    def dep_file(self) -> Path:
        return self.state_dir / "doit.sqlite3"

    def module_pickle(self, relpath: str) -> Path:
        return self.state_dir / "modules" / f"{relpath}.pickle"

    @property
    def ir_pickle(self) -> Path:
        return self.state_dir / "ir.pickle"

    @property
    def spec_json(self) -> Path:
        """The linked spec as JSON (locations left out): what hooks needing the spec
        depend on, so that a comment edit does not re-run them."""
        return self.state_dir / "spec.json"

    @property
    def slices_dir(self) -> Path:
        return self.state_dir / "slices"

    @property
    def slice_index(self) -> Path:
        return self.state_dir / "slices.index.json"

    def slice_file(self, key: str) -> Path:
        return self.slices_dir / f"{key}.json"

    def artifact_file(self, key: str) -> Path:
        return self.state_dir / "artifacts" / f"{key}.pickle"

    def manifest_file(self, key: str) -> Path:
        return self.state_dir / "manifest" / f"{key}.json"

    @property
    def manifest_dir(self) -> Path:
        return self.state_dir / "manifest"

    @property
    def outputs_index(self) -> Path:
        """Task name → the output files it wrote last (the targets of generate tasks)."""
        return self.state_dir / "outputs.json"

    @property
    def plan_file(self) -> Path:
        """The task creators' facts, cached for no-op builds (see ``plan``)."""
        return self.state_dir / "plan.json"

    @property
    def outputs_changed(self) -> Path:
        """Rewritten whenever a task changes the output folder."""
        return self.state_dir / "outputs.changed"

    @property
    def version_stamp(self) -> Path:
        """Holds the dazzle version: a file_dep of every generate task, so an upgrade re-runs
        them (cheaper for doit than a ``config_changed`` per task)."""
        return self.state_dir / "dazzle.version"

    def code_stamp(self, stack: str, generator: str) -> Path:
        """The hashes of a per-item generator's templates and sources, in one file: a file_dep of
        each of its tasks in their stead (a per-entity generator has hundreds of tasks, and doit
        would check every one of those files for every task)."""
        return self.state_dir / "code" / stack / f"{generator}.json"

    @property
    def last_run(self) -> Path:
        return self.state_dir / "last_run.json"

    @property
    def running_marker(self) -> Path:
        return self.state_dir / "running"

    def output_file(self, relpath: str) -> Path:
        return self.output_dir / relpath

    def to_meta(self) -> dict:
        return {
            "project": str(self.project_dir),
            "output": str(self.output_dir),
            "state": str(self.state_dir),
        }

    @classmethod
    def from_meta(cls, meta: dict) -> Layout:
        return cls(Path(meta["project"]), Path(meta["output"]), Path(meta["state"]))


def relative_to_output(layout: Layout, path: Path) -> str:
    return Path(os.path.relpath(path, layout.output_dir)).as_posix()
