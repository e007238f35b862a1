"""Small state files through which tasks tell each other that something changed."""

from __future__ import annotations

import os
import time

from dazzle.engine.paths import Layout
from dazzle.util.files import write_atomic


def touch_outputs_changed(layout: Layout) -> None:
    """Called whenever a task changed the output folder: hook declarations must be redone."""
    write_atomic(layout.outputs_changed, f"{time.time_ns()} {os.getpid()}\n".encode())
