"""Access control (0.2): the app's roles and the ``permit`` conditions of entities and surfaces."""

# No `from __future__ import annotations`: real annotations spare pydantic a ForwardRef (and a
# compile) per field at import. Classes are defined before they are used.

from typing import Literal

from dazzle.ir.base import Node


class Role(Node):
    """``roles: agent "Support agent"``: a role of the app's users."""

    name: str
    title: str | None = None

    @property
    def label(self) -> str:
        return self.title or self.name


ConditionKind = Literal["anyone", "signed_in", "nobody", "role", "field", "and", "or"]


class Condition(Node):
    """Who may do something. ``anyone``/``signed_in``/``nobody`` stand alone; ``role`` names a
    role and ``field`` a ``user`` field of the entity (``<field> = current_user``) in ``name``;
    ``and``/``or`` combine two or more ``parts`` (the parser flattens ``a or b or c``)."""

    kind: ConditionKind
    name: str | None = None
    parts: tuple["Condition", ...] = ()

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles this condition names, in order of appearance."""
        if self.kind == "role":
            return (self.name,)  # type: ignore[return-value]
        return tuple(role for part in self.parts for role in part.roles)

    @property
    def fields(self) -> tuple[str, ...]:
        """The ``user`` fields this condition compares with the signed-in user."""
        if self.kind == "field":
            return (self.name,)  # type: ignore[return-value]
        return tuple(field for part in self.parts for field in part.fields)

    def __str__(self) -> str:
        if self.kind == "role":
            return f"role({self.name})"
        if self.kind == "field":
            return f"{self.name} = current_user"
        if self.kind in ("and", "or"):
            shown = (f"({p})" if p.kind == "or" and self.kind == "and" else str(p) for p in self.parts)
            return f" {self.kind} ".join(shown)
        return self.kind


Condition.model_rebuild()

Operation = Literal["list", "read", "create", "update", "delete"]
OPERATIONS: tuple[str, ...] = ("list", "read", "create", "update", "delete")


class PermitRule(Node):
    """One line of an entity's ``permit:`` block."""

    operation: Operation
    condition: Condition
