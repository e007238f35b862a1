"""Diagnostics and the one error type a user's mistake ever raises: ``ProjectError``.

A diagnostic points at ``file:line:column``; rendered, it shows the source line with a caret
under the column, what is wrong, and a hint (often a "did you mean" suggestion).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from dazzle.ir.base import Location

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    message: str
    loc: Location | None = None
    file: str | None = None  # for diagnostics that belong to a file or folder but no line
    hint: str | None = None
    severity: Severity = "error"
    # The offending source line, when the producer has it at hand (saves re-reading the file).
    source_line: str | None = field(default=None, compare=False)

    @property
    def path(self) -> str:
        if self.loc is not None:
            return self.loc.file
        return self.file or ""

    def sort_key(self) -> tuple:
        line = self.loc.line if self.loc else 0
        column = self.loc.column if self.loc else 0
        return (self.path, line, column, self.message)

    def render(self, root: Path | None = None) -> str:
        """Human-readable form: location, message, source line with caret, hint."""
        where = str(self.loc) if self.loc else (self.file or "<project>")
        lines = [f"{where}: {self.severity}: {self.message}"]
        if self.loc is not None:
            source = self.source_line
            if source is None:
                source = _read_line(root, self.loc.file, self.loc.line)
            if source is not None:
                number = str(self.loc.line)
                gutter = " " * len(number)
                # Keep the caret aligned: tabs in the source are shown as single spaces.
                shown = source.rstrip("\r\n").replace("\t", " ")
                lines.append(f" {number} | {shown}")
                lines.append(f" {gutter} | {' ' * max(self.loc.column - 1, 0)}^")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


def _read_line(root: Path | None, file: str, line: int) -> str | None:
    path = Path(file) if root is None else Path(root) / file
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        return lines[line - 1]
    return None


class ProjectError(Exception):
    """Everything wrong with a project, found in one run. The only exception type raised for
    a mistake in the user's spec or configuration."""

    def __init__(self, diagnostics: Iterable[Diagnostic], root: Path | None = None):
        ordered = sorted(diagnostics, key=Diagnostic.sort_key)
        self.diagnostics: list[Diagnostic] = ordered
        self.root = root
        super().__init__(self.render())

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def render(self) -> str:
        body = "\n\n".join(d.render(self.root) for d in self.diagnostics)
        count = len(self.errors)
        summary = f"{count} error{'s' if count != 1 else ''}"
        return f"{body}\n\n{summary}" if body else summary

    def __reduce__(self):
        # Keep the exception picklable across doit's worker processes.
        return (ProjectError, (self.diagnostics, self.root))


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, or None when nothing is close."""
    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if name.lower() in lowered:
            matches = [lowered[name.lower()]]
    return f"did you mean `{matches[0]}`?" if matches else None
