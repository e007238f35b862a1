"""JSON Schema for the API's values, as drf-spectacular (OAS 3.1) writes it for the serializers
of the ``django_api`` stack: a ``Column`` (what the model field is) → the schema of a property,
a path parameter or a filter.

The serializer field is what DRF's ``ModelSerializer`` builds from the model field
(``rest_framework.utils.field_mapping``): a read-only field keeps neither its length nor its
range; a writable one is required unless it has a default, may be blank or NULL. drf-spectacular
maps it (``AutoSchema._map_serializer_field``), adds its metadata (``readOnly``, NULL as a
``"null"`` type, a default, a title) and, inside a component, its validators (``maxLength``; a
blank e-mail becomes ``oneOf`` the address and ``""``). Keys come in drf-spectacular's order.
"""

from __future__ import annotations

import json

from generators.openapi.columns import EMAIL_MAX_LENGTH, Column

INT_RANGE = (-9223372036854775808, 9223372036854775807)
"""The range Django gives an integer column on SQLite, the generated project's default
database (``DatabaseOperations.integer_field_range``): 64 bits, so ``format: int64``."""
INT32 = (-2147483648, 2147483647)

BASIC = {
    "str": {"type": "string"},
    "text": {"type": "string"},
    "email": {"type": "string", "format": "email"},
    "auto": {"type": "integer"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "uuid": {"type": "string", "format": "uuid"},
}


def decimal_pattern(digits: int, places: int) -> str:
    whole = digits - places
    start = r"^-?0?" if whole == 0 else rf"^-?\d{{0,{whole}}}"
    return start + rf"(?:\.\d{{0,{places}}})?$"


def append_meta(schema: dict, meta: dict) -> dict:
    """drf-spectacular's ``append_meta`` for OAS 3.1: NULL allowed is a ``"null"`` type."""
    schema = dict(schema)
    meta = dict(meta)
    if meta.pop("nullable", False):
        if "type" in schema:
            types = schema["type"]
            schema["type"] = [types, "null"] if isinstance(types, str) else [*types, "null"]
        else:  # a reference
            schema = {"oneOf": [schema, {"type": "null"}]}
    return {**schema, **meta}


def base_schema(column: Column, read_only: bool, allow_blank: bool) -> dict:
    """The schema of the serializer field's type, before its metadata."""
    kind = column.kind
    if kind == "enum":
        choices = list(dict.fromkeys(column.choices))
        if allow_blank and "" not in choices:
            choices.append("")
        schema: dict = {"enum": choices, "type": "string"}
        if column.null:
            schema["enum"] = [*choices, None]
        return schema
    if kind == "int":
        if read_only:
            return {"type": "integer"}
        low, high = INT_RANGE
        schema = {"type": "integer", "maximum": high, "minimum": low}
        if not (INT32[0] <= low and high <= INT32[1]):
            schema["format"] = "int64"
        return schema
    if kind == "decimal":
        digits, places = column.max_digits or 1, column.decimal_places or 0
        return {"type": "string", "format": "decimal", "pattern": decimal_pattern(digits, places)}
    if kind in ("ref", "user"):
        assert column.key is not None, kind
        return key_schema(column.key)
    return dict(BASIC[kind])


def field_schema(column: Column, read_only: bool, default: str | None = None) -> dict:
    """``_map_serializer_field``: the serializer field of ``column`` (read-only or writable),
    with ``default`` (JSON) where DRF gives it one."""
    read_only = read_only or not column.editable
    allow_blank = column.blank and not read_only and column.kind in ("str", "text", "email", "enum")
    meta: dict = {}
    if read_only:
        meta["readOnly"] = True
    if column.null:
        meta["nullable"] = True
    if default is not None:
        meta["default"] = json.loads(default)
    if column.title:
        meta["title"] = column.title
    return append_meta(base_schema(column, read_only, allow_blank), meta)


def model_field_schema(column: Column) -> dict:
    """``_map_model_field``: the field DRF builds for the model field alone (writable unless it
    is not editable), without validators: a key, a path parameter, a filter."""
    return field_schema(column, read_only=False)


def key_schema(key: Column) -> dict:
    """What a reference holds: its target's key, never read-only as such."""
    schema = model_field_schema(key)
    schema.pop("readOnly", None)
    return schema


def property_schema(column: Column, read_only: bool, default: str | None = None) -> dict:
    """A property of a component: the field's schema and its validators (``_map_basic_serializer``)."""
    schema = field_schema(column, read_only, default)
    writable = not read_only and column.editable
    if not writable:
        return schema
    length = (
        column.max_length if column.kind == "str" else EMAIL_MAX_LENGTH if column.kind == "email" else None
    )
    if length is not None:
        schema["maxLength"] = length
    if column.blank and column.kind == "email":  # a format, and blank allowed: the address or ""
        outer = ("readOnly", "writeOnly", "nullable", "deprecated", "description", "title")
        inner = {k: schema.pop(k) for k in list(schema) if k not in outer}
        schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]
    return schema


def required(column: Column, read_only: bool, default: str | None) -> bool:
    """In the component's ``required`` list: a read-only property (drf-spectacular lists them,
    as answers always hold them), or one a request must send."""
    if read_only or not column.editable:
        return True
    return not column.optional and default is None


def object_schema(properties: dict, required_names, description: str | None = None) -> dict:
    """``build_object_type``."""
    schema: dict = {"type": "object"}
    if description:
        schema["description"] = description.strip()
    if properties:
        schema["properties"] = properties
    if required_names:
        schema["required"] = sorted(required_names)
    return schema
