"""What each DSL type is in the document, as drf-spectacular writes it for the django_api
serializers: writable in a form's representation, read-only in a list's or a view's, and as a
list filter. (``tests/e2e/test_openapi_matches.py`` holds these to the served document.)"""

from __future__ import annotations

import pytest

from generators.openapi.columns import decimal_text
from generators.openapi.schemas import decimal_pattern
from tests.openapi.support import document, surfaces

FIELDS = [
    "name", "notes", "count", "big", "price", "ok", "day", "at", "token", "mail", "contact",
    "state", "kind", "tag", "owner", "by", "parent", "class",
]  # fmt: skip
DSL = """app shop "Shop"

entity Thing "Thing":
  id: uuid pk
  name: str(50) required
  notes: text
  count: int default=3
  big: int required
  price: decimal(8,2)=1.5
  ok: bool
  day: date
  at: datetime auto_add
  token: uuid unique?
  mail: email unique?
  contact: email
  state: enum[b,a,c]=a
  kind: enum[x,y]
  tag: enum[p,q] unique?
  owner: user
  by: user auto_add
  parent: ref Thing
  class: str(10)

""" + surfaces("Thing", FIELDS, list="filter: state, kind, tag, ok, day, at, owner, parent")
INT64 = {"maximum": 9223372036854775807, "minimum": -9223372036854775808, "format": "int64"}
NULL_STR = ["string", "null"]


@pytest.fixture(scope="module")
def schemas() -> dict:
    return document(DSL)["components"]["schemas"]


@pytest.fixture(scope="module")
def filters() -> dict:
    found = document(DSL)["paths"]["/api/things/"]["get"]["parameters"]
    return {p["name"]: p for p in found}


WRITABLE = {
    "id": {"type": "string", "format": "uuid", "readOnly": True},  # a uuid key is generated
    "name": {"type": "string", "maxLength": 50},
    "notes": {"type": "string"},
    "count": {"type": ["integer", "null"], **INT64},
    "big": {"type": "integer", **INT64},
    "price": {"type": NULL_STR, "format": "decimal", "pattern": r"^-?\d{0,6}(?:\.\d{0,2})?$"},
    "ok": {"type": "boolean"},
    "day": {"type": NULL_STR, "format": "date"},
    "token": {"type": NULL_STR, "format": "uuid"},
    # an e-mail that may be empty: an address, or "" (a unique one stores an empty value as NULL)
    "mail": {
        "oneOf": [{"type": NULL_STR, "format": "email", "maxLength": 254}, {"type": "string", "maxLength": 0}]
    },
    "contact": {
        "oneOf": [{"type": "string", "format": "email", "maxLength": 254}, {"type": "string", "maxLength": 0}]
    },
    "state": {"enum": ["b", "a", "c"], "type": "string"},  # a default: never blank
    "kind": {"enum": ["x", "y", ""], "type": "string"},
    "tag": {"enum": ["p", "q", "", None], "type": NULL_STR},
    "owner": {"type": ["integer", "null"]},  # the user model's key
    "parent": {"type": NULL_STR, "format": "uuid"},  # the key of the record it points at
    "class_field": {"type": "string", "title": "Class", "maxLength": 10},  # a renamed attribute
}


def test_a_form_representation_is_writable(schemas):
    create = schemas["ThingCreate"]
    assert create["properties"] == WRITABLE
    assert list(create["properties"]) == list(WRITABLE)  # the form's order, the key first
    assert create["required"] == ["big", "id", "name"]  # read-only ones, and those without a default
    assert "by" not in create["properties"] and "at" not in create["properties"]  # filled on save


def test_a_change_requires_nothing(schemas):
    patched = schemas["PatchedThingUpdate"]
    assert "required" not in patched
    assert patched["properties"]["name"] == {"type": "string", "maxLength": 50}


READ_ONLY = {
    "id": {"type": "string", "format": "uuid", "readOnly": True},
    "name": {"type": "string", "readOnly": True},  # no length: DRF drops it from read-only fields
    "count": {"type": ["integer", "null"], "readOnly": True},  # nor a range
    "price": {
        "type": NULL_STR,
        "format": "decimal",
        "pattern": r"^-?\d{0,6}(?:\.\d{0,2})?$",
        "readOnly": True,
    },
    "at": {"type": "string", "format": "date-time", "readOnly": True},
    "mail": {"type": NULL_STR, "format": "email", "readOnly": True},
    "kind": {"enum": ["x", "y"], "type": "string", "readOnly": True},  # blank only on the way in
    "tag": {"enum": ["p", "q", None], "type": NULL_STR, "readOnly": True},
    "owner": {"type": ["integer", "null"], "readOnly": True},
    "by": {"type": ["integer", "null"], "readOnly": True},
    "parent": {"type": NULL_STR, "format": "uuid", "readOnly": True},
    "class_field": {"type": "string", "readOnly": True, "title": "Class"},
}


@pytest.mark.parametrize("kind", ["List", "Detail"])
def test_what_the_api_shows_is_read_only_and_always_there(schemas, kind):
    shown = schemas[f"Thing{kind}"]
    for attr, expected in READ_ONLY.items():
        assert shown["properties"][attr] == expected, attr
    assert shown["required"] == sorted(shown["properties"])


def test_filters(filters):
    assert filters["state"] == {
        "in": "query",
        "name": "state",
        "schema": {"type": "string", "enum": ["a", "b", "c"]},
    }
    assert filters["kind"]["schema"] == {"type": "string", "enum": ["x", "y"]}
    assert filters["tag"]["schema"] == {"type": NULL_STR, "enum": ["p", "q"]}
    assert filters["ok"]["schema"] == {"type": "boolean"}
    for name in ("day_after", "day_before", "at_after", "at_before"):  # a range of dates
        assert filters[name]["schema"] == {"type": "string", "format": "date"}
    assert "day" not in filters and "at" not in filters
    assert filters["owner"]["schema"] == {"type": "integer"}
    assert filters["parent"]["schema"] == {"type": "string", "format": "uuid"}
    assert "required" not in filters["state"]


def test_search_sort_and_page(filters):
    assert filters["q"]["schema"] == {"type": "string"}
    assert filters["page"] == {
        "name": "page",
        "required": False,
        "in": "query",
        "description": "A page number within the paginated result set.",
        "schema": {"type": "integer"},
    }
    values = filters["sort"]["schema"]["enum"]
    assert values[:4] == ["name", "-name", "notes", "-notes"] and values[-2:] == [
        "class_field",
        "-class_field",
    ]


KEYS = """app shop
entity Code:
  code: str(8) pk
  name: str(10)
entity Number:
  id: int pk
  name: str(10)
entity Plain:
  name: str(10)
entity Link:
  code: ref Code required
  number: ref Number
  plain: ref Plain

"""


def test_keys_and_references_to_them():
    found = document(
        KEYS
        + "\n".join(surfaces(e, ["name"]) for e in ("Code", "Number", "Plain"))
        + "\n"
        + surfaces("Link", ["code", "number", "plain"])
    )
    schemas = found["components"]["schemas"]
    assert schemas["CodeCreate"]["properties"]["code"] == {
        "type": "string",
        "maxLength": 8,
    }  # set once, on create
    assert schemas["CodeDetail"]["properties"]["code"] == {"type": "string", "readOnly": True}
    assert schemas["NumberCreate"]["properties"]["id"] == {"type": "integer", "readOnly": True}
    assert schemas["PlainList"]["properties"]["id"] == {"type": "integer", "readOnly": True}
    link = schemas["LinkCreate"]["properties"]
    assert link == {
        "id": {"type": "integer", "readOnly": True},
        "code": {"type": "string"},
        "number": {"type": ["integer", "null"]},
        "plain": {"type": ["integer", "null"]},
    }
    [code] = found["paths"]["/api/codes/{code}/"]["get"]["parameters"]
    assert code == {
        "in": "path",
        "name": "code",
        "schema": {"type": "string"},
        "description": "A unique value identifying this code.",
        "required": True,
    }
    [number] = found["paths"]["/api/numbers/{id}/"]["get"]["parameters"]
    assert number["schema"] == {"type": "integer"}
    assert number["description"] == "A unique integer value identifying this number."


def test_a_string_key_called_id_takes_the_routes_pattern():
    found = document("app shop\nentity Code:\n  id: str(8) pk\n\n" + surfaces("Code", ["id"], "view"))
    [key] = found["paths"]["/api/codes/{id}/"]["get"]["parameters"]
    assert key == {
        "in": "path",
        "name": "id",
        "schema": {"type": "string", "pattern": "^[^/]+$"},
        "required": True,
    }


def test_a_composite_unique_line_gives_its_fields_their_defaults():
    dsl = (
        "app shop\nentity Slot:\n  day: date required\n  room: str(10)\n  size: int default=4\n"
        "  cost: decimal(6,2) default=2.5\n  open: bool\n  state: enum[a,b]=b\n  unique day, room, size, cost, open, state\n\n"
    )
    every = ["day", "room", "size", "cost", "open", "state"]
    found = document(
        dsl + surfaces("Slot", every, "list create") + "\n" + surfaces("Slot", ["day", "size"], "view")
    )
    schemas = found["components"]["schemas"]
    create = schemas["SlotCreate"]["properties"]
    assert create["room"]["default"] == ""  # blank text
    assert create["size"]["default"] == 4
    assert create["cost"]["default"] == "2.50"  # as the serializer shows a decimal
    assert create["open"]["default"] is False
    assert create["state"]["default"] == "b"
    assert "default" not in create["day"]  # required: no default
    assert schemas["SlotList"]["properties"]["size"] == {
        "type": ["integer", "null"],
        "readOnly": True,
        "default": 4,
    }
    # the view shows only some of the line's fields: DRF applies none of it there
    assert "default" not in schemas["SlotDetail"]["properties"]["size"]


@pytest.mark.parametrize(
    "digits, places, pattern",
    [
        (8, 2, r"^-?\d{0,6}(?:\.\d{0,2})?$"),
        (1, 1, r"^-?0?(?:\.\d{0,1})?$"),
        (30, 0, r"^-?\d{0,30}(?:\.\d{0,0})?$"),
    ],
)
def test_decimal_patterns(digits, places, pattern):
    assert decimal_pattern(digits, places) == pattern


def test_decimal_defaults_are_quantized():
    assert decimal_text("1.5", 8, 2) == "1.50"
    assert decimal_text("-999.99", 5, 2) == "-999.99"
    assert decimal_text("123456789012345678901234567890", 30, 0) == "123456789012345678901234567890"
