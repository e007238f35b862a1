"""What the built-in hooks share: stamp files, write-once private files, walking the output.

A hook becomes a doit task whose up-to-date check is its ``inputs`` and ``targets``. A hook with
nothing natural to produce writes a small *stamp* under ``.dazzle/hook-stamps/`` so that it has a
target (a task without one would run on every build) and so that later hooks can depend on it:
doit runs the producer of a file before any task that lists the file as an input.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from dazzle.plugins import HookContext
from dazzle.util.files import NOT_SOURCE_FOLDERS, write_atomic

STAMP_FOLDER = "hook-stamps"


def stamp_path(ctx: HookContext, hook_name: str) -> Path:
    return ctx.state_dir / STAMP_FOLDER / f"{hook_name}.stamp"


def write_if_changed(path: Path, text: str, mode: int | None = None) -> bool:
    """Atomically write ``text``; leave the file (and its mtime) alone when it already holds it.
    Keeps the permissions of the file it replaces unless ``mode`` is given. True if written."""
    return write_atomic(path, text.encode("utf-8"), mode=mode)


def create_private_file(path: Path, text: str) -> bool:
    """Create ``path`` with mode 0600 holding ``text``, unless it exists. Returns True when created.

    The file is written under a temporary name and linked into place, so it appears complete
    or not at all, and an existing file is never replaced (``os.link`` fails if it exists)."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
    finally:
        Path(tmp).unlink(missing_ok=True)
    return True


def is_private(path: Path) -> bool:
    """Neither group nor others may read or write the file."""
    return path.stat().st_mode & 0o077 == 0


def hook_enabled(ctx: HookContext, name: str, opt_in: bool = False) -> bool:
    """Whether the build runs hook ``name``, by the same rule the engine applies
    (``dazzle.toml [hooks]`` and the ``--provision``-style options). A hook lists another hook's
    target as an input only when that hook runs: doit rejects an input that is neither a file
    nor the target of a task."""
    if name in ctx.config.hooks.disable:
        return False
    if opt_in:
        return name in ctx.config.hooks.enable or bool(ctx.options.get(name))
    return True


def existing(paths: Iterable[Path]) -> list[Path]:
    return [p for p in paths if p.is_file()]


def source_files(root: Path, suffix: str, skip: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Files ending in ``suffix`` under ``root``, sorted, pruning environments and caches (and
    any folder named in ``skip``) without descending into them."""
    pruned = NOT_SOURCE_FOLDERS | skip
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if d not in pruned and not d.startswith(".")]
        found.extend(Path(folder) / f for f in files if f.endswith(suffix))
    return iter(sorted(found))


def shown_path(path: Path) -> str:
    """``path`` as the user should type it: relative to the current folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)
