"""Test helpers shared by the test modules: the examples, and writing generated files out (to
generate without doit, use ``dazzle.testing``)."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def write_tree(files: dict[str, bytes], out: Path) -> Path:
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out


def artifacts_read_by(gen, spec) -> dict[str, object]:
    """The artifacts ``gen`` reads, made from ``spec`` by their producers (and theirs): what the
    engine hands ``gen.generate`` in a build of ``spec``."""
    from dazzle.testing import run_stack

    runs = {run.generator.name: run for run in run_stack(spec, gen.stack, only=gen.reads)}
    return {name: runs[name].artifacts for name in gen.reads}


def with_stacks(toml: str, stacks: list[str]) -> str:
    """``dazzle.toml`` text with ``[build] stack`` set to ``stacks``, the rest as it was."""
    line = f"stack = {json.dumps(stacks)}"
    if "build" not in tomllib.loads(toml):
        changed = f"{toml.rstrip()}\n\n[build]\n{line}\n"
    elif "stack" in tomllib.loads(toml)["build"]:
        changed = re.sub(r"(?m)^stack\s*=.*$", line, toml)
    else:
        changed = re.sub(r"(?m)^\[build\][ \t]*$", f"[build]\n{line}", toml)
    assert tomllib.loads(changed)["build"]["stack"] == stacks, changed
    return changed


def example_copy(example: str, dest: Path, stacks: list[str] | None = None) -> Path:
    """``examples/<example>`` copied into ``dest`` (writable: the repository's copy may not
    be), with ``[build] stack`` set to ``stacks`` if given; the copy."""
    project = Path(shutil.copytree(EXAMPLES / example, dest / example))
    for path in (project, *project.rglob("*")):
        path.chmod(path.stat().st_mode | 0o200)
    if stacks is not None:
        toml = project / "dazzle.toml"
        toml.write_text(with_stacks(toml.read_text(), stacks))
    return project
