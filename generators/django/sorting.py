"""How a list is ordered: by the columns a person clicks and by its surface's ``sort:`` line.

Shared by the generators that order records (views for list pages and related lists, the
experiences' list steps), so a column sorts the same way wherever it is shown. A column's order
is the field itself, except a reference, which sorts by the field that names its target (its
``__str__``), and a user, by user name.
"""

from __future__ import annotations

from dazzle.ir import AppSpec, Entity, Surface
from generators.django import naming

USER_NAME = "username"
"""What a ``user`` column is sorted by (Django's user model)."""


def column_order(spec: AppSpec, entity: Entity, field_name: str) -> str:
    """The ``order_by`` path that sorts ``entity``'s records by one field, ascending."""
    attrs = naming.field_attrs(entity)
    field = entity.field(field_name)
    attr = attrs[field_name]
    if field is None or field.type.kind not in naming.RELATION_KINDS:
        return attr
    if field.type.kind == "user":
        return f"{attr}__{USER_NAME}"
    target = spec.entity(field.type.ref or "")
    named = naming.name_field(target) if target is not None else None
    return f"{attr}__{naming.field_attrs(target)[named.name]}" if named is not None else attr


def sortable_columns(spec: AppSpec, entity: Entity, surface: Surface) -> dict[str, str]:
    """``?sort=`` value (the column's attribute) → its order path, for every column of a list
    surface that is a field of the entity."""
    attrs = naming.field_attrs(entity)
    return {attrs[f.name]: column_order(spec, entity, f.name) for f in surface.fields if entity.field(f.name)}


def default_order(spec: AppSpec, entity: Entity, surface: Surface | None) -> tuple[str, ...]:
    """The ``sort:`` line as ``order_by`` paths (a leading ``-`` is descending), with the key
    last so that pages never share or skip a record; () when the surface has no ``sort:``
    (the model's own ordering then applies)."""
    keys = [
        ("-" if key.descending else "") + column_order(spec, entity, key.field)
        for key in (surface.sort if surface is not None else ())
        if entity.field(key.field) is not None
    ]
    return (*keys, "pk") if keys else ()
