"""Named points where a test may have the build killed or held (only the tests use them).

- ``DAZZLE_KILL_AT=<point>[#<n>]``: the n-th time (default the first) the process passes the
  point, it sends itself SIGKILL — to prove that a build killed at any of these moments leaves a
  state the next build repairs without taking its own writes for the user's edits;
- ``DAZZLE_PAUSE_AT=<point>=<path>``: at the point, the process writes ``<path>.paused`` (its
  pid) and waits until ``<path>.go`` exists — to hold a build at a known moment (e.g. with the
  project's build lock taken) while a test starts another.

Unset, a checkpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import time

_KILL = os.environ.get("DAZZLE_KILL_AT", "")
_PAUSE = os.environ.get("DAZZLE_PAUSE_AT", "")
_seen: dict[str, int] = {}


def checkpoint(name: str) -> None:
    if not (_KILL or _PAUSE):
        return
    point, _, count = _KILL.partition("#")
    if point == name:
        _seen[name] = _seen.get(name, 0) + 1
        if _seen[name] >= int(count or 1):
            os.kill(os.getpid(), signal.SIGKILL)
    point, _, path = _PAUSE.partition("=")
    if point == name and path:
        with open(path + ".paused", "w") as marker:
            marker.write(f"{os.getpid()}\n")
        deadline = time.monotonic() + 120  # a test that never lets go must not hang CI forever
        while not os.path.exists(path + ".go") and time.monotonic() < deadline:
            time.sleep(0.01)
