"""The ``document`` generator: ``openapi.json``, the OpenAPI 3.1 document of the API the
``django_api`` stack serves at ``/api/``, written from the spec alone (no Django).

It says what drf-spectacular says at ``/api/schema/``, in its order: the paths of the router
and of ``token/``, an operation per viewset action with drf-spectacular's operation ids, tags,
parameters (the list page's filters, ``q``, ``sort``, ``page``; the key), request bodies in the
parsers' content types, the answers of ``rules.Schema`` (success and errors) and the
authentication schemes; a component per serializer (``<Model><Kind>``, ``Patched…`` for PATCH,
``Paginated…List`` for a page of a list). ``generators.django_api.plan`` says what the API
holds; ``columns`` and ``schemas`` what its values are, ``operations`` and ``components`` the
rest.

The slice holds the names, fields and rules the document shows, and the one text of the spec
it shows: a model's verbose name, in the description of its key in a path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dazzle.ir import AppSpec
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming, reserved
from generators.django.spec_index import indexed
from generators.django_api.plan import OPERATIONS, EntityApi, api_plan
from generators.openapi import components, operations
from generators.openapi.base import OpenApiGenerator
from generators.openapi.columns import column, key_column, visitor_operations
from generators.openapi.slices import DocumentSlice, EntityDoc, Representation

FILE = "openapi.json"
REPRESENTATIONS = {"list": "list", "detail": "retrieve", "create": "create", "update": "partial_update"}
"""Representation → the action whose serializer it is (``endpoints.REPRESENTATIONS``)."""


def verbose_name(entity) -> str:
    """The model's ``verbose_name`` as models.py writes it."""
    return naming.verbose_name(entity).replace("\x00", "")[: reserved.VERBOSE_NAME_MAX]


def entity_doc(spec: AppSpec, api: EntityApi) -> EntityDoc:
    entity = spec.entity(api.name)
    attrs = naming.field_attrs(entity)
    fields = {attrs[f.name]: f for f in entity.fields}
    kinds = [k for k, action in REPRESENTATIONS.items() if action in api.actions]
    if api.shown not in kinds:
        kinds.append(api.shown)
    representations = {
        k: Representation(fields=r[0], writable=r[1]) for k in kinds for r in [api.representation(k)]
    }
    listing = spec.surface_for(api.name, "list")
    filters = None
    if api.filterset is not None and listing is not None:
        filters = tuple(attrs[f.field] for f in listing.filters if entity.field(f.field) is not None)
    wanted = {api.pk, *(a for r in representations.values() for a in r.fields), *(filters or ())}
    columns = {
        a: column(spec, entity, fields[a]) if a in fields else key_column(spec, entity)
        for a in sorted(wanted)
    }
    visitors = visitor_operations(spec, entity)
    return EntityDoc(
        model=api.model,
        segment=api.segment,
        pk=api.pk,
        actions=api.actions,
        shown=api.shown,
        representations=representations,
        columns=columns,
        together=tuple(
            tuple(attrs[n] for n in c.fields)
            for c in entity.constraints
            if c.kind == "unique" and len(set(c.fields)) > 1
        ),
        sort=tuple(api.sort_columns),
        filters=filters,
        visitors=tuple(a for a in api.actions if OPERATIONS[a] in visitors),
        verbose_name=verbose_name(entity)
        if {"retrieve", "partial_update", "destroy"} & set(api.actions)
        else None,
    )


def document(slice: DocumentSlice) -> dict[str, Any]:
    found = [op for e in slice.entities for op in operations.entity_operations(e)]
    return {
        "openapi": "3.1.0",
        "info": {"title": slice.title, "version": slice.version},
        "paths": operations.paths([*found, *operations.token_operations()]),
        "components": components.components(slice.entities),
    }


class DocumentGenerator(OpenApiGenerator):
    name = "document"
    doc = "openapi.json: the OpenAPI 3.1 document of the REST API (django_api), from the spec alone"
    slice_model = DocumentSlice

    def slice(self, spec: AppSpec) -> DocumentSlice:
        spec = indexed(spec)
        plan = api_plan(spec)
        return DocumentSlice(
            title=f"{spec.app.label} API",
            version=spec.version or "0.1.0",
            entities=tuple(entity_doc(spec, e) for e in plan.entities),
        )

    def generate(self, slice: DocumentSlice, artifacts: Mapping[str, Any]) -> Generated:
        text = json.dumps(document(slice), indent=2) + "\n"
        return Generated(files=[GeneratedFile(FILE, text)])
