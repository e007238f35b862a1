"""Entities: their fields, field types and composite constraints."""

# No `from __future__ import annotations`: real annotations spare pydantic a ForwardRef (and a
# compile) per field at import. Classes are defined before they are used.

from typing import Literal

from dazzle.ir.access import Condition, PermitRule
from dazzle.ir.base import Node, Value

TypeKind = Literal[
    "str", "text", "int", "decimal", "bool", "date", "datetime", "uuid", "email", "enum", "ref", "user"
]


class FieldType(Node):
    kind: TypeKind
    max_length: int | None = None  # str(N)
    max_digits: int | None = None  # decimal(P, S)
    decimal_places: int | None = None
    enum_values: tuple[str, ...] = ()  # enum[a, b, c]
    ref: str | None = None  # ref <Entity>: as written in a module, global name once linked

    @property
    def written(self) -> str:
        """The type as the DSL writes it: ``str(200)``, ``decimal(10,2)``, ``ref Customer`` ..."""
        if self.kind == "str" and self.max_length is not None:
            return f"str({self.max_length})"
        if self.kind == "decimal" and self.max_digits is not None:
            return f"decimal({self.max_digits},{self.decimal_places or 0})"
        if self.kind == "enum":
            return f"enum[{','.join(self.enum_values)}]"
        if self.kind == "ref":
            return f"ref {self.ref}"
        return self.kind


class EntityField(Node):
    name: str
    type: FieldType
    required: bool = False
    optional: bool = False  # written explicitly
    pk: bool = False
    unique: bool = False
    unique_nullable: bool = False  # `unique?`
    auto_add: bool = False
    auto_update: bool = False
    default: Value | None = None
    was: str | None = None  # `was <old_name>`: a rename

    @property
    def is_required(self) -> bool:
        """Not nullable: `required` or `pk`."""
        return self.required or self.pk

    @property
    def has_default(self) -> bool:
        """The framework can fill it without user input."""
        return (
            self.default is not None
            or self.auto_add
            or self.auto_update
            or (self.pk and self.type.kind in ("uuid", "int"))
        )


class Constraint(Node):
    """A composite `unique a, b` or `index a, b` line of an entity."""

    kind: Literal["unique", "index"]
    fields: tuple[str, ...]


class Entity(Node):
    name: str
    title: str | None = None
    fields: tuple[EntityField, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    # The `permit:` block, one rule per operation named; None without a block (0.1: every
    # operation for signed-in users). An operation missing from a block is allowed to nobody.
    permit: tuple[PermitRule, ...] | None = None
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    def field(self, name: str) -> EntityField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def pk(self) -> EntityField | None:
        return next((f for f in self.fields if f.pk), None)

    def rule(self, operation: str) -> Condition | None:
        """Who may do ``operation``: None without a ``permit`` block; a ``nobody`` condition
        for an operation the block leaves out."""
        if self.permit is None:
            return None
        found = next((r.condition for r in self.permit if r.operation == operation), None)
        return found if found is not None else Condition.trusted(kind="nobody")
