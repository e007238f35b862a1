"""post_build hook ``gitignore``: a ``.gitignore`` for the generated project that keeps secrets,
the database, environments and caches out of version control.

The user may edit the file: their lines are kept as they are, and only the patterns they lack
are appended (a pattern written as ``/.venv``, ``.venv/`` or un-ignored with ``!.env`` counts
as present). The task runs when the file is missing or this hook changes.
"""

from __future__ import annotations

from pathlib import Path

from dazzle.plugins import Hook, HookContext, HookResult
from hooks.support import write_if_changed

REQUIRED_PATTERNS = (
    ".env",
    ".admin_credentials",
    "db.sqlite3",
    "db.sqlite3-journal",
    "__pycache__/",
    "*.py[cod]",
    ".venv/",
    "media/",
    "staticfiles/",
)
HEADER = "# Added by dazzle: secrets, local database, environments and caches"


def _normal(pattern: str) -> str:
    return pattern.strip().lstrip("!").strip("/")


def missing_patterns(existing: str, required: tuple[str, ...] = REQUIRED_PATTERNS) -> list[str]:
    present = {
        _normal(line) for line in existing.splitlines() if line.strip() and not line.lstrip().startswith("#")
    }
    return [p for p in required if _normal(p) not in present]


def merge_gitignore(existing: str, required: tuple[str, ...] = REQUIRED_PATTERNS) -> str:
    """``existing`` with the missing ``required`` patterns appended under a header."""
    missing = missing_patterns(existing, required)
    if not missing:
        return existing
    text = existing
    if text and not text.endswith("\n"):
        text += "\n"
    if text:
        text += "\n"
    if HEADER not in existing:
        text += HEADER + "\n"
    return text + "".join(f"{p}\n" for p in missing)


class GitignoreHook(Hook):
    name = "gitignore"
    phase = "post_build"
    doc = "Write or complete .gitignore (secrets, database, .venv, caches), keeping the user's lines."

    def targets(self, ctx: HookContext) -> list[Path]:
        return [ctx.output_dir / ".gitignore"]

    def run(self, ctx: HookContext) -> HookResult:
        path = ctx.output_dir / ".gitignore"
        try:
            before = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            before = ""
        except (OSError, UnicodeDecodeError) as exc:
            return HookResult(f"{path}: cannot be read ({exc}); fix or remove it.", severity="error")
        missing = missing_patterns(before)
        if not write_if_changed(path, merge_gitignore(before)):
            return HookResult()
        if not before:
            return HookResult(f"wrote {path.name}")
        return HookResult(f"completed {path.name}: added {', '.join(missing)}")
