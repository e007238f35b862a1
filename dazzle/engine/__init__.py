"""The build engine: generators and hooks as incremental doit tasks.

- ``dodo_namespace(project_dir, ...)``: the task creators and ``DOIT_CONFIG`` of a project, for
  ``dodo.py`` (``globals().update(dodo_namespace(...))``) or doit's ``ModuleTaskLoader``;
- ``run_doit(project_dir, args, ...)``: run doit (``build``, ``list``, ``clean``…) in-process on
  those tasks; returns doit's exit code;
- ``last_run(state_dir)``: what the last build executed (``.dazzle/last_run.json``).

Sub-modules, one job each: ``paths`` (every path), ``artifacts`` (versioned pickle envelopes),
``outputs`` (writing outputs, manifests, conflicts), ``index`` and ``slices``, ``parse`` and
``link`` (their tasks' actions), ``generate``, ``hooks``, ``clean``, ``state``, ``report`` (the
reporter), ``plan`` (what task creation needs, and the plan cache of no-op builds), ``actions``
(what doit calls) and ``tasks`` (the task dicts). Atomic writes are ``dazzle.util.files``'.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dazzle.engine.paths import Layout
from dazzle.util.files import read_json


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def dodo_namespace(
    project_dir: Path,
    output_dir: Path | None = None,
    state_dir: Path | None = None,
    force: bool | None = None,
    provision: bool | None = None,
    allow_data_loss: bool | None = None,
) -> dict:
    """Task creators + DOIT_CONFIG for the project in ``project_dir``. Output defaults to the
    configured ``[build] output``, state to ``<project>/.dazzle``; ``force``, ``provision``
    and ``allow_data_loss`` default to doit's command-line variables (``doit force=1 build``,
    ``doit allow_data_loss=1 build``)."""
    from doit import get_var

    from dazzle.engine.tasks import Engine, output_dir_for

    project_dir = Path(project_dir).resolve()
    output_dir = Path(output_dir) if output_dir is not None else output_dir_for(project_dir)
    state_dir = Path(state_dir) if state_dir is not None else project_dir / ".dazzle"
    if force is None:
        force = _flag(get_var("force", "0"))
    if provision is None:
        provision = _flag(get_var("provision", "0"))
    if allow_data_loss is None:
        allow_data_loss = _flag(get_var("allow_data_loss", "0"))
    layout = Layout.create(project_dir, output_dir, state_dir)
    return Engine(layout, force=force, provision=provision, allow_data_loss=allow_data_loss).namespace()


def run_doit(
    project_dir: Path, args: list[str], *, namespace: dict | None = None, wait: bool = True, **options
) -> int:
    """Run doit with ``args`` (e.g. ``["build"]``) on the project's tasks, in this process,
    holding the project's build lock for the whole run (``wait=False``: raise
    ``lock.BuildLocked`` instead of waiting for another build). Returns doit's exit code
    (``info`` returns 1 for a task that is not up to date)."""
    from doit.cmd_base import ModuleTaskLoader
    from doit.doit_cmd import DoitMain

    from dazzle.engine import lock

    if namespace is None:
        namespace = dodo_namespace(project_dir, **options)
    # doit binds its default output stream when first imported; report to today's sys.stdout
    namespace = {**namespace, "DOIT_CONFIG": {**namespace["DOIT_CONFIG"], "outfile": sys.stdout}}
    state_dir = namespace["DAZZLE_ENGINE"].layout.state_dir
    lock.acquire(state_dir, wait=wait, out=sys.stdout)
    try:
        main = DoitMain(ModuleTaskLoader(namespace), config_filenames=())
        return int(main.run(list(args)) or 0)  # some doit commands (clean) return None
    finally:
        lock.release(state_dir)


def last_run(state_dir: Path) -> dict:
    return read_json(Path(state_dir) / "last_run.json", {}) or {}
