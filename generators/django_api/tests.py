"""The ``tests`` generator: ``<app>/tests/test_api.py`` — the REST API tried per operation,
allowed and refused, through HTTP with a token: for a visitor, a signed-in member without a
role, a member of each role and a superuser, on a record of their own and someone else's
(``generators.django.test_access`` works out the answers from the spec, independently of the
generated rules); each representation holds exactly its surface's fields; POST and PATCH save
what the forms would (the values ``test_values`` plans for the form tests); sorting both ways;
a session needs its CSRF token; the list's query count does not grow with its rows.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from dazzle.ir import AppSpec, Entity
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.render import render
from generators.django.spec_index import indexed
from generators.django.test_access import answer, decide, page_rule, people
from generators.django.test_values import TestPlanner
from generators.django_api.base import DjangoApiGenerator
from generators.django_api.plan import OPERATIONS, EntityApi, api_plan

STATUS = {"list": 200, "read": 200, "create": 201, "update": 200, "delete": 204}
"""What an allowed operation answers."""
_SUPPORT = re.compile(r"\b(?:make_\w+|new_user)\b")  # what the planned form lines call in support.py
STDLIB = ("datetime", "decimal", "uuid")


class ApiCase(BaseModel):
    """The expectations for one entity's endpoint."""

    api: EntityApi
    owner_fields: tuple[str, ...] = ()  # attributes of the user fields the rules compare
    checks: tuple[tuple[str, str, str, str], ...] = ()  # (person, operation, "mine"|"other", answer)
    enum_filters: tuple[str, ...] = ()  # filters that must refuse a value outside their enum
    required_create: bool = False  # POST {} must be refused (a required field without a default)


class ApiTestsSlice(BaseModel):
    app: str
    roles: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()  # every entity, titles left out: makers and form values
    names: dict[str, naming.EntityNames] = {}
    cases: tuple[ApiCase, ...] = ()


def stamps_someone(entity: Entity) -> bool:
    """Whether a new record must name the signed-in person (a required automatic user field)."""
    return any(
        f.type.kind == "user" and f.is_required and (f.auto_add or f.auto_update) for f in entity.fields
    )


def entity_case(spec: AppSpec, entity: Entity, api: EntityApi) -> ApiCase:
    everyone = people(spec)
    operations = [OPERATIONS[a] for a in api.actions]
    attrs = naming.field_attrs(entity)
    compared = {f for op in operations for f in page_rule(spec, entity, op).fields}
    owner_fields = tuple(attrs[f] for f in sorted(compared) if f in attrs)
    whose = ("mine", "other") if owner_fields else ("other",)
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
                if found == "ok" and not person.signed_in and stamps_someone(entity):
                    found = "login"  # allowed, but the record needs a signed-in person to stamp
                checks.append((person.name, operation, "other", found))
                continue
            for record in whose if person.signed_in else ("other",):
                checks.append((person.name, operation, record, answer(rule, person, record == "mine")))
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
        classes = []
        for case in slice.cases:
            entity, api = entities[case.api.name], case.api
            makeable = planner.makeable(entity)
            forms = {}
            for kind, fields in (("create", api.create_fields), ("update", api.update_fields)):
                if fields and makeable:
                    attrs = {a: n for n, a in naming.field_attrs(entity).items()}
                    forms[kind] = planner.form(
                        entity, tuple(attrs[a] for a in fields), "edit" if kind == "update" else "create"
                    )
            classes.append(
                {
                    "case": case,
                    "api": api,
                    "maker": slice.names[entity.name].maker if makeable else None,
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
            support_names=sorted(set(_SUPPORT.findall(body))),
            status=STATUS,
        )
        return Generated(files=[GeneratedFile(f"{slice.app}/tests/test_api.py", content)])
