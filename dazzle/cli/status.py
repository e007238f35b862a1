"""``dazzle status [DIR]`` and ``dazzle diff FILE``: what you changed in the generated files,
which still have conflicts, and what the next build would change.

``status`` runs the build's tasks up to the merge (they touch only ``.dazzle/``; the next build
finds them done) and reports; it exits 1 when the spec has errors (shown) or conflicts remain.
``diff`` shows a generated file's changes since the build last wrote it (exit 0; 2 when the
file is not one the build generates).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dazzle.cli.args import add_project_arg, project_folder


def register(subparsers) -> None:
    status = subparsers.add_parser(
        "status", help="generated files you changed, unresolved conflicts, what the next build would change"
    )
    add_project_arg(status)
    status.set_defaults(func=cmd_status)

    diff = subparsers.add_parser(
        "diff", help="your changes to a generated file since the build last wrote it"
    )
    diff.add_argument("file", type=Path, help="a generated file (its path from here)")
    diff.add_argument(
        "--project", type=Path, default=None, help="the project folder (default: found from FILE)"
    )
    diff.set_defaults(func=cmd_diff)


def _listing(title: str, paths, layout) -> list[str]:
    from dazzle.engine.commit import shown

    return [title, *(f"  {shown(layout, rel)}" for rel in paths)] if paths else []


def cmd_status(args) -> int:
    from dazzle.engine.commit import shown
    from dazzle.engine.status import plan_next_build, project_status

    project = project_folder(args)
    if project is None:
        return 2
    layout, failure = plan_next_build(project)
    status = project_status(layout, failure)
    lines = _listing(
        "Generated files you changed (the build keeps and merges them; `dazzle diff FILE`):",
        status.edited,
        layout,
    )
    lines += _listing("Deleted generated files (the next build writes them again):", status.deleted, layout)
    lines += _listing("Unresolved conflicts (edit out the markers, then build):", status.conflicts, layout)
    if status.failure is not None:
        lines += ["The next build would fail:", status.failure.rstrip()]
    elif status.next_build:
        lines.append("The next build would:")
        lines += [f"  {what}: {shown(layout, rel)}" for what, rel in status.next_build]
    else:
        lines.append("The next build would change no generated file.")
    print("\n".join(lines))
    return 1 if status.failure is not None or status.conflicts else 0


def _project_of(file: Path) -> Path | None:
    for folder in [file.parent, *file.parents]:
        if (folder / "dazzle.toml").is_file():
            return folder
    return None


def cmd_diff(args) -> int:
    from dazzle.engine import dodo_namespace
    from dazzle.engine.paths import relative_to_output
    from dazzle.engine.status import diff_against_base

    file = Path(args.file).resolve()
    project = Path(args.project).resolve() if args.project else _project_of(file)
    if project is None or not (project / "dazzle.toml").is_file():
        print(
            f"error: {args.file} is in no DAZZLE project (no dazzle.toml above it; use --project DIR)",
            file=sys.stderr,
        )
        return 2
    layout = dodo_namespace(project)["DAZZLE_ENGINE"].layout
    rel = relative_to_output(layout, file)
    text = diff_against_base(layout, rel) if not rel.startswith("..") else None
    if text is None:
        print(
            f"error: {args.file} is not a file the build generates (in {layout.output_dir})", file=sys.stderr
        )
        return 2
    print(text or f"{args.file}: no changes since the build last wrote it", end="" if text else "\n")
    return 0
