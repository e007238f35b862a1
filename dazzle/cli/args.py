"""What the commands that work on a project share: the ``PROJECT_DIR`` argument and its check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_project_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project_dir", nargs="?", default=".", type=Path, help="project folder (default: .)")


def project_folder(args) -> Path | None:
    """The project folder of the command, or None (with the reason printed) when it has no
    ``dazzle.toml``."""
    folder = Path(args.project_dir).resolve()
    if not (folder / "dazzle.toml").is_file():
        print(
            f"error: {folder} has no dazzle.toml (create a project with `dazzle init NAME`)", file=sys.stderr
        )
        return None
    return folder
