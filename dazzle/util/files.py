"""Atomic, idempotent file writes: a temp file in the same folder, then ``os.replace``.

A write whose bytes equal the file's current bytes is skipped, so the file keeps its mtime and
doit's up-to-date check leaves everything downstream alone. A build killed at any moment leaves
the old file or the new one, never half a file; the only debris it can leave is a temp file
named ``.<name>.<pid>.dazzle-tmp``, which ``sweep_temp_files`` removes at the next build.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from dazzle.util.faults import checkpoint

TEMP_SUFFIX = ".dazzle-tmp"

# Folders of a generated project that hold no source: environments, caches, uploads.
NOT_SOURCE_FOLDERS = frozenset(
    {
        ".venv",
        "venv",
        "__pycache__",
        ".git",
        ".ruff_cache",
        ".pytest_cache",
        "node_modules",
        "media",
        "staticfiles",
    }
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_stamp(path: str | Path) -> list[int] | None:
    """``[mtime_ns, size]`` of a file, or None when it is missing: a cheap "has it changed"."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


def file_identity(path: str | Path) -> list[int] | None:
    """``[inode, mtime_ns, size]`` of a file, or None when it is missing: which version of a
    file written by ``write_atomic`` this is (each write renames a new file into place, so a new
    inode, whatever the clock's resolution). A list, so that it can be stored as JSON."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_mtime_ns, st.st_size]


def read_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def write_atomic(path: Path, data: bytes, executable: bool = False, mode: int | None = None) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly these bytes. True if written.

    The new file gets ``mode`` when given, else the permissions of the file it replaces (a
    rewrite must not widen a private file), else the umask's default."""
    current = read_bytes(path)
    if current == data:
        if executable:
            _make_executable(path)
        return False
    if mode is None and current is not None:
        mode = os.stat(path).st_mode & 0o7777
    temp = path.parent / f".{path.name}.{os.getpid()}{TEMP_SUFFIX}"
    try:
        try:
            handle = open(temp, "wb")
        except FileNotFoundError:  # the folder is new (made only then: a mkdir per write costs)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(temp, "wb")
        with handle:
            # No fsync: a killed process still leaves complete, buffered data to the kernel;
            # only a power cut could expose an empty file, and that costs too much per file.
            handle.write(data)
        if mode is not None:
            os.chmod(temp, mode)
        if executable:
            _make_executable(temp)
        checkpoint("write:temp")  # a kill here leaves the temp file (swept by the next build)
        os.replace(temp, path)
    except BaseException:
        try:
            temp.unlink()
        except OSError:
            pass
        raise
    return True


def _make_executable(path: Path) -> None:
    mode = os.stat(path).st_mode
    wanted = mode | ((mode & 0o444) >> 2)  # x wherever r is set
    if wanted != mode:
        os.chmod(path, wanted)


def remove_file(path: Path, stop_at: Path) -> bool:
    """Delete ``path`` and then its parent folders that became empty, up to ``stop_at``."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    folder = path.parent
    stop_at = stop_at.resolve()
    while folder != stop_at and stop_at in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent
    return True


def sweep_temp_files(*roots: Path) -> int:
    """Remove temp files left by a killed build under ``roots``. Returns how many."""
    removed = 0
    for root in roots:
        if not root.is_dir():
            continue
        for folder, _dirs, names in os.walk(root):
            for name in names:
                if name.endswith(TEMP_SUFFIX):
                    try:
                        os.unlink(os.path.join(folder, name))
                        removed += 1
                    except OSError:
                        pass
    return removed


_SHARED: dict[str, tuple] = {}  # path → (its identity, what it held)


def read_json_shared(path: Path, default=None):
    """``read_json``, parsed once per version of the file in a process (state files are
    replaced, never rewritten in place, so inode, mtime and size tell a version). The object is
    shared between callers: read it, never change it."""
    identity = file_identity(path)
    if identity is None:
        return default
    cached = _SHARED.get(str(path))
    if cached is not None and cached[0] == identity:
        return cached[1]
    data = read_json(path, default)
    _SHARED[str(path)] = (identity, data)
    return data


def read_json(path: Path, default=None):
    """A JSON file's content, or ``default`` when it is missing or unreadable (state files are
    rebuilt, never trusted blindly)."""
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read())
    except (OSError, ValueError):
        return default


def canonical_json(data) -> bytes:
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode(
        "utf-8"
    )


def model_json(model) -> bytes:
    """A pydantic model as JSON, by pydantic's serialiser: fields in declaration order and
    collections in the order the model holds them, so the same model always gives the same
    bytes — several times faster than ``canonical_json(model.model_dump(mode="json"))``."""
    return model.model_dump_json().encode("utf-8") + b"\n"
