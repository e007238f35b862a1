"""Entities: their fields, field types and composite constraints."""

# No `from __future__ import annotations`: real annotations spare pydantic a ForwardRef (and a
# compile) per field at import. Classes are defined before they are used.

from typing import Literal

from dazzle.ir.base import Node, Value

TypeKind = Literal[
    "str", "text", "int", "decimal", "bool", "date", "datetime", "uuid", "email", "enum", "ref"
]


class FieldType(Node):
    kind: TypeKind
    max_length: int | None = None  # str(N)
    max_digits: int | None = None  # decimal(P, S)
    decimal_places: int | None = None
    enum_values: tuple[str, ...] = ()  # enum[a, b, c]
    ref: str | None = None  # ref <Entity>: as written in a module, global name once linked


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
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    def field(self, name: str) -> EntityField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def pk(self) -> EntityField | None:
        return next((f for f in self.fields if f.pk), None)
