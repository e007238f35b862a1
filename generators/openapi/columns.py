"""What a model field is to the API's schema, worked out at slice time: ``column(entity, field)``.

drf-spectacular describes a property from the serializer field that Django REST framework
builds from the model field, and the model field is what ``generators/django/models.py``
declares for the entity field (``field_arguments``): its class, ``null``/``blank``, whether it
is editable, its default. A ``Column`` keeps exactly the facts of that chain the document shows,
and nothing else of the field, so that an edit the API does not show (a title, a ``was``, an
index) leaves the slice alone. It also holds what the key a reference points at is
(``key``), and what DRF gives a field inside a composite ``unique`` line (``together_default``).

Who may call an operation without signing in (``visitor_may``) follows the generated
``access.rule``: the entity's ``permit`` rule (or the default) and the surface's ``permit`` line.
"""

from __future__ import annotations

import decimal
import json

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec, Condition, Entity, EntityField
from generators.django import naming
from generators.django.wiring import surface_permits

EMAIL_MAX_LENGTH = 254
"""Django's ``EmailField`` length."""


class Column(BaseModel):
    """A model field as the schema sees it. ``kind`` is the DSL type, or ``auto`` for an integer
    key the database fills (an entity without ``pk``, an ``int pk``, the user model's)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    editable: bool = True  # False: read-only in every representation
    optional: bool = False  # a default, blank or NULL: a request may leave it out
    null: bool = False
    blank: bool = False
    max_length: int | None = None  # str(N)
    max_digits: int | None = None
    decimal_places: int | None = None
    choices: tuple[str, ...] = ()  # enum
    title: str | None = None  # DRF's label, where drf-spectacular shows it
    key: Column | None = None  # ref, user: the key of the record it points at
    together_default: str | None = None  # JSON: the default DRF gives it in a composite unique line


def title(field: EntityField, attr: str) -> str | None:
    """DRF labels a field by its verbose name where that differs from what it would say for
    the attribute (``needs_label``); drf-spectacular shows that label as ``title`` unless it is
    the attribute written otherwise. models.py gives a renamed attribute (``class_field``) the
    field's own name as verbose name."""
    verbose = (field.name if attr != field.name else attr).replace("_", " ")
    label = verbose[:1].upper() + verbose[1:]  # Django's capfirst
    if label == attr.replace("_", " ").capitalize():
        return None

    def plain(text: str) -> str:
        return text.strip().lower().replace(" ", "_").replace("-", "_")

    return None if plain(label) == plain(attr) else label


def decimal_text(text: str, digits: int, places: int) -> str:
    """A decimal default as DRF's ``DecimalField`` shows it: quantized to its places."""
    context = decimal.Context(prec=digits)
    value = decimal.Decimal(text).quantize(decimal.Decimal(".1") ** places, context=context)
    return f"{value:f}"


def default_value(field: EntityField):
    """The field's default as its serializer field represents it (None: no default)."""
    t, value = field.type, field.default
    if value is None:
        return False if t.kind == "bool" else None  # models.py: an unset bool is false
    if t.kind == "int":
        return int(value.value)
    if t.kind == "bool":
        return bool(value.value)
    if t.kind == "decimal":
        return decimal_text(str(value.value), t.max_digits or 1, t.decimal_places or 0)
    return value.text


def together_default(field: EntityField, null: bool, blank: bool) -> str | None:
    """What DRF's ``get_uniqueness_extra_kwargs`` gives a field of a composite unique
    constraint (its default, or ``""`` for blank text), as JSON, where drf-spectacular shows it:
    not a callable (dates filled on save, a generated key), not None."""
    if naming.filled_on_save(field) or (field.pk and field.type.kind in ("uuid", "int")):
        return None
    value = default_value(field)
    if value is None and not null and blank and field.type.kind in naming.STRING_KINDS:
        value = ""
    return None if value is None else json.dumps(value)


AUTO_KEY = Column(kind="auto", editable=False, optional=True)
"""The integer key Django adds (``BigAutoField``; the user model's ``AutoField``)."""


def key_column(spec: AppSpec, entity: Entity | None) -> Column:
    """The key of ``entity``'s records (None: the user model's)."""
    if entity is None or entity.pk is None:
        return AUTO_KEY
    return column(spec, entity, entity.pk)


def column(spec: AppSpec, entity: Entity, field: EntityField) -> Column:
    attr = naming.field_attrs(entity)[field.name]
    kind = field.type.kind
    null, blank = naming.null_blank(field)
    facts: dict = {"null": null, "blank": blank, "title": title(field, attr)}
    if field.pk and kind == "int":
        kind = "auto"  # models.py: an int key is a BigAutoField
    if kind == "auto" or naming.filled_on_save(field) or (field.pk and kind == "uuid"):
        facts["editable"] = False
    if kind == "user" and (field.auto_add or field.auto_update):
        facts["editable"] = False
    if kind == "str":
        facts["max_length"] = field.type.max_length
    elif kind == "decimal":
        facts["max_digits"] = field.type.max_digits
        facts["decimal_places"] = field.type.decimal_places
    elif kind == "enum":
        facts["choices"] = field.type.enum_values
    elif kind == "ref":
        facts["key"] = key_column(spec, spec.entity(field.type.ref or ""))
    elif kind == "user":
        facts["key"] = AUTO_KEY
    has_default = field.default is not None or kind == "bool" or (field.pk and kind in ("uuid", "auto"))
    facts["optional"] = has_default or null or blank
    return Column(kind=kind, together_default=together_default(field, null, blank), **facts)


def visitor_may(condition: Condition) -> bool:
    """Whether ``condition`` holds for someone not signed in (``access.Condition.decide``)."""
    if condition.kind in ("and", "or"):
        found = [visitor_may(part) for part in condition.parts]
        return all(found) if condition.kind == "and" else any(found)
    return condition.kind == "anyone"


def visitor_operations(spec: AppSpec, entity: Entity) -> tuple[str, ...]:
    """The operations (list, read, create, update, delete) a visitor may do through the API:
    the entity's rule — without a ``permit`` block the default, anyone only when
    ``login_required = false`` — and the ``permit`` line of the surface that does it."""
    pages = surface_permits(spec, entity.name)
    found = []
    for operation in ("list", "read", "create", "update", "delete"):
        rule = entity.rule(operation)
        allowed = visitor_may(rule) if rule is not None else not spec.config.build.login_required
        extra = pages.get(operation)
        if allowed and (extra is None or visitor_may(extra)):
            found.append(operation)
    return tuple(found)
