"""One build of a project at a time: an exclusive ``flock`` on ``.dazzle/build.lock``.

The lock is held from before the first task runs until the build's summary: a second build
(``dazzle build``, ``doit build`` or a watch rebuild) waits for it, saying once who it waits
for, or — ``wait=False`` — gives up with ``BuildLocked``. The kernel drops the lock when the
holder dies, so a killed build never leaves a project locked. The file holds the holder's pid,
for the message only. A process that already holds its project's lock takes it again freely
(``dazzle build`` locks before handing over to doit, whose reporter locks too).
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

LOCK_FILE = "build.lock"


class BuildLocked(Exception):
    """Another process is building this project."""

    def __init__(self, pid: int | None):
        self.pid = pid
        who = f" (pid {pid})" if pid else ""
        super().__init__(f"another build of this project is running{who}")


_held: dict[str, tuple[int, int]] = {}  # lock path → (file descriptor, how many times taken)


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


def acquire(state_dir: Path, wait: bool = True, out=None) -> None:
    """Take the project's build lock (see the module's doc). Raises ``BuildLocked`` when
    ``wait`` is false and another process holds it."""
    path = str(Path(state_dir) / LOCK_FILE)
    held = _held.get(path)
    if held is not None:
        _held[path] = (held[0], held[1] + 1)
        return
    Path(state_dir).mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _holder(fd)
            if not wait:
                raise BuildLocked(pid) from None
            stream = out if out is not None else sys.stderr
            stream.write(f"waiting for {BuildLocked(pid)} to finish…\n")
            stream.flush()
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    _held[path] = (fd, 1)


def release(state_dir: Path) -> None:
    path = str(Path(state_dir) / LOCK_FILE)
    held = _held.get(path)
    if held is None:
        return
    fd, count = held
    if count > 1:
        _held[path] = (fd, count - 1)
        return
    del _held[path]
    try:
        os.ftruncate(fd, 0)
    except OSError:
        pass
    os.close(fd)  # closing the descriptor drops the flock


def holds(state_dir: Path) -> bool:
    return str(Path(state_dir) / LOCK_FILE) in _held
