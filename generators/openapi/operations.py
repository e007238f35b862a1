"""The paths and operations of the document, from the slice's entities — what drf-spectacular
makes of the generated router, viewsets and ``rules.Schema`` at ``/api/schema/``: operation ids,
tags, parameters (the key; the list's filters, ``q``, ``sort``, ``page``), request bodies in the
parsers' media types, the answers of each action (``rules.ERRORS``), security.

The texts here are the generated API's own (``rules.py``: the ``?q=`` and ``?sort=``
descriptions; DRF's page parameter and key descriptions); ``tests/e2e/test_openapi_matches.py``
holds them to the served document.
"""

from __future__ import annotations

from typing import Any

from generators.django.naming import API_PREFIX
from generators.django_api.plan import ERRORS, PAGE_PARAM, SEARCH_DOC, SEARCH_PARAM, SORT_DOC, SORT_PARAM
from generators.openapi.components import component_name, paginated_name, properties, ref
from generators.openapi.schemas import key_schema, model_field_schema
from generators.openapi.slices import EntityDoc

METHODS = {"list": "get", "create": "post", "retrieve": "get", "partial_update": "patch", "destroy": "delete"}
ON_RECORD = ("retrieve", "partial_update", "destroy")  # the actions of /api/<segment>/{key}/
SUCCESS = {"list": "200", "retrieve": "200", "create": "201", "partial_update": "200", "destroy": "204"}
PAGE_DOC = "A page number within the paginated result set."  # DRF's PageNumberPagination
PK_DOCS = {"auto": "unique integer value", "uuid": "UUID string"}  # DRF's get_pk_description

REQUEST_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
"""DRF's default parsers, in order."""
TOKEN_REQUEST_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")
"""``ObtainAuthToken.parser_classes``."""
SECURITY = ({"tokenAuth": []}, {"cookieAuth": []})  # settings: token, then session authentication
FIELD_ERRORS = {"type": "object", "additionalProperties": {}}  # a 400: field → its messages


def answer(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}, "description": ""}


def body(name: str, required: bool, types=REQUEST_TYPES) -> dict:
    found: dict[str, Any] = {"content": {t: {"schema": ref(name)} for t in types}}
    if required:
        found["required"] = True
    return found


def security(visitors: bool) -> list[dict]:
    return [*(dict(s) for s in SECURITY), *([{}] if visitors else [])]


# ---- parameters


def query(name: str, schema: dict, enum=None) -> dict:
    """``build_parameter_type`` for a query parameter of a filter."""
    found = {
        "in": "query",
        "name": name,
        "schema": {k: v for k, v in schema.items() if k not in ("readOnly", "writeOnly")},
    }
    if enum:
        found["schema"]["enum"] = sorted(enum, key=str)
    return found


def filter_parameters(e: EntityDoc, attr: str) -> list[dict]:
    """What drf-spectacular's django-filter extension says of one filter of the list's
    FilterSet (``generators/django/lists.py``: its kind follows the field's)."""
    column = e.columns[attr]
    kind = column.kind
    if kind in ("date", "datetime"):  # a from–to range of dates
        return [query(f"{attr}_{end}", {"type": "string", "format": "date"}) for end in ("after", "before")]
    if kind == "bool":
        return [query(attr, {"type": "boolean"})]
    if kind == "enum":
        schema = model_field_schema(column)
        schema.pop("enum")
        return [query(attr, schema, enum=column.choices)]
    assert column.key is not None, (attr, kind)  # ref, user: the key of a record
    return [query(attr, key_schema(column.key))]


STR_KEY_PATTERN = "^[^/]+$"
"""``endpoints.KEY_REGEX`` for a string key, anchored: drf-spectacular uses the route's pattern
where the parameter is called ``id`` (its name for ``pk``), and the model field otherwise."""


def key_parameter(e: EntityDoc) -> dict:
    column = e.columns[e.pk]
    if column.kind == "str" and e.pk == "id":
        return {
            "in": "path",
            "name": e.pk,
            "schema": {"type": "string", "pattern": STR_KEY_PATTERN},
            "required": True,
        }
    schema = {
        k: v
        for k, v in model_field_schema(column).items()
        if k not in ("readOnly", "writeOnly", "nullable", "default")
    }
    what = PK_DOCS.get(column.kind, "unique value")
    description = f"A {what} identifying this {e.verbose_name}."
    return {"in": "path", "name": e.pk, "schema": schema, "description": description, "required": True}


def parameters(e: EntityDoc, action: str) -> list[dict]:
    """Path, filter, search, sort and page parameters, merged by name as drf-spectacular does
    (a later one with the same name wins), sorted by name."""
    found: list[dict] = []
    if action in ON_RECORD:
        found.append(key_parameter(e))
    if action == "list":
        for attr in e.filters or ():
            found += filter_parameters(e, attr)
        found.append(
            {
                "name": SEARCH_PARAM,
                "required": False,
                "in": "query",
                "description": SEARCH_DOC,
                "schema": {"type": "string"},
            }
        )
        values = [v for c in e.sort for v in (c, f"-{c}")]
        found.append(
            {
                "name": SORT_PARAM,
                "required": False,
                "in": "query",
                "description": SORT_DOC,
                "schema": {"type": "string", "enum": values},
            }
        )
        found.append(
            {
                "name": PAGE_PARAM,
                "required": False,
                "in": "query",
                "description": PAGE_DOC,
                "schema": {"type": "integer"},
            }
        )
    merged = {(p["name"], p["in"]): p for p in found}
    return sorted(merged.values(), key=lambda p: p["name"])


# ---- operations


def responses(e: EntityDoc, action: str) -> dict:
    success = SUCCESS[action]
    if action == "list":
        found = {success: answer(ref(paginated_name(e)))}
    elif action == "retrieve":
        found = {success: answer(ref(component_name(e, "detail")))}
    elif action == "destroy":
        found = {success: {"description": "No response body"}}
    else:
        found = {success: answer(ref(component_name(e, e.shown)))}
    for code in ERRORS[action]:
        found[str(code)] = answer(FIELD_ERRORS if code == 400 else ref("Error"))
    return found


def request_body(e: EntityDoc, action: str) -> dict | None:
    if action == "create":
        needed = any(needed for attr, s, needed in properties(e, "create") if not s.get("readOnly"))
        return body(component_name(e, "create"), needed)
    if action == "partial_update":
        return body(component_name(e, "update", patched=True), False)
    return None


def entity_operations(e: EntityDoc) -> list[tuple[str, str, dict]]:
    """(path, method, operation) of each action of an entity's viewset."""
    found = []
    for action in e.actions:
        path = f"/{API_PREFIX}/{e.segment}/" + (f"{{{e.pk}}}/" if action in ON_RECORD else "")
        operation: dict[str, Any] = {"operationId": f"{e.segment.replace('-', '_')}_{action}"}
        params = parameters(e, action)
        if params:
            operation["parameters"] = params
        operation["tags"] = [e.segment]
        request = request_body(e, action)
        if request:
            operation["requestBody"] = request
        operation["security"] = security(action in e.visitors)
        operation["responses"] = responses(e, action)
        found.append((path, METHODS[action], operation))
    return found


def token_operations() -> list[tuple[str, str, dict]]:
    """``token/``: DRF's ``obtain_auth_token`` as ``rules.TokenSchema`` shows it: a user name and
    password, answered with the token, a 400 or a 415; no credentials needed (no ``security``)."""
    operation = {
        "operationId": "token_create",
        "tags": ["token"],
        "requestBody": body("AuthToken", True, TOKEN_REQUEST_TYPES),
        "responses": {"200": answer(ref("Token")), "400": answer(FIELD_ERRORS), "415": answer(ref("Error"))},
    }
    return [(f"/{API_PREFIX}/token/", "post", operation)]


METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


def endpoint_order(item: tuple[str, str, dict]) -> tuple[str, int]:
    """drf-spectacular's ``alpha_operation_sorter``: by path (``foo/`` before ``foo/{key}/``
    before ``foo/bar/``), then GET, POST, PUT, PATCH, DELETE."""
    path, method, _ = item
    if path.endswith("/"):
        path = path[:-1] + " "
    return path.replace("{", "!"), METHOD_ORDER[method]


def paths(operations: list[tuple[str, str, dict]]) -> dict:
    found: dict[str, dict] = {}
    for path, method, operation in sorted(operations, key=endpoint_order):
        found.setdefault(path, {})[method] = operation
    by_id: dict[str, list[tuple[str, str]]] = {}
    for path, methods in found.items():
        for method, operation in methods.items():
            by_id.setdefault(operation["operationId"], []).append((path, method))
    for clashing in by_id.values():  # drf-spectacular's numeral suffixes: _2, _3 ...
        for n, (path, method) in enumerate(sorted(clashing)[1:], start=2):
            found[path][method]["operationId"] += f"_{n}"
    return found
