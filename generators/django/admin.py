"""The ``admin`` generator: ``<app>/admin.py``, an admin page for every entity.

``list_display`` follows the entity's list surface (else its first fields), with the references
it shows fetched in the same query (``list_select_related``: a constant number of queries per
page); ``search_fields`` covers its text fields, ``list_filter`` its enums, bools and dates —
not references, whose filter would list every row of the target — and a reference to an
entity with text fields is an ``autocomplete_fields`` search box (answering with what the
rules let the person see). Fields the framework fills (``auto_add``/``auto_update`` dates,
generated keys) are read-only. The slice
keeps only what shapes the admin: field names, types and modifiers, and the list surface's
column names — not titles, labels or defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec, Entity
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import py_assign, render
from generators.django.spec_index import indexed

FILTER_KINDS = ("enum", "bool", "date", "datetime")
DEFAULT_COLUMNS = 5


class AdminEntity(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    entity: Entity  # without title, module, defaults and renames
    model: str  # its model class
    columns: tuple[str, ...] = ()  # field names of the list surface, in order; () when none


class AdminSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str
    entities: tuple[AdminEntity, ...]
    searchable: tuple[str, ...] = ()  # entities with text fields, in spec order: their admin searches


def admin_shape(entity: Entity) -> Entity:
    """The entity without what the admin never reads, so that editing it re-runs nothing."""
    fields = tuple(f.replace(default=None, was=None) for f in entity.fields)
    return entity.replace(title=None, module="", fields=fields, permit=None)


def is_generated(field) -> bool:
    """Filled by the framework, so shown read-only."""
    return field.auto_add or field.auto_update or (field.pk and field.type.kind in ("uuid", "int"))


def searchable(entity: Entity) -> bool:
    return any(f.type.kind in naming.TEXT_KINDS for f in entity.fields)


def admin_context(item: AdminEntity, searchable_targets: tuple[str, ...]) -> dict:
    entity = item.entity
    attrs = naming.field_attrs(entity)
    columns = [attrs[n] for n in item.columns if entity.field(n) is not None]
    if not columns:
        shown = [f for f in entity.fields if f.type.kind != "text" and not is_generated(f)]
        columns = [attrs[f.name] for f in shown[:DEFAULT_COLUMNS]] or ["__str__"]
    created = next((f for f in entity.fields if f.auto_add and f.type.kind in ("date", "datetime")), None)
    refs = {attrs[f.name]: f.name for f in entity.fields}
    options = {
        "list_display": list(dict.fromkeys(columns)),
        "list_filter": [attrs[f.name] for f in entity.fields if f.type.kind in FILTER_KINDS],
        "search_fields": [attrs[f.name] for f in entity.fields if f.type.kind in naming.TEXT_KINDS],
        "readonly_fields": [attrs[f.name] for f in entity.fields if is_generated(f)],
        "list_select_related": [
            c
            for c in dict.fromkeys(columns)
            if c in refs and entity.field(refs[c]).type.kind in naming.RELATION_KINDS
        ],
        "autocomplete_fields": [
            attrs[f.name]
            for f in entity.fields
            if f.type.kind == "ref" and f.type.ref in searchable_targets and not is_generated(f)
        ],
    }
    return {
        "model": item.model,
        "admin_class": naming.admin_class(item.model),
        "options": [py_assign(name, values) for name, values in options.items() if values],
        "date_hierarchy": attrs[created.name] if created is not None else None,
    }


class AdminGenerator(DjangoGenerator):
    name = "admin"
    doc = "<app>/admin.py: @admin.register for every entity"
    slice_model = AdminSlice
    templates = "templates/admin"

    def slice(self, spec: AppSpec) -> AdminSlice:
        spec = indexed(spec)
        names = naming.app_names(spec)
        items = []
        for entity in spec.entities:
            listing = spec.surface_for(entity.name, "list")
            columns = tuple(f.name for f in listing.fields) if listing is not None else ()
            model = names.entities[entity.name].model
            items.append(AdminEntity(entity=admin_shape(entity), model=model, columns=columns))
        found = tuple(e.name for e in spec.entities if searchable(e))
        return AdminSlice(app=names.app, entities=tuple(items), searchable=found)

    def generate(self, slice: AdminSlice, artifacts: Mapping[str, Any]) -> Generated:
        content = render(
            self.template_dir(),
            "app/admin.py.j2",
            app=slice.app,
            admins=[admin_context(item, slice.searchable) for item in slice.entities],
        )
        return Generated(files=[GeneratedFile(f"{slice.app}/admin.py", content)])
