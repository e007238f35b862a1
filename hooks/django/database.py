"""The project's local database, as the generated settings find it: ``DATABASE_URL`` from the
environment or from ``.env`` next to ``manage.py`` (the environment wins), else ``db.sqlite3``
beside ``manage.py`` (``provision`` makes that one)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATABASE = "db.sqlite3"


def configured_url(output_dir: Path) -> str | None:
    """``DATABASE_URL`` as the generated app would read it, or None when it uses its default."""
    if os.environ.get("DATABASE_URL", "").strip():
        return os.environ["DATABASE_URL"].strip()
    try:
        lines = (output_dir / ".env").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key.strip() == "DATABASE_URL" and value.strip():
            return value.strip().strip("'\"")
    return None
