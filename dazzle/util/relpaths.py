"""Where a generated file may go: the one rule the build and ``dazzle.testing`` apply to every
path a generator returns."""

from __future__ import annotations

from pathlib import PurePosixPath


class OutputPathError(ValueError):
    """A plugin asked to write outside the output folder (or one path twice)."""


def checked_path(relpath: str) -> str:
    """``relpath`` in posix form if it may be a generated file: relative to the output folder,
    with ``/``, without ``..``, outside ``.dazzle``/``.git``; else ``OutputPathError``."""
    parts = PurePosixPath(relpath).parts
    if not relpath or relpath.startswith("/") or "\\" in relpath or ".." in parts or not parts:
        raise OutputPathError(
            f"generated path {relpath!r} must be relative to the output folder, without '..'"
        )
    if any(part in (".dazzle", ".git") for part in parts) or "\0" in relpath:
        raise OutputPathError(f"generated path {relpath!r} is not a place for generated files")
    return PurePosixPath(relpath).as_posix()
