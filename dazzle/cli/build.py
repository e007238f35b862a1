"""``dazzle build``, ``dazzle list`` and ``dazzle clean``: the doit tasks of ``dodo.py``, driven
through doit's API (``dazzle.engine.run_doit``), so ``dazzle build`` and ``doit build`` are one
and the same build."""

from __future__ import annotations

import sys

from dazzle.cli.args import add_project_arg, project_folder


def register(subparsers) -> None:
    build = subparsers.add_parser("build", help="build the project incrementally (doit build)")
    add_project_arg(build)
    build.add_argument("--force", action="store_true", help="overwrite generated files you edited")
    build.add_argument("--provision", action="store_true", help="also run the opt-in `provision` hook")
    build.add_argument(
        "--allow-data-loss",
        action="store_true",
        help="let through a change that drops stored data (a removed field or entity, a rename without `was`)",
    )
    build.add_argument(
        "--no-wait",
        action="store_true",
        help="exit (status 2) instead of waiting when another build of the project runs",
    )
    build.add_argument("-n", "--jobs", type=int, default=0, help="run tasks in N processes")
    build.set_defaults(func=cmd_build)

    listing = subparsers.add_parser("list", help="list the build tasks (doit list)")
    add_project_arg(listing)
    listing.add_argument("--all", action="store_true", help="also list every sub-task")
    listing.set_defaults(func=cmd_list)

    clean = subparsers.add_parser("clean", help="remove generated files and build state (doit clean)")
    add_project_arg(clean)
    clean.set_defaults(func=cmd_clean)


def cmd_build(args) -> int:
    from dazzle.engine import run_doit
    from dazzle.engine.lock import BuildLocked

    project = project_folder(args)
    if project is None:
        return 2
    doit_args = ["build"]
    if args.jobs:
        doit_args = ["-n", str(args.jobs), "-P", "process", "build"]
    try:
        return run_doit(
            project,
            doit_args,
            wait=not args.no_wait,
            force=args.force,
            provision=args.provision,
            allow_data_loss=args.allow_data_loss,
        )
    except BuildLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def cmd_list(args) -> int:
    from dazzle.engine import run_doit

    project = project_folder(args)
    if project is None:
        return 2
    return run_doit(project, ["list", "--all"] if args.all else ["list"])


def cmd_clean(args) -> int:
    from dazzle.engine import run_doit

    project = project_folder(args)
    if project is None:
        return 2
    return run_doit(project, ["clean"])
