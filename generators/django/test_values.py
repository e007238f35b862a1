"""Values and assertions for the generated test module (used by the ``tests`` generator).

Two kinds of values per field type: *made* values for rows saved straight through the ORM
(``make_<entity>()`` helpers; unique at run time, since one test may make several rows), and
*posted* values for a form (literals, distinct from every made value, with the Python value the
saved field must then hold). Everything returned is Python source.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from dazzle.ir import Entity, EntityField
from generators.django import naming
from generators.django.render import py_literal


class EntityPlan(BaseModel):
    """What the tests of one entity with pages need to know beyond the entity itself."""

    name: str
    pages: tuple[str, ...]
    create_fields: tuple[str, ...] | None = None  # field names of the create form
    edit_fields: tuple[str, ...] | None = None
    search: tuple[str, ...] = ()  # searched attributes
    list_labels: tuple[str, ...] = ()  # as the page shows them (HTML-escaped)
    view_labels: tuple[str, ...] = ()


def maker_name(entity: str) -> str:
    return f"make_{naming.snake(entity)}"


def made_value(field: EntityField) -> str:
    t = field.type
    return {
        "str": f"unique_text({t.max_length})", "text": "unique_text(40)", "email": "unique_email()",
        "int": "next(SERIAL)", "decimal": f"unique_decimal({t.max_digits}, {t.decimal_places})",
        "bool": "True", "date": "unique_date()", "datetime": "unique_moment()", "uuid": "uuid.uuid4()",
        "enum": py_literal(t.enum_values[0]) if t.enum_values else '""',
    }[t.kind]


def in_composite_unique(entity: Entity, field: EntityField) -> bool:
    return any(c.kind == "unique" and field.name in c.fields for c in entity.constraints)


def makeable(entity: Entity, entities: dict[str, Entity], trail: tuple[str, ...] = ()) -> bool:
    """A row can be made unless required refs lead back to an entity on the way (a cycle)."""
    if entity.name in trail:
        return False
    for field in entity.fields:
        if field.type.kind == "ref" and field.is_required:
            target = entities.get(field.type.ref or "")
            if target is None or not makeable(target, entities, trail + (entity.name,)):
                return False
    return True


def maker_values(entity: Entity, entities: dict[str, Entity]) -> list[tuple[str, str, bool]] | None:
    """(attribute, value source, is a ref) for every field a made row must fill: required ones
    without a default, unique ones (so that rows never clash) and a key the user sets."""
    if not makeable(entity, entities):
        return None
    attrs = naming.field_attrs(entity)
    out = []
    for field in entity.fields:
        if not naming.form_editable(field, "create"):
            continue
        needed = (field.is_required and not field.has_default) or field.unique or field.unique_nullable \
            or field.pk or in_composite_unique(entity, field)
        if not needed or (field.type.kind == "ref" and not field.is_required):
            continue
        if field.type.kind == "ref":
            out.append((attrs[field.name], f"{maker_name(field.type.ref)}()", True))
        else:
            out.append((attrs[field.name], made_value(field), False))
    return out


def decimal_text(field: EntityField, whole: str, fraction: str) -> str:
    digits, places = field.type.max_digits or 1, field.type.decimal_places or 0
    if digits - places < 1:
        return "0." + fraction[:places]
    return whole + ("." + fraction[:places] if places else "")


def posted(field: EntityField, variant: str) -> tuple[str | None, str | None]:
    """(POSTed value source or None to leave it out, expected Python value source or None for
    "no check") for a form of ``variant`` (create/edit). Refs are handled by the caller."""
    t, name, first = field.type, field.name, variant == "create"
    if t.kind == "str":
        text = f"{variant} {name}"[: t.max_length or 1]
        return py_literal(text), py_literal(text)
    if t.kind == "text":
        text = f"{variant.title()} text for {name}.\nSecond line."
        return py_literal(text), py_literal(text)
    if t.kind == "email":
        text = f"{variant}.{name}@example.com".lower()
        return py_literal(text), py_literal(text)
    if t.kind == "int":
        number = 4242 if first else 4343
        return py_literal(str(number)), str(number)
    if t.kind == "decimal":
        text = decimal_text(field, "7" if first else "8", "50" if first else "25")
        return py_literal(text), f"decimal.Decimal({py_literal(text)})"
    if t.kind == "bool":
        return ('"on"', "True") if first else (None, "False")
    if t.kind == "date":
        y, m, d = (2026, 3, 14) if first else (2026, 4, 2)
        return py_literal(f"{y:04d}-{m:02d}-{d:02d}"), f"datetime.date({y}, {m}, {d})"
    if t.kind == "datetime":
        y, m, d, hour, minute = (2026, 3, 14, 9, 30) if first else (2026, 4, 2, 16, 45)
        posted_text = f"{y:04d}-{m:02d}-{d:02d} {hour:02d}:{minute:02d}"
        return py_literal(posted_text), f"datetime.datetime({y}, {m}, {d}, {hour}, {minute})"
    if t.kind == "uuid":
        value = str(uuid.uuid5(uuid.NAMESPACE_URL, f"dazzle:{variant}:{name}"))
        return py_literal(value), f"uuid.UUID({py_literal(value)})"
    if t.kind == "enum":
        values = t.enum_values
        if first:
            return py_literal(values[-1]), py_literal(values[-1])
        current = field.default.text if field.default is not None else values[0]
        other = next((v for v in values if v != current), values[0])
        return py_literal(other), py_literal(other)
    return None, None


def check(attr: str, field: EntityField, expected: str) -> str:
    if field.type.kind == "datetime":
        return f"self.assertEqual(as_local(record.{attr}), {expected})"
    if field.type.kind == "bool":
        return f"self.assertIs(record.{attr}, {expected})"
    return f"self.assertEqual(record.{attr}, {expected})"


def form_plan(entity: Entity, names: tuple[str, ...], variant: str, entities: dict[str, Entity]) -> dict:
    """Lines building ``data`` (the POST) and the assertions on the saved ``record``."""
    attrs = naming.field_attrs(entity)
    setup, items, checks = [], [], []
    for name in names:
        field, attr = entity.field(name), attrs[name]
        if field.type.kind == "ref":
            target = entities.get(field.type.ref or "")
            if target is None or not makeable(target, entities) or (target.name == entity.name
                                                                     and not field.is_required):
                continue
            setup.append(f"{attr} = {maker_name(target.name)}()")
            items.append((attr, f"str({attr}.pk)"))
            checks.append(f"self.assertEqual(str(record.{attr}_id), data[{py_literal(attr)}])")
            continue
        value, expected = posted(field, variant)
        if value is not None:
            items.append((attr, value))
        if expected is not None:
            checks.append(check(attr, field, expected))
    enum = next((attrs[n] for n in names if entity.field(n).type.kind == "enum"), None)
    return {"setup": setup, "items": items, "checks": checks, "fields": [attrs[n] for n in names],
            "enum": enum, "inject": injection(entity, names, variant)}


def injection(entity: Entity, names: tuple[str, ...], variant: str) -> dict | None:
    """A field the form does not hold, with a value to smuggle into the POST: (attr, posted
    source, expected source). Saved, it must not hold that value."""
    attrs = naming.field_attrs(entity)
    for field in entity.fields:
        if field.name in names or not naming.form_editable(field, "create") or field.pk \
                or field.type.kind in ("ref", "datetime"):
            continue
        if field.type.kind == "bool" and (variant == "edit" or (field.default and field.default.value)):
            continue
        if field.type.kind == "enum":
            current = field.default.text if field.default is not None else None
            value = next((v for v in field.type.enum_values if v != current), None)
            if value is None:
                continue
            return {"attr": attrs[field.name], "post": py_literal(value), "value": py_literal(value)}
        post, expected = posted(field, "inject")
        if post is not None and expected is not None:
            return {"attr": attrs[field.name], "post": post, "value": expected}
    return None


def search_needles(entity: Entity, attr: str) -> tuple[str, str]:
    """Two distinct values of a searched field: one to find, one that must not match."""
    field = next(f for f in entity.fields if naming.field_attrs(entity)[f.name] == attr)
    if field.type.kind == "email":
        return "needle@example.com", "other@example.com"
    size = field.type.max_length or 40
    return "needle"[:size], "other"[:size]


def ref_index(entities: dict[str, Entity]) -> dict[str, list[tuple[Entity, EntityField]]]:
    """Entity name → the (entity, field) pairs whose field refers to it, in definition order."""
    found: dict[str, list[tuple[Entity, EntityField]]] = {}
    for other in entities.values():
        for f in other.fields:
            if f.type.kind == "ref":
                found.setdefault(f.type.ref or "", []).append((other, f))
    return found


def entity_plan(
    plan: EntityPlan, entities: dict[str, Entity], refs: dict[str, list[tuple[Entity, EntityField]]] | None = None
) -> dict | None:
    """Everything the template needs for the test class of one entity. ``refs`` is
    ``ref_index(entities)``, computed once by a caller that plans every entity."""
    if refs is None:
        refs = ref_index(entities)
    entity = entities[plan.name]
    can_make = makeable(entity, entities)
    urls = {p: naming.url_name(plan.name, p) for p in plan.pages}
    keyed = next((p for p in ("detail", "update", "delete") if p in plan.pages), None)
    pk = entity.pk
    kind = pk.type.kind if pk is not None else "int"
    sample, malformed = {"uuid": ('"00000000-0000-0000-0000-000000000000"', "not-a-uuid"),
                         "str": ('"no-such-record"', None)}.get(kind, ("999999", "not-a-number"))
    referrers = [
        (maker_name(other.name), naming.field_attrs(other)[f.name])
        for other, f in refs.get(plan.name, ())
        if f.is_required and other.name != plan.name and makeable(other, entities)
    ]
    search = None
    if plan.search and can_make:
        found, other = search_needles(entity, plan.search[0])
        search = {"attr": plan.search[0], "needle": py_literal(found), "other": py_literal(other)}
    return {
        "cls": f"{naming.camel(plan.name)}PagesTests",
        "model": naming.model_class(plan.name),
        "maker": maker_name(plan.name) if can_make else None,
        "pages": plan.pages,
        "urls": urls,
        "keyed": keyed,
        "sample_key": sample,
        "malformed": malformed,
        "create": form_plan(entity, plan.create_fields, "create", entities) if plan.create_fields is not None else None,
        "edit": form_plan(entity, plan.edit_fields, "edit", entities) if plan.edit_fields is not None else None,
        "search": search,
        "list_labels": [py_literal(label) for label in plan.list_labels],
        "view_labels": [py_literal(label) for label in plan.view_labels],
        "referrer": referrers[0] if referrers else None,
    }
