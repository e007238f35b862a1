"""What every validator module shares: the ``Report`` that collects diagnostics, and the
helpers for the two messages every part needs ("unknown X; did you mean" and "defined twice").
"""

from __future__ import annotations

from collections.abc import Iterable

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic, did_you_mean


def suffix(hint: str | None) -> str:
    return f"; {hint}" if hint else ""


def position(loc: ir.Location | None) -> tuple[int, int]:
    return (loc.line, loc.column) if loc else (0, 0)


def first_at(earlier: ir.Location | None, loc: ir.Location | None) -> str:
    """`` (first at line 3)``, or with the file when it is another one."""
    if earlier is None:
        return ""
    if loc is not None and loc.file == earlier.file:
        return f" (first at line {earlier.line})"
    return f" (first at {earlier.file}:{earlier.line})"


class Report:
    """Collects the diagnostics of one validation run."""

    def __init__(self, spec: ir.AppSpec):
        self.spec = spec
        self.diagnostics: list[Diagnostic] = []
        self.entities = {e.name: e for e in reversed(spec.entities)}  # first definition wins
        self.surfaces = {s.name: s for s in reversed(spec.surfaces)}
        self.experiences = {e.name: e for e in reversed(spec.experiences)}
        self.services = {s.name: s for s in reversed(spec.services)}
        self.foreign_models = {f.name: f for f in reversed(spec.foreign_models)}
        self.integrations = {i.name: i for i in reversed(spec.integrations)}
        self._field_index: dict[tuple[str, str], dict[str, ir.EntityField]] = {}

    def fields_of(self, owner: ir.Entity | ir.ForeignModel) -> dict[str, ir.EntityField]:
        """Field name → field (first definition), computed once per entity or foreign model."""
        key = (type(owner).__name__, owner.name)
        index = self._field_index.get(key)
        if index is None:
            index = self._field_index[key] = {f.name: f for f in reversed(owner.fields)}
        return index

    def error(self, message: str, loc: ir.Location | None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, loc=loc, hint=hint))

    def warning(self, message: str, loc: ir.Location | None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, loc=loc, hint=hint, severity="warning"))

    def unknown(self, word: str, name: str, candidates: Iterable[str], loc, context: str = "") -> None:
        where = f" in {context}" if context else ""
        self.error(f"unknown {word} `{name}`{where}" + suffix(did_you_mean(name, candidates)), loc)

    def exists(self, table: dict, word: str, name: str | None, loc, context: str = "") -> bool:
        """True when ``name`` is in ``table``; otherwise reports it (None counts as reported)."""
        if name is None:
            return False
        if name in table:
            return True
        self.unknown(word, name, table, loc, context)
        return False

    def unique(self, nodes: Iterable, word: str, scope: str = "", name=None, where=None) -> None:
        """Each name once; a repeat is reported at its second definition."""
        first: dict[str, ir.Node] = {}
        for node in nodes:
            key = node.name if name is None else name(node)
            if key in first:
                loc = where(node) if where else node.loc
                inside = f" in {scope}" if scope else ""
                self.error(f"{word} `{key}` is defined twice{inside}{first_at(first[key].loc, loc)}", loc)
            else:
                first[key] = node
