"""The per-user cache folder: ``$XDG_CACHE_HOME/dazzle`` or ``~/.cache/dazzle``.

What is kept there is derived data that any process can rebuild (the compiled grammar, the
compiled templates), keyed by what it was made from; deleting the folder only costs time.
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path | None:
    """The folder, or None when there is no home folder to put it in."""
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "dazzle"
    try:
        return Path.home() / ".cache" / "dazzle"
    except RuntimeError:
        return None
