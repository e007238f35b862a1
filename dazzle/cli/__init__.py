"""The ``dazzle`` command line, one module per command (``main`` builds the parser and runs it)."""

from dazzle.cli.main import main

__all__ = ["main"]
