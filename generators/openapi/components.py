"""The components of the document: a schema per serializer of an entity (``<Model><Kind>``;
``Patched<Model>Update``, what PATCH takes; ``Paginated<Model>ListList``, a page of its list), the
token view's and the error answers', and the authentication schemes — as drf-spectacular names
and writes them for the generated ``serializers.py`` and ``rules.py``.

The texts here are the generated API's own: the serializers' docstrings (``endpoints.DOCS``),
``rules.ErrorSerializer``'s and ``rules.TokenSerializer``'s, drf-spectacular's token and session
schemes; ``tests/e2e/test_openapi_matches.py`` holds them to the served document.
"""

from __future__ import annotations

from typing import Any

from generators.openapi.schemas import object_schema, property_schema, required
from generators.openapi.slices import EntityDoc

DOCS = {  # endpoints.DOCS: each serializer's docstring, its component's description
    "list": "A {model} as its list shows it: the list surface's columns.",
    "detail": "A {model} as its page shows it: the view surface's fields.",
    "create": "A new {model}: the create surface's fields (and the required ones it leaves out).",
    "update": "A change to a {model}: the edit surface's fields.",
}
ERROR_DOC = (  # rules.ErrorSerializer's docstring
    "A 401, 403, 404, 409 or 415: what went wrong. (A 400 is an object of field name, or\n"
    "``non_field_errors``, \u2192 its messages.)"
)
SECURITY_SCHEMES = {
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
    "tokenAuth": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    },
}
ERROR_SCHEMA = object_schema({"detail": {"type": "string", "readOnly": True}}, ["detail"], ERROR_DOC)
AUTH_TOKEN_SCHEMA = object_schema(
    {
        "username": {"type": "string", "writeOnly": True},
        "password": {"type": "string", "writeOnly": True},
        "token": {"type": "string", "readOnly": True},
    },
    ["username", "password", "token"],
)
TOKEN_SCHEMA = object_schema(  # rules.TokenSerializer
    {"token": {"type": "string", "readOnly": True}},
    ["token"],
    "What ``POST /api/token/`` answers: the key to send as ``Authorization: Token <key>``.",
)


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def component_name(e: EntityDoc, kind: str, patched: bool = False) -> str:
    return f"{'Patched' if patched else ''}{e.model}{kind.capitalize()}"


def paginated_name(e: EntityDoc) -> str:
    return f"Paginated{component_name(e, 'list')}List"


def properties(e: EntityDoc, kind: str) -> list[tuple[str, dict, bool]]:
    """(attribute, schema, required) of each property of a representation. A composite unique
    line whose fields are all there gives them their defaults (DRF's uniqueness kwargs)."""
    rep = e.representations[kind]
    defaults: dict[str, str | None] = {}
    for attrs in e.together:
        if set(attrs) <= set(rep.fields):
            defaults.update({a: e.columns[a].together_default for a in attrs})
    found = []
    for attr in rep.fields:
        column, read_only, default = e.columns[attr], attr not in rep.writable, defaults.get(attr)
        found.append(
            (attr, property_schema(column, read_only, default), required(column, read_only, default))
        )
    return found


def component(e: EntityDoc, kind: str, patched: bool = False) -> dict:
    props = properties(e, kind)
    names = [] if patched else [a for a, _, needed in props if needed]
    return object_schema({a: s for a, s, _ in props}, names, DOCS[kind].format(model=e.model))


def pagination(e: EntityDoc) -> dict:
    """DRF's ``PageNumberPagination.get_paginated_response_schema`` (null links as OAS 3.1 says)."""

    def link(page: int) -> dict:
        example = f"http://api.example.org/accounts/?page={page}"
        return {"type": ["string", "null"], "format": "uri", "example": example}

    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer", "example": 123},
            "next": link(4),
            "previous": link(2),
            "results": {"type": "array", "items": ref(component_name(e, "list"))},
        },
    }


def entity_components(e: EntityDoc) -> dict[str, dict]:
    found: dict[str, dict] = {}
    if "list" in e.actions:
        found[component_name(e, "list")] = component(e, "list")
        found[paginated_name(e)] = pagination(e)
    if "retrieve" in e.actions:
        found[component_name(e, "detail")] = component(e, "detail")
    if "create" in e.actions:
        found[component_name(e, "create")] = component(e, "create")
    if "partial_update" in e.actions:
        found[component_name(e, "update", patched=True)] = component(e, "update", patched=True)
    if {"create", "partial_update"} & set(e.actions):
        found.setdefault(component_name(e, e.shown), component(e, e.shown))
    return found


def components(entities) -> dict:
    schemas = {"AuthToken": AUTH_TOKEN_SCHEMA, "Error": ERROR_SCHEMA, "Token": TOKEN_SCHEMA}
    for e in entities:
        schemas.update(entity_components(e))
    found: dict[str, Any] = {"schemas": dict(sorted(schemas.items()))}
    if entities:  # the schemes of the operations that name them: the token view names none
        found["securitySchemes"] = SECURITY_SCHEMES
    return found
