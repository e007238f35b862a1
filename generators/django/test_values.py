"""Values and assertions for the generated test module (used by the ``tests`` generator).

Two kinds of values per field type: *made* values for rows saved straight through the ORM
(``make_<entity>()`` helpers; unique at run time, since one test may make several rows), and
*posted* values for a form (literals, distinct from every made value, with the Python value the
saved field must then hold). Everything returned is Python source (literals included), ready
for the template to print as it is: a 500-entity project asks for tens of thousands of values,
and a filter call per value in the template was most of the generator's time.

A ``TestPlanner`` serves one generated module: it works out each entity's attributes and
whether a row of it can be made once, however many tests ask.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from pydantic import BaseModel

from dazzle.ir import Entity, EntityField
from generators.django import naming
from generators.django.render import py_literal


class EntityPlan(BaseModel):
    """What the tests of one entity with pages need to know beyond the entity itself."""

    name: str
    module: str = ""  # the DSL module of the entity: its tests go to that module's test file
    pages: tuple[str, ...]
    create_fields: tuple[str, ...] | None = None  # field names of the create form
    edit_fields: tuple[str, ...] | None = None
    search: tuple[str, ...] = ()  # searched attributes
    # The texts the pages show, as written: the list's column heads and section titles, the
    # detail page's field names and section titles.
    list_columns: tuple[str, ...] = ()
    list_sections: tuple[str, ...] = ()
    view_fields: tuple[str, ...] = ()
    view_sections: tuple[str, ...] = ()


# Made values that do not depend on the field's size: the others are formatted per field.
_MADE_VALUES = {
    "text": "unique_text(40)",
    "email": "unique_email()",
    "int": "next(SERIAL)",
    "bool": "True",
    "date": "unique_date()",
    "datetime": "unique_moment()",
    "uuid": "uuid.uuid4()",
}


def few_values(field: EntityField) -> tuple | None:
    """The values of a unique bool or enum field: so few that made rows run out of them."""
    if not (field.unique or field.unique_nullable) or field.type.kind not in ("bool", "enum"):
        return None
    if field.type.kind == "bool":
        return (True, False)
    return tuple(v for v in field.type.enum_values if v) or ("",)


def made_value(field: EntityField) -> str:
    t = field.type
    few = few_values(field)
    if few is not None:
        return f"unique_choice({py_literal(few)})"
    if t.kind == "str":
        return f"unique_text({t.max_length})"
    if t.kind == "decimal":
        return f"unique_decimal({t.max_digits}, {t.decimal_places})"
    if t.kind == "enum":
        return py_literal(t.enum_values[0]) if t.enum_values else '""'
    return _MADE_VALUES[t.kind]


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


def ref_index(entities: dict[str, Entity]) -> dict[str, list[tuple[Entity, EntityField]]]:
    """Entity name → the (entity, field) pairs whose field refers to it, in definition order."""
    found: dict[str, list[tuple[Entity, EntityField]]] = {}
    for other in entities.values():
        for f in other.fields:
            if f.type.kind == "ref":
                found.setdefault(f.type.ref or "", []).append((other, f))
    return found


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
        # A form strips what it is given: a value cut after its space would not come back whole.
        text = py_literal(f"{variant} {name}"[: t.max_length or 1].strip())
        return text, text
    if t.kind == "text":
        text = py_literal(f"{variant.title()} text for {name}.\nSecond line.")
        return text, text
    if t.kind == "email":
        text = py_literal(f"{variant}.{name[:40]}@example.com".lower())  # within the 254 of an email
        return text, text
    if t.kind == "int":
        number = 4242 if first else 4343
        return f'"{number}"', str(number)
    if t.kind == "decimal":
        text = py_literal(decimal_text(field, "7" if first else "8", "50" if first else "25"))
        return text, f"decimal.Decimal({text})"
    if t.kind == "bool":
        return ('"on"', "True") if first else (None, "False")
    if t.kind == "date":
        y, m, d = (2026, 3, 14) if first else (2026, 4, 2)
        return f'"{y:04d}-{m:02d}-{d:02d}"', f"datetime.date({y}, {m}, {d})"
    if t.kind == "datetime":
        y, m, d, hour, minute = (2026, 3, 14, 9, 30) if first else (2026, 4, 2, 16, 45)
        return (
            f'"{y:04d}-{m:02d}-{d:02d} {hour:02d}:{minute:02d}"',
            f"datetime.datetime({y}, {m}, {d}, {hour}, {minute})",
        )
    if t.kind == "uuid":
        value = py_literal(str(uuid.uuid5(uuid.NAMESPACE_URL, f"dazzle:{variant}:{name}")))
        return value, f"uuid.UUID({value})"
    if t.kind == "enum":
        values = [v for v in t.enum_values if v] or [""]  # an empty value is no choice in a form
        if values == [""]:
            return '""', None  # saved as "" or, where blanks must stay unique, as NULL
        if first:
            text = py_literal(values[-1])
            return text, text
        current = field.default.text if field.default is not None else values[0]
        other = py_literal(next((v for v in values if v != current), values[0]))
        return other, other
    return None, None


def check(attr: str, field: EntityField, expected: str) -> str:
    if field.type.kind == "datetime":
        return f"self.assertEqual(as_local(record.{attr}), {expected})"
    if field.type.kind == "bool":
        return f"self.assertIs(record.{attr}, {expected})"
    return f"self.assertEqual(record.{attr}, {expected})"


def search_needles(field: EntityField) -> tuple[str, str]:
    """Two distinct values of a searched field: one to find, one that must not match."""
    if field.type.kind == "email":
        return "needle@example.com", "other@example.com"
    size = field.type.max_length or 40
    return "needle"[:size], "other"[:size]


class TestPlanner:
    """The values of one generated test module, from every entity of the project by name (and
    the names ``naming`` gave each)."""

    def __init__(self, entities: dict[str, Entity], names: dict[str, naming.EntityNames]):
        self.entities = entities
        self.names = names
        self.refs = ref_index(entities)
        # By id(), since hashing an entity hashes all its fields; the entity is kept with the
        # answer so that its id cannot be reused by another object while the planner lives.
        self._attrs: dict[int, tuple[Entity, dict[str, str]]] = {}
        self._makeable: dict[int, tuple[Entity, bool]] = {}
        self._literals: dict[str, str] = {}

    def literal(self, text: str) -> str:
        """``py_literal(text)``, remembered: attributes, URL names and labels recur across entities."""
        found = self._literals.get(text)
        if found is None:
            found = self._literals[text] = py_literal(text)
        return found

    def attrs(self, entity: Entity) -> dict[str, str]:
        found = self._attrs.get(id(entity))
        if found is None:
            found = self._attrs[id(entity)] = (entity, naming.field_attrs(entity))
        return found[1]

    def makeable(self, entity: Entity) -> bool:
        found = self._makeable.get(id(entity))
        if found is None:
            found = self._makeable[id(entity)] = (entity, makeable(entity, self.entities))
        return found[1]

    def maker(self, entity: Entity) -> SimpleNamespace | None:
        """The ``make_<entity>()`` helper: (attribute literal, value source, is a ref) for every
        field a made row must fill — required ones without a default, unique ones (so that rows
        never clash) and a key the user sets — or None when no row can be made."""
        if not self.makeable(entity):
            return None
        attrs = self.attrs(entity)
        values, few = [], []
        for field in entity.fields:
            if field.type.kind == "user":
                # Set by the app from whoever is signed in, or chosen in a form: a made row
                # that needs one gets a fresh user.
                if field.is_required or field.unique or field.unique_nullable:
                    values.append((self.literal(attrs[field.name]), "new_user()", True))
                continue
            if not naming.form_editable(field, "create"):
                continue
            if few_values(field) is not None:
                few.append(attrs[field.name])
            needed = (
                (field.is_required and not field.has_default)
                or field.unique
                or field.unique_nullable
                or field.pk
                or in_composite_unique(entity, field)
            )
            if not needed or (field.type.kind == "ref" and not field.is_required):
                continue
            if field.type.kind == "ref":
                values.append(
                    (self.literal(attrs[field.name]), f"{self.names[field.type.ref].maker}()", True)
                )
            else:
                values.append((self.literal(attrs[field.name]), made_value(field), False))
        names = self.names[entity.name]
        return SimpleNamespace(name=names.maker, model=names.model, values=values, few=tuple(few))

    def form(self, entity: Entity, names: tuple[str, ...], variant: str) -> SimpleNamespace:
        """Lines building ``data`` (the POST: ``"attr": source`` items) and the assertions on
        the saved ``record``."""
        attrs, entities = self.attrs(entity), self.entities
        fields = {f.name: f for f in reversed(entity.fields)}  # the first of a name wins, as Entity.field
        setup, items, checks = [], [], []
        for name in names:
            field, attr = fields[name], attrs[name]
            if field.type.kind == "user":
                setup.append(f"{attr} = new_user()")
                key = self.literal(attr)
                items.append(f"{key}: str({attr}.pk)")
                checks.append(f"self.assertEqual(str(record.{attr}_id), data[{key}])")
                continue
            if field.type.kind == "ref":
                target = entities.get(field.type.ref or "")
                if (
                    target is None
                    or not self.makeable(target)
                    or (target.name == entity.name and not field.is_required)
                ):
                    continue
                setup.append(f"{attr} = {self.names[target.name].maker}()")
                key = self.literal(attr)
                items.append(f"{key}: str({attr}.pk)")
                checks.append(f"self.assertEqual(str(record.{attr}_id), data[{key}])")
                continue
            value, expected = posted(field, variant)
            if value is not None:
                items.append(f"{self.literal(attr)}: {value}")
            if expected is not None:
                checks.append(check(attr, field, expected))
        enum = next((attrs[n] for n in names if fields[n].type.kind == "enum"), None)
        return SimpleNamespace(
            setup=setup,
            items=items,
            checks=checks,
            fields="[" + ", ".join(self.literal(attrs[n]) for n in names) + "]",  # py_literal(list)
            enum=self.literal(enum) if enum is not None else None,
            inject=self.injection(entity, names, variant),
        )

    def injection(self, entity: Entity, names: tuple[str, ...], variant: str) -> SimpleNamespace | None:
        """A field the form does not hold, with a value to smuggle into the POST: attribute,
        posted source, expected source. Saved, it must not hold that value."""
        attrs = self.attrs(entity)
        for field in entity.fields:
            if (
                field.name in names
                or not naming.form_editable(field, "create")
                or field.pk
                or field.type.kind in ("ref", "user", "datetime")
            ):
                continue
            if field.type.kind == "bool" and (variant == "edit" or (field.default and field.default.value)):
                continue
            attr = attrs[field.name]
            if field.type.kind == "enum":
                current = field.default.text if field.default is not None else None
                value = next((v for v in field.type.enum_values if v != current and v), None)
                if value is None:
                    continue
                return SimpleNamespace(
                    attr=attr, key=self.literal(attr), post=self.literal(value), value=self.literal(value)
                )
            post, expected = posted(field, "inject")
            if post is not None and expected is not None:
                return SimpleNamespace(attr=attr, key=self.literal(attr), post=post, value=expected)
        return None

    def pages_tests(self, plan: EntityPlan) -> SimpleNamespace:
        """Everything the template needs for the test class of one entity."""
        entity = self.entities[plan.name]
        names = self.names[plan.name]
        can_make = self.makeable(entity)
        maker = names.maker if can_make else None
        pages = plan.pages
        urls = {p: self.literal(names.url(p)) for p in pages}
        keyed = next((p for p in ("detail", "update", "delete") if p in pages), None)
        pk = entity.pk
        kind = pk.type.kind if pk is not None else "int"
        sample, malformed = {
            "uuid": ('"00000000-0000-0000-0000-000000000000"', '"not-a-uuid"'),
            "str": ('"no-such-record"', None),
        }.get(kind, ("999999", '"not-a-number"'))
        referrer = next(
            (
                (self.names[other.name].maker, self.attrs(other)[f.name])
                for other, f in self.refs.get(plan.name, ())
                if f.is_required and other.name != plan.name and self.makeable(other)
            ),
            None,
        )
        search = None
        if plan.search and can_make:
            attr = plan.search[0]
            attrs = self.attrs(entity)
            found, other = search_needles(next(f for f in entity.fields if attrs[f.name] == attr))
            search = SimpleNamespace(attr=attr, needle=self.literal(found), other=self.literal(other))
        return SimpleNamespace(
            cls=names.tests_class,
            model=names.model,
            create_form=names.form("create"),
            edit_form=names.form("edit"),
            # A record whose required refs lead back to itself can never be saved: its create
            # form is shown and checked, never posted.
            can_create=can_make,
            maker=maker,
            urls=urls,
            keyed=keyed,
            keyed_url=urls[keyed] if keyed else None,
            sample_key=sample,
            malformed=malformed,
            create=self.form(entity, plan.create_fields, "create")
            if plan.create_fields is not None
            else None,
            edit=self.form(entity, plan.edit_fields, "edit") if plan.edit_fields is not None else None,
            search=search,
            list_columns=[self.literal(shown_text(t)) for t in plan.list_columns],
            list_sections=[self.literal(shown_text(t)) for t in plan.list_sections],
            view_fields=[self.literal(shown_text(t)) for t in plan.view_fields],
            view_sections=[self.literal(shown_text(t)) for t in plan.view_sections],
            referrer=referrer,
            tests_list=bool(maker) and "list" in pages,
            tests_detail=bool(maker) and "detail" in pages,
            tests_delete=bool(maker) and "delete" in pages,
        )


def shown_text(text: str) -> str:
    """A text as ``texts()`` of the generated support module reads it off a page: white space
    collapsed."""
    return " ".join(text.split())
