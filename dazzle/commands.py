"""The build commands of the ``dazzle`` CLI: ``build``, ``list``, ``clean``, ``watch``, ``init``.

``dazzle.cli`` calls ``register(subparsers)``; every command drives the same doit tasks as
``dodo.py`` does, through doit's API (``dazzle.engine.run_doit``), so ``dazzle build`` and
``doit build`` are one and the same build.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    """Add the build commands to the CLI's argparse sub-parsers. Each sets ``func`` (args → exit
    code)."""
    build = subparsers.add_parser("build", help="build the project incrementally (doit build)")
    _project_arg(build)
    build.add_argument("--force", action="store_true", help="overwrite generated files you edited")
    build.add_argument("--provision", action="store_true", help="also run the opt-in `provision` hook")
    build.add_argument("-n", "--jobs", type=int, default=0, help="run tasks in N processes")
    build.set_defaults(func=cmd_build)

    listing = subparsers.add_parser("list", help="list the build tasks (doit list)")
    _project_arg(listing)
    listing.add_argument("--all", action="store_true", help="also list every sub-task")
    listing.set_defaults(func=cmd_list)

    clean = subparsers.add_parser("clean", help="remove generated files and build state (doit clean)")
    _project_arg(clean)
    clean.set_defaults(func=cmd_clean)

    watch = subparsers.add_parser("watch", help="rebuild whenever the spec or a template changes")
    _project_arg(watch)
    watch.add_argument("--force", action="store_true", help="overwrite generated files you edited")
    watch.set_defaults(func=cmd_watch)

    init = subparsers.add_parser("init", help="create a new project folder, ready to build")
    init.add_argument("name", help="folder (and project) name")
    init.set_defaults(func=cmd_init)


def _project_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project_dir", nargs="?", default=".", type=Path, help="project folder (default: .)")


def _project(args) -> Path | None:
    folder = Path(args.project_dir).resolve()
    if not (folder / "dazzle.toml").is_file():
        print(
            f"error: {folder} has no dazzle.toml (create a project with `dazzle init NAME`)", file=sys.stderr
        )
        return None
    return folder


def cmd_build(args) -> int:
    from dazzle.engine import run_doit

    project = _project(args)
    if project is None:
        return 2
    doit_args = ["build"]
    if args.jobs:
        doit_args = ["-n", str(args.jobs), "-P", "process", "build"]
    return run_doit(project, doit_args, force=args.force, provision=args.provision)


def cmd_list(args) -> int:
    from dazzle.engine import run_doit

    project = _project(args)
    if project is None:
        return 2
    return run_doit(project, ["list", "--all"] if args.all else ["list"])


def cmd_clean(args) -> int:
    from dazzle.engine import run_doit

    project = _project(args)
    if project is None:
        return 2
    return run_doit(project, ["clean"])


def cmd_watch(args) -> int:
    from dazzle.watch import watch_project

    project = _project(args)
    if project is None:
        return 2
    return watch_project(project, force=args.force)


def cmd_init(args) -> int:
    from dazzle.scaffold import ScaffoldError, create_project

    try:
        folder = create_project(Path(args.name))
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"created {folder}\n  cd {args.name} && dazzle build   (or: doit build)")
    return 0
