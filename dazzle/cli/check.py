"""``dazzle check [DIR]``: parse, link and validate a project; build nothing."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="parse, link and validate a project; build nothing")
    parser.add_argument("project_dir", nargs="?", default=".", metavar="PROJECT_DIR")
    parser.set_defaults(func=check)


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
    from dazzle.semantics.frontend import load_project

    project_dir = Path(args.project_dir)
    if project_dir.name == "dazzle.toml" and project_dir.is_file():
        project_dir = project_dir.parent  # `dazzle check path/to/dazzle.toml` means its project
    spec, warnings = load_project(project_dir)
    for warning in warnings:
        print(warning.render(project_dir))
        print()
    print(summary(spec))
    return 0
