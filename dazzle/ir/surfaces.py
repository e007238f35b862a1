"""Surfaces (screens: sections, fields, actions) and experiences (step flows)."""

# No `from __future__ import annotations`: real annotations spare pydantic a ForwardRef (and a
# compile) per field at import. Classes are defined before they are used.

from typing import Literal

from dazzle.ir.access import Condition
from dazzle.ir.base import Node, Options


class SurfaceField(Node):
    name: str
    label: str | None = None
    options: Options = ()


class Section(Node):
    name: str
    title: str | None = None
    fields: tuple[SurfaceField, ...] = ()


class Outcome(Node):
    """Where an action leads: a surface, an experience (optionally at a step), or an
    integration action."""

    kind: Literal["surface", "experience", "integration"]
    target: str
    step: str | None = None  # experience ... step <step>
    action: str | None = None  # integration ... action <action>


class SurfaceAction(Node):
    name: str
    label: str | None = None
    trigger: Literal["submit", "click", "auto"]
    outcome: Outcome


SurfaceMode = Literal["list", "view", "create", "edit", "custom"]


class SortKey(Node):
    """One key of a list surface's ``sort:`` line (0.2): a field, ascending unless ``-field``."""

    field: str
    descending: bool = False


class ListFilter(Node):
    """One field of a list surface's ``filter:`` line (0.2): offered as a filter above the list."""

    field: str


FILTER_KINDS = ("enum", "bool", "ref", "user", "date", "datetime")
"""The field types a list may be filtered by (REFERENCE §Lists and related records)."""


class Surface(Node):
    name: str
    title: str | None = None
    entity: str | None = None  # `uses entity`
    mode: SurfaceMode
    sections: tuple[Section, ...] = ()
    actions: tuple[SurfaceAction, ...] = ()
    permit: Condition | None = None  # `permit: <condition>` (0.2): also needed for this page
    sort: tuple[SortKey, ...] = ()  # `sort:` (0.2, list surfaces): the default order
    filters: tuple[ListFilter, ...] = ()  # `filter:` (0.2, list surfaces)
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def fields(self) -> tuple[SurfaceField, ...]:
        """All fields of all sections, in order."""
        return tuple(f for s in self.sections for f in s.fields)


# ---------------------------------------------------------------- experiences


class Step(Node):
    name: str
    kind: Literal["surface", "process", "integration"]
    surface: str | None = None
    integration: str | None = None
    action: str | None = None
    on_success: str | None = None
    on_failure: str | None = None


class Experience(Node):
    name: str
    title: str | None = None
    start: str
    steps: tuple[Step, ...] = ()
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)
