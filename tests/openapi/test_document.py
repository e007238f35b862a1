"""The ``openapi`` stack's document: one file from the spec alone, the operations the surfaces
give, their parameters, bodies, answers and security, components, and a slice that only what
the document shows can change."""

from __future__ import annotations

import json

from openapi_spec_validator import validate

from dazzle.testing import run_generator, run_generators
from generators.openapi.document import DocumentGenerator
from generators.openapi.operations import paths
from tests.openapi.support import TOML, document, document_bytes, spec, surfaces

SHOP = (
    """app shop "Corner Shop"

entity Customer "Client":
  id: uuid pk
  name: str(80) required
  vip: bool

entity Order:
  number: str(12) required unique
  customer: ref Customer required
  state: enum[open,paid]=open
  placed: datetime auto_add
  by: user auto_add

"""
    + surfaces("Customer", ["name", "vip"], "list create")
    + "\n"
    + surfaces("Order", ["number", "customer", "state", "placed"], list="filter: state, customer, placed")
)


def test_the_stack_alone_writes_one_valid_document():
    files = run_generators(spec(SHOP))
    assert list(files) == ["openapi.json"]
    text = files["openapi.json"].decode()
    found = json.loads(text)
    assert text == json.dumps(found, indent=2) + "\n"  # as the stack writes it: indent 2, a newline
    validate(found)
    assert found["openapi"] == "3.1.0"
    assert found["info"] == {"title": "Corner Shop API", "version": "2.1"}  # as the settings say


def test_the_version_defaults_to_0_1_0():
    found = document(SHOP, toml='[project]\nname = "shop"\n\n[build]\nstack = "openapi"\n')
    assert found["info"]["version"] == "0.1.0"


def test_the_surfaces_decide_the_operations():
    found = document(SHOP)["paths"]
    assert list(found) == ["/api/customers/", "/api/orders/", "/api/orders/{id}/", "/api/token/"]
    assert list(found["/api/customers/"]) == ["get", "post"]  # no view or edit surface: no record path
    assert list(found["/api/orders/"]) == ["get", "post"]
    assert list(found["/api/orders/{id}/"]) == ["get", "patch", "delete"]  # no PUT
    ids = [op["operationId"] for methods in found.values() for op in methods.values()]
    assert ids == [
        "customers_list",
        "customers_create",
        "orders_list",
        "orders_create",
        "orders_retrieve",
        "orders_partial_update",
        "orders_destroy",
        "token_create",
    ]
    assert found["/api/orders/{id}/"]["patch"]["tags"] == ["orders"]


def test_answers_and_bodies():
    found = document(SHOP)["paths"]
    listed = found["/api/orders/"]["get"]["responses"]
    assert list(listed) == ["200", "400", "401", "403", "404"]
    assert listed["200"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PaginatedOrderListList"}}},
        "description": "",
    }
    assert listed["400"]["content"]["application/json"]["schema"] == {
        "type": "object",
        "additionalProperties": {},
    }
    assert listed["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    created = found["/api/orders/"]["post"]
    assert list(created["requestBody"]["content"]) == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ]
    assert created["requestBody"]["required"] is True
    assert created["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/OrderDetail"
    )
    assert list(created["responses"]) == ["201", "400", "401", "403", "415"]
    changed = found["/api/orders/{id}/"]["patch"]
    assert "required" not in changed["requestBody"]  # PATCH may send nothing
    assert changed["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PatchedOrderUpdate"
    )
    assert changed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/OrderDetail"
    )
    deleted = found["/api/orders/{id}/"]["delete"]["responses"]
    assert deleted["204"] == {"description": "No response body"}
    assert list(deleted) == ["204", "401", "403", "404", "409"]
    # with no view surface, a customer created is answered as the list shows it
    answer = found["/api/customers/"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/CustomerList"}


def test_the_key_in_a_path_names_the_model():
    [key] = document(SHOP)["paths"]["/api/orders/{id}/"]["get"]["parameters"]
    assert key == {
        "in": "path",
        "name": "id",
        "schema": {"type": "integer"},
        "description": "A unique integer value identifying this order.",
        "required": True,
    }


def test_list_parameters_are_sorted_by_name():
    params = document(SHOP)["paths"]["/api/orders/"]["get"]["parameters"]
    assert [p["name"] for p in params] == [
        "customer",
        "page",
        "placed_after",
        "placed_before",
        "q",
        "sort",
        "state",
    ]
    customers = document(SHOP)["paths"]["/api/customers/"]["get"]["parameters"]
    assert [p["name"] for p in customers] == ["page", "q", "sort"]  # no filter line: no FilterSet


def test_components():
    found = document(SHOP)["components"]
    assert list(found["schemas"]) == [
        "AuthToken",
        "CustomerCreate",
        "CustomerList",
        "Error",
        "OrderCreate",
        "OrderDetail",
        "OrderList",
        "PaginatedCustomerListList",
        "PaginatedOrderListList",
        "PatchedOrderUpdate",
        "Token",
    ]
    assert (
        found["schemas"]["OrderDetail"]["description"]
        == "A Order as its page shows it: the view surface's fields."
    )
    page = found["schemas"]["PaginatedOrderListList"]
    assert page["properties"]["next"] == {
        "type": ["string", "null"],  # null on the last page
        "format": "uri",
        "example": "http://api.example.org/accounts/?page=4",
    }
    assert page["properties"]["results"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/OrderList"},
    }
    assert list(found["securitySchemes"]) == ["cookieAuth", "tokenAuth"]


def test_security_says_who_may_call_without_signing_in():
    dsl = SHOP.replace(
        "  by: user auto_add\n",
        "  by: user auto_add\n  permit:\n    list: anyone\n    read: anyone or role(x)\n    create: signed_in\n"
        "    update: anyone and role(x)\n",
    ).replace('app shop "Corner Shop"\n', 'app shop "Corner Shop":\n  roles: x\n')
    found = document(dsl)["paths"]
    schemes = [{"tokenAuth": []}, {"cookieAuth": []}]
    assert found["/api/orders/"]["get"]["security"] == [*schemes, {}]
    assert found["/api/orders/{id}/"]["get"]["security"] == [*schemes, {}]
    assert found["/api/orders/"]["post"]["security"] == schemes
    assert found["/api/orders/{id}/"]["patch"]["security"] == schemes
    assert found["/api/orders/{id}/"]["delete"]["security"] == schemes  # left out of the block: nobody
    assert found["/api/customers/"]["get"]["security"] == schemes  # no block: signed-in people
    assert "security" not in found["/api/token/"]["post"]  # asking for a token needs no credentials


def test_a_surface_permit_narrows_who_may_call():
    dsl = SHOP.replace("  by: user auto_add\n", "  by: user auto_add\n  permit:\n    list: anyone\n")
    dsl = dsl.replace(
        "surface order_list:\n  uses entity Order\n  mode: list\n",
        "surface order_list:\n  uses entity Order\n  mode: list\n  permit: signed_in\n",
    )
    assert {} not in document(dsl)["paths"]["/api/orders/"]["get"]["security"]


def test_without_login_everything_is_open_to_visitors():
    toml = TOML + "login_required = false\n"
    found = document(SHOP, toml=toml)["paths"]
    assert all(
        {} in op["security"]
        for path, methods in found.items()
        if path != "/api/token/"
        for op in methods.values()
    )


def test_an_app_without_surfaces_has_only_the_token():
    found = document("app shop\nentity Thing:\n  name: str(10)\n")
    assert list(found["paths"]) == ["/api/token/"]
    assert list(found["components"]) == ["schemas"]  # no operation names a security scheme
    assert list(found["components"]["schemas"]) == ["AuthToken", "Error", "Token"]
    validate(found)


def test_same_bytes_every_time():
    assert document_bytes(SHOP) == document_bytes(SHOP)


def test_operation_id_clashes_get_numbers_as_drf_spectacular_gives_them():
    ops = [(f"/api/{p}/", "get", {"operationId": "a_b_list"}) for p in ("a_b", "a-b")]
    found = paths(ops)
    assert list(found) == ["/api/a-b/", "/api/a_b/"]
    assert found["/api/a-b/"]["get"]["operationId"] == "a_b_list"
    assert found["/api/a_b/"]["get"]["operationId"] == "a_b_list_2"


def test_the_slice_holds_no_labels_but_the_models_name_in_a_path():
    base = spec(SHOP)
    gen = DocumentGenerator()
    relabelled = spec(SHOP.replace('"Client"', '"Buyer"').replace("field vip\n", 'field vip "VIP?"\n'))
    assert gen.slice(relabelled) == gen.slice(base)  # Customer has no record path: its title is not shown
    retitled = spec(SHOP.replace("entity Order:", 'entity Order "Purchase":'))
    assert gen.slice(retitled) != gen.slice(base)
    text = run_generator(gen, retitled).data["openapi.json"].decode()
    assert "identifying this Purchase." in text


def test_the_code_it_depends_on():
    names = {p.name for p in DocumentGenerator.source_files()}
    assert {"document.py", "operations.py", "columns.py", "schemas.py", "base.py"} <= names
    assert {"plan.py", "naming.py"} <= names  # a change there re-runs it
