"""The ``tests`` generator: ``<app>/tests/test_api.py`` — the REST API tried per operation,
allowed and refused, through HTTP with a token: for a visitor, a signed-in member without a
role, a member of each role and a superuser, on a record of their own and someone else's
(``generators.django.test_access`` works out the answers from the spec, independently of the
generated rules); each representation holds exactly its surface's fields; POST and PATCH save
what the forms would (the values ``test_values`` plans for the form tests); sorting both ways;
a session needs its CSRF token; the list's query count does not grow with its rows.

A reference may be set only to a record the person may read (as the forms offer): what a
person posts refers to records made theirs where the target's ``read`` rule is about rows, and
leaves out a reference (or a ``user`` field, for a visitor) they cannot set at all — a required
one makes their POST invalid (400).
"""

from __future__ import annotations

from types import SimpleNamespace

from pydantic import BaseModel

from dazzle.ir import AppSpec, Entity
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.render import py_literal, render
from generators.django.spec_index import indexed
from generators.django.test_access import Person, answer, decide, page_rule, people
from generators.django.test_lists import ROOM, made_values
from generators.django.test_values import TestPlanner
from generators.django_api.base import DjangoApiGenerator
from generators.django_api.plan import OPERATIONS, EntityApi, api_plan

STATUS = {"list": 200, "read": 200, "create": 201, "update": 200, "delete": 204}
"""What an allowed operation answers."""
STDLIB = ("datetime", "decimal", "uuid")
NEW_USER = "new_user"  # support.py's maker of a user


class ApiCase(BaseModel):
    """The expectations for one entity's endpoint."""

    api: EntityApi
    owner_fields: tuple[str, ...] = ()  # attributes of the user fields the rules compare
    checks: tuple[tuple[str, str, str, str], ...] = ()  # (person, operation, "mine"|"other", answer)
    # Reference attribute in a form → the user fields of its target that the target's read
    # rule compares: a record it refers to is made the poster's.
    ref_owners: dict[str, tuple[str, ...]] = {}
    # Person → the references and user fields in the forms they cannot set (left out).
    unsettable: dict[str, tuple[str, ...]] = {}
    enum_filters: tuple[str, ...] = ()  # filters that must refuse a value outside their enum
    required_create: bool = False  # POST {} must be refused (a required field without a default)


class ApiTestsSlice(BaseModel):
    app: str
    roles: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()  # every entity, titles left out: makers and form values
    names: dict[str, naming.EntityNames] = {}
    cases: tuple[ApiCase, ...] = ()


def stamps_someone(entity: Entity, created: bool) -> bool:
    """Whether saving a record must name the signed-in person: a required user field set on
    every save (``auto_update``) or, for a new record, on create (``auto_add``)."""
    return any(
        f.type.kind == "user" and f.is_required and (f.auto_update or (created and f.auto_add))
        for f in entity.fields
    )


def form_refs(entity: Entity, attrs: tuple[str, ...]) -> list:
    """The reference and user fields among a form's attributes."""
    fields = {attr: entity.field(name) for name, attr in naming.field_attrs(entity).items()}
    return [fields[a] for a in attrs if a in fields and fields[a].type.kind in ("ref", "user")]


def target_owners(spec: AppSpec, field) -> tuple[str, ...]:
    """The user fields (attributes) of a reference's target that its ``read`` rule compares."""
    if field.type.kind != "ref":
        return ()
    target = spec.entity(field.type.ref or "")
    if target is None:
        return ()
    attrs = naming.field_attrs(target)
    compared = page_rule(spec, target, "read", page=False).fields
    return tuple(attrs[f] for f in sorted(compared) if f in attrs)


def can_set(spec: AppSpec, field, person: Person) -> bool:
    """Whether ``person`` may set a reference or user field (``lists.readable``): to a record
    they may read, made theirs when the target's read rule is about rows; people only when
    signed in."""
    if field.type.kind == "user":
        return person.signed_in
    target = spec.entity(field.type.ref or "")
    return target is not None and answer(page_rule(spec, target, "read", page=False), person, True) == "ok"


def entity_case(spec: AppSpec, entity: Entity, api: EntityApi) -> ApiCase:
    everyone = people(spec)
    operations = [OPERATIONS[a] for a in api.actions]
    attrs = naming.field_attrs(entity)
    compared = {f for op in operations for f in page_rule(spec, entity, op).fields}
    owner_fields = tuple(attrs[f] for f in sorted(compared) if f in attrs)
    whose = ("mine", "other") if owner_fields else ("other",)
    refs = form_refs(entity, api.create_fields) + form_refs(entity, api.update_fields)
    ref_owners = {attrs[f.name]: target_owners(spec, f) for f in refs if target_owners(spec, f)}
    unsettable = {
        person.name: tuple(dict.fromkeys(attrs[f.name] for f in refs if not can_set(spec, f, person)))
        for person in everyone
    }
    required_refs = [f for f in form_refs(entity, api.create_fields) if f.is_required]
    checks = []
    for person in everyone:
        for operation in operations:
            rule = page_rule(spec, entity, operation)
            if operation == "create":
                # A rule about rows is checked on the record posted: whose it is depends on
                # the values, so only the answers that do not are tried here.
                if decide(rule, person) == "rows":
                    continue
                found = answer(rule, person, False)
                if found == "ok" and any(not can_set(spec, f, person) for f in required_refs):
                    found = "invalid"  # allowed, but a required reference they cannot set
                elif found == "ok" and not person.signed_in and stamps_someone(entity, created=True):
                    found = "login"  # allowed, but the record needs a signed-in person to stamp
                checks.append((person.name, operation, "other", found))
                continue
            for record in whose if person.signed_in else ("other",):
                found = answer(rule, person, record == "mine")
                if (
                    operation == "update"
                    and found == "ok"
                    and not person.signed_in
                    and stamps_someone(entity, created=False)
                ):
                    found = "login"  # allowed, but saving needs a signed-in person to stamp
                checks.append((person.name, operation, record, found))
    listing = spec.surface_for(entity.name, "list")
    enum_filters = tuple(
        attrs[f.field]
        for f in (listing.filters if listing is not None else ())
        if entity.field(f.field) is not None and entity.field(f.field).type.kind == "enum"
    )
    names = {attrs[f.name]: f for f in entity.fields}
    required_create = any(
        names[a].is_required and not names[a].has_default and names[a].type.kind != "bool"
        for a in api.create_fields
        if a in names
    )
    return ApiCase(
        api=api,
        owner_fields=owner_fields,
        checks=tuple(checks),
        ref_owners=ref_owners,
        unsettable={name: found for name, found in unsettable.items() if found},
        enum_filters=enum_filters,
        required_create=required_create,
    )


class ApiTestsGenerator(DjangoApiGenerator):
    name = "tests"
    doc = "<app>/tests/test_api.py: every API operation, allowed and refused, for every kind of person"
    slice_model = ApiTestsSlice
    templates = "templates/tests"

    def slice(self, spec: AppSpec) -> ApiTestsSlice:
        spec = indexed(spec)
        plan = api_plan(spec)
        names = naming.app_names(spec)
        return ApiTestsSlice(
            app=plan.app,
            roles=tuple(r.name for r in spec.app.roles),
            entities=tuple(e.replace(title=None, module="") for e in spec.entities),
            names=names.entities,
            cases=tuple(entity_case(spec, spec.entity(api.name), api) for api in plan.entities),
        )

    def generate(self, slice: ApiTestsSlice, artifacts) -> Generated:
        entities = {e.name: e for e in slice.entities}
        planner = TestPlanner(entities, slice.names)
        classes, support = [], set()  # support: the helpers the data methods call by name
        for case in slice.cases:
            entity, api = entities[case.api.name], case.api
            makeable = planner.makeable(entity)
            forms = {}
            for kind, fields in (("create", api.create_fields), ("update", api.update_fields)):
                if fields and makeable:
                    forms[kind] = form_data(planner, entity, fields, kind, case, support)
            classes.append(
                {
                    "case": case,
                    "api": api,
                    "maker": slice.names[entity.name].maker if makeable else None,
                    "rows": makeable and room_for_rows(planner, entity),
                    "shown_fields": api.representation(api.shown)[0],
                    "forms": forms,
                    "detail_fields": api.detail_fields,
                    "list_fields": api.list_fields,
                }
            )
        body = render(self.template_dir(), "app/tests/api_classes.py.j2", classes=classes)
        content = render(
            self.template_dir(),
            "app/tests/test_api.py.j2",
            app=slice.app,
            roles=slice.roles,
            body=body,
            stdlib=[name for name in STDLIB if f"{name}." in body],
            support_names=sorted(support),
            status=STATUS,
        )
        return Generated(files=[GeneratedFile(f"{slice.app}/tests/test_api.py", content)])


def room_for_rows(planner: TestPlanner, entity: Entity) -> bool:
    """Whether a test may make several rows of ``entity`` (sorting, the query count), by the
    rule of the list tests (``test_lists``): no unique bool or enum (made rows run out of
    values), and plenty of made values for every unique field and for one field of every
    unique constraint — of the entity and of the rows its required references make."""
    maker = planner.maker(entity)
    if maker is None or maker.few:
        return False
    if any((f.unique or f.unique_nullable or f.pk) and made_values(f) < ROOM for f in entity.fields):
        return False
    if not all(
        any(made_values(entity.field(name)) >= ROOM for name in c.fields if entity.field(name))
        for c in entity.constraints
        if c.kind == "unique"
    ):
        return False
    targets = {
        f.type.ref
        for f in entity.fields
        if f.type.kind == "ref" and f.is_required and f.type.ref != entity.name
    }
    return all(room_for_rows(planner, planner.entities[name]) for name in sorted(targets))


def form_data(
    planner: TestPlanner, entity: Entity, fields: tuple[str, ...], kind: str, case: ApiCase, support: set[str]
) -> SimpleNamespace:
    """The lines of a form's data method (``create_data`` or ``edit_data``): ``setup`` making
    the records and people it refers to (``made_<attr>``: a local name no field shadows), and
    the ``"attr": source`` ``items`` of the data. The values are the ones ``test_values``
    plans for the form tests; a record referred to is made the poster's where its read rule
    is about rows (``ApiCase.ref_owners``). ``support``: the helpers it calls are added."""
    names = {a: n for n, a in naming.field_attrs(entity).items()}
    variant = "edit" if kind == "update" else "create"
    plain = tuple(names[a] for a in fields if entity.field(names[a]).type.kind not in ("ref", "user"))
    planned = planner.form(entity, plain, variant)
    setup, items = [], list(planned.items)
    for attr in fields:
        field = entity.field(names[attr])
        if field.type.kind == "user":
            maker = NEW_USER
        elif field.type.kind == "ref":
            target = planner.entities.get(field.type.ref or "")
            if target is None or not planner.makeable(target):  # then the form leaves it empty
                continue
            maker = planner.names[target.name].maker
        else:
            continue
        support.add(maker)
        owners = case.ref_owners.get(attr, ())
        arguments = f"**self.owned(user, {py_literal(owners)})" if owners else ""
        setup.append(f"made_{attr} = {maker}({arguments})")
        items.append(f"{py_literal(attr)}: str(made_{attr}.pk)")
    return SimpleNamespace(setup=setup, items=items)
