"""The ``access`` generator: ``<app>/access.py`` — who may do what (REFERENCE §Access control),
and the one mechanism every view, template, admin page, flow step and integration action asks.

The file holds the spec's roles, each entity's ``permit`` rules as condition objects (field
conditions name the model attribute of the ``user`` field), the surface ``permit`` lines by the
page they guard, and the ``user`` fields filled from the signed-in user (``auto_add``/
``auto_update``). An entity without a ``permit`` block is absent from ``RULES``: every
operation is the default's (signed-in users, or anyone when ``login_required = false``), as in
0.1. The code that reads them is the same for every app (``templates/access/app/access.py.j2``).

It also writes ``<app>/migration_operations.py``: ``SyncRoles``, the migration operation that
creates and removes the roles' groups (the migrations hook adds one whenever the spec's roles
differ from what the migrations made). Its code never depends on the spec: migrations written
long ago must keep working.

Artifact: none — views, admin and templates name rules by model class and operation, and
read them at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec, Condition, Entity
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import py_literal, render
from generators.django.spec_index import indexed
from generators.django.wiring import surface_permits


class AccessEntity(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    rules: dict[str, str] | None = None  # operation → condition source; None: no permit block
    pages: dict[str, str] = {}  # operation → the condition of its surface's `permit` line
    stamps: tuple[tuple[str, str, bool], ...] = ()  # (attribute, "add"|"update", required)


class AccessSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str
    login_required: bool
    roles: tuple[tuple[str, str], ...] = ()  # (name, title)
    entities: tuple[AccessEntity, ...] = ()
    customs: dict[str, str] = {}  # custom surface's view class → its `permit` condition


def condition_source(condition: Condition, attrs: Mapping[str, str]) -> str:
    """A condition as Python source over the classes of access.py."""
    kind = condition.kind
    if kind == "role":
        return f"Role({py_literal(condition.name)})"
    if kind == "field":
        return f"Owner({py_literal(attrs.get(condition.name or '', condition.name or ''))})"
    if kind in ("and", "or"):
        parts = ", ".join(condition_source(p, attrs) for p in condition.parts)
        return f"{'All' if kind == 'and' else 'Any'}({parts})"
    return {"anyone": "ANYONE", "signed_in": "SIGNED_IN", "nobody": "NOBODY"}[kind]


def access_entity(spec: AppSpec, entity: Entity, model: str) -> AccessEntity | None:
    attrs = naming.field_attrs(entity)
    rules = None
    if entity.permit is not None:
        rules = {r.operation: condition_source(r.condition, attrs) for r in entity.permit}
    pages = {op: condition_source(c, attrs) for op, c in surface_permits(spec, entity.name).items()}
    stamps = tuple(
        (attrs[f.name], "add" if f.auto_add else "update", f.is_required)
        for f in entity.fields
        if f.type.kind == "user" and (f.auto_add or f.auto_update)
    )
    if rules is None and not pages and not stamps:
        return None
    return AccessEntity(model=model, rules=rules, pages=pages, stamps=stamps)


class AccessGenerator(DjangoGenerator):
    name = "access"
    doc = "<app>/access.py: roles, permit rules and the mechanism that enforces them"
    slice_model = AccessSlice
    templates = "templates/access"

    def slice(self, spec: AppSpec) -> AccessSlice:
        spec = indexed(spec)  # each entity asks for its surfaces
        names = naming.app_names(spec)
        found = (access_entity(spec, e, names.entities[e.name].model) for e in spec.entities)
        customs = {}
        for s in spec.surfaces:
            if s.mode == "custom" and s.permit is not None:
                entity = spec.entity(s.entity) if s.entity else None
                attrs = naming.field_attrs(entity) if entity is not None else {}
                customs[names.customs[s.name].view] = condition_source(s.permit, attrs)
        return AccessSlice(
            app=names.app,
            login_required=spec.config.build.login_required,
            roles=tuple((r.name, r.label) for r in spec.app.roles),
            entities=tuple(e for e in found if e is not None),
            customs=customs,
        )

    def generate(self, slice: AccessSlice, artifacts: Mapping[str, Any]) -> Generated:
        app = slice.app
        access = render(
            self.template_dir(),
            "app/access.py.j2",
            app=app,
            login_required=slice.login_required,
            roles=slice.roles,
            entities=slice.entities,
            customs=slice.customs,
        )
        operations = render(self.template_dir(), "app/migration_operations.py.j2", app=app)
        return Generated(
            files=[
                GeneratedFile(f"{app}/access.py", access),
                GeneratedFile(f"{app}/migration_operations.py", operations),
            ]
        )
