"""The ``dazzle`` command line: ``dazzle check`` and ``--version`` here; the build commands
(build, list, clean, watch, init) come from ``dazzle.commands`` when it is installed.

A mistake in the user's project never ends in a traceback: ``ProjectError`` (and a broken
plugin's ``PluginError``) are rendered and turned into exit status 1. Usage errors exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import dazzle


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def summary(spec) -> str:
    """``helpdesk: 3 modules, 4 entities, ... — OK``"""
    parts = [
        _count(len(spec.modules), "module"),
        _count(len(spec.entities), "entity", "entities"),
        _count(len(spec.surfaces), "surface"),
        _count(len(spec.experiences), "experience"),
        _count(len(spec.services), "service"),
        _count(len(spec.foreign_models), "foreign model"),
        _count(len(spec.integrations), "integration"),
    ]
    return f"{spec.name}: {', '.join(parts)} — OK"


def check(args: argparse.Namespace) -> int:
    from dazzle.frontend import load_project

    project_dir = Path(args.project_dir)
    if project_dir.name == "dazzle.toml" and project_dir.is_file():
        project_dir = project_dir.parent  # `dazzle check path/to/dazzle.toml` means its project
    spec, warnings = load_project(project_dir)
    for warning in warnings:
        print(warning.render(project_dir))
        print()
    print(summary(spec))
    return 0


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(
        prog="dazzle",
        description="Turn a DAZZLE spec (dazzle.toml + dsl/*.dsl) into a complete web application.",
    )
    parser.add_argument("--version", action="version", version=f"dazzle {dazzle.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    check_parser = subparsers.add_parser("check", help="parse, link and validate a project; build nothing")
    check_parser.add_argument("project_dir", nargs="?", default=".", metavar="PROJECT_DIR")
    check_parser.set_defaults(func=check)
    try:
        from dazzle import commands
    except ModuleNotFoundError as exc:
        if exc.name != "dazzle.commands":
            raise
    else:
        commands.register(subparsers)
    return parser, subparsers


def _utf8_streams() -> None:
    # Messages quote the user's source, which may hold any character; a non-UTF-8 console
    # must not turn that into a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    parser, _ = build_parser()
    args = parser.parse_args(argv)
    # Imported after parsing the arguments: `--version` and usage errors need no pydantic.
    from dazzle.errors import ProjectError
    from dazzle.registry import PluginError

    try:
        status = args.func(args)
    except ProjectError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    except PluginError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())
