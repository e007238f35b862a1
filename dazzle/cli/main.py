"""The ``dazzle`` command line: the parser of every command (one module each: ``check``,
``build`` with ``list`` and ``clean``, ``status`` with ``diff``, ``watch``, ``dev``, ``init``) and
``main``.

A mistake in the user's project never ends in a traceback: ``ProjectError`` (and a broken
plugin's ``PluginError``) are rendered and turned into exit status 1. Usage errors exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import dazzle
from dazzle.cli import build, check, dev, init, status, watch

COMMANDS = (check, build, status, watch, dev, init)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dazzle",
        description="Turn a DAZZLE spec (dazzle.toml + dsl/*.dsl) into a complete web application.",
    )
    parser.add_argument("--version", action="version", version=f"dazzle {dazzle.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for command in COMMANDS:
        command.register(subparsers)
    return parser


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
    args = build_parser().parse_args(argv)
    # Imported after parsing the arguments: `--version` and usage errors need no pydantic.
    from dazzle.ir.diagnostics import ProjectError
    from dazzle.plugins.registry import PluginError

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
