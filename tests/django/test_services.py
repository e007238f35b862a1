"""The ``services`` generator: the generated clients and foreign models, imported from a
generated package and run against a fake OpenAPI service on a loopback port.

Covers what the invoicing example does not: operations with path, query and JSON body
parameters, every auth profile, the one exception type for every failure (HTTP error, refused
connection, timeout, non-JSON answer, unknown operation, missing credentials), the document
cache, inline documents read from ``specs/``, and the foreign models' parsing and key checks.
"""

from __future__ import annotations

import decimal
import importlib
import json
import sys
import textwrap
import time
import uuid

import pytest

from dazzle.semantics.frontend import load_project
from generators.django.services import ServicesGenerator
from tests.django.fake_openapi import FakeServer, dead_url

DSL = """
app shop "Shop"

entity Product:
  sku: str(20) required unique

service catalog "Catalog":
  spec: url "https://catalog.example.org/openapi.json"
  auth_profile: api_key_query param="key"

service orders "Orders":
  spec: inline "orders-v1"
  auth_profile: jwt_static

service ledger "Ledger":
  spec: url "https://ledger.example.org/openapi.json"
  auth_profile: oauth2_legacy scopes="ledger:read"

service plain "Plain":
  spec: url "https://plain.example.org/openapi.json"
  auth_profile: api_key_header header="X-Token"

foreign_model Item from catalog "Item":
  key: sku, shop
  field sku: str(20) required
  field shop: int
  field price: decimal(8,2)
  field listed: date
  field seen_at: datetime
  field active: bool
  field key: str(10)
  field ref: uuid
"""

DOCUMENT = {
    "openapi": "3.0.3",
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/items/{sku}": {
            "get": {"operationId": "get_item", "parameters": [{"name": "sku", "in": "path"}]},
            "put": {"operationId": "put_item", "parameters": [{"name": "dry_run", "in": "query"}]},
        },
        "/slow": {"get": {"operationId": "slow"}},
        "/broken": {"get": {"operationId": "broken"}},
        "/text": {"get": {"operationId": "text"}},
    },
}


def answer(request):
    if request.path.endswith("openapi.json"):
        return 200, DOCUMENT
    if request.path == "/oauth/token":
        return 200, {"access_token": "tok", "expires_in": 3600}
    if request.path == "/api/v1/slow":
        time.sleep(1.5)
        return 200, {}
    if request.path == "/api/v1/broken":
        return 500, {"error": "kaput"}
    if request.path == "/api/v1/text":
        return 200, b"<html>not json</html>"
    return 200, {"path": request.path, "query": request.query, "body": request.json}


@pytest.fixture(scope="module")
def server():
    fake = FakeServer(answer).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The generated ``services.py`` and ``foreign_models.py`` as an importable package."""
    root = tmp_path_factory.mktemp("services")
    (root / "dsl").mkdir()
    (root / "dazzle.toml").write_text('[project]\nname = "shop"\n')
    (root / "dsl" / "app.dsl").write_text(textwrap.dedent(DSL))
    spec, _ = load_project(root)
    out = root / "build"
    gen = ServicesGenerator()
    for file in gen.generate(gen.slice(spec), {}).files:
        (out / file.path).parent.mkdir(parents=True, exist_ok=True)
        (out / file.path).write_bytes(file.data)
    (out / "shop" / "__init__.py").write_text("")
    (out / "specs").mkdir()
    (out / "specs" / "orders-v1.json").write_text(json.dumps({**DOCUMENT, "servers": []}))
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("shop.services"), importlib.import_module("shop.foreign_models")
    finally:
        sys.path.remove(str(out))
        for name in ("shop", "shop.services", "shop.foreign_models"):
            sys.modules.pop(name, None)


@pytest.fixture
def env(monkeypatch, server):
    monkeypatch.setenv("SERVICE_TIMEOUT", "0.5")
    for name in ("CATALOG", "ORDERS", "LEDGER", "PLAIN"):
        monkeypatch.setenv(f"{name}_SPEC_URL", f"{server.url}/{name.lower()}/openapi.json")
    return monkeypatch


def fresh(client):
    client.__init__()  # drop the cached document and token
    return client


def test_path_query_and_body_parameters_and_api_key_in_query(generated, env, server):
    services, _ = generated
    env.setenv("CATALOG_API_KEY", "k1")
    client = fresh(services.catalog_client)
    got = client.call("get_item", {"sku": "a/b", "lang": "en"})
    assert got == {"path": "/api/v1/items/a%2Fb", "query": {"lang": "en", "key": "k1"}, "body": None}
    put = client.call("put_item", {"sku": "x", "dry_run": True, "price": "1.50"})
    assert put["query"] == {"dry_run": "true", "key": "k1"} and put["body"] == {"price": "1.50"}
    with pytest.raises(services.ServiceError, match="needs the parameter `sku`"):
        client.call("get_item", {})


def test_the_document_is_fetched_once_and_base_url_can_be_overridden(generated, env, server):
    services, _ = generated
    env.setenv("PLAIN_API_KEY", "p")
    client = fresh(services.plain_client)
    before = server.calls["/plain/openapi.json"]
    client.call("get_item", {"sku": "1"})
    client.call("get_item", {"sku": "2"})
    assert server.calls["/plain/openapi.json"] == before + 1
    assert server.requests[-1].headers["x-token"] == "p"
    env.setenv("PLAIN_BASE_URL", f"{server.url}/elsewhere")
    assert client.call("get_item", {"sku": "3"})["path"] == "/elsewhere/items/3"


def test_inline_document_from_specs_and_static_bearer_token(generated, env, server):
    services, _ = generated
    env.delenv("ORDERS_SPEC_URL")
    client = fresh(services.orders_client)
    with pytest.raises(services.ServiceError, match="ORDERS_BASE_URL"):
        client.call("get_item", {"sku": "1"})  # the inline document names no server
    env.setenv("ORDERS_BASE_URL", f"{server.url}/api/v1")
    with pytest.raises(services.ServiceError, match="ORDERS_TOKEN is not set"):
        client.call("get_item", {"sku": "1"})
    env.setenv("ORDERS_TOKEN", "jwt-1")
    assert client.call("get_item", {"sku": "1"})["path"] == "/api/v1/items/1"
    assert server.requests[-1].headers["authorization"] == "Bearer jwt-1"


def test_oauth2_token_from_the_token_endpoint_is_reused(generated, env, server):
    services, _ = generated
    client = fresh(services.ledger_client)
    env.setenv("LEDGER_TOKEN_URL", f"{server.url}/oauth/token")
    env.setenv("LEDGER_CLIENT_ID", "id")
    env.setenv("LEDGER_CLIENT_SECRET", "secret")
    before = server.calls["/oauth/token"]
    client.call("get_item", {"sku": "1"})
    client.call("get_item", {"sku": "2"})
    assert server.calls["/oauth/token"] == before + 1
    token_request = next(r for r in reversed(server.requests) if r.path == "/oauth/token")
    assert token_request.form == {
        "grant_type": "client_credentials",
        "client_id": "id",
        "client_secret": "secret",
        "scope": "ledger:read",
    }
    assert server.requests[-1].headers["authorization"] == "Bearer tok"


@pytest.mark.parametrize(
    "operation, message",
    [
        ("broken", "HTTP 500"),
        ("text", "not JSON"),
        ("slow", "unreachable"),
        ("missing", "no operation `missing`"),
    ],
)
def test_every_failure_is_one_exception_type(generated, env, operation, message):
    services, _ = generated
    env.setenv("PLAIN_API_KEY", "p")
    with pytest.raises(services.ServiceError, match=message):
        fresh(services.plain_client).call(operation)


def test_refused_connection_is_a_service_error(generated, env):
    services, _ = generated
    env.setenv("PLAIN_SPEC_URL", f"{dead_url()}/openapi.json")
    with pytest.raises(services.ServiceError, match="unreachable"):
        fresh(services.plain_client).call("get_item", {"sku": "1"})


def test_foreign_model_parses_types_and_rejects_missing_keys(generated):
    services, foreign = generated
    ref = str(uuid.uuid4())
    item = foreign.Item.parse(
        {
            "sku": "A1",
            "shop": "3",
            "price": "9.90",
            "listed": "2026-01-02",
            "seen_at": "2026-01-02T03:04:05Z",
            "active": "true",
            "key": "k",
            "ref": ref,
        }
    )
    assert item.key == ("A1", 3)
    assert item.price == decimal.Decimal("9.90") and item.listed.isoformat() == "2026-01-02"
    assert item.seen_at.tzinfo is not None and item.active is True and item.value("key") == "k"
    assert item.ref == ref
    with pytest.raises(foreign.ForeignRecordError, match="no `shop`"):
        foreign.Item.parse({"sku": "A1"})
    with pytest.raises(services.ServiceError, match="`price` is not a valid decimal"):
        foreign.Item.parse({"sku": "A1", "shop": 1, "price": "cheap"})
    page = {"items": [{"sku": "A", "shop": 1}, {"sku": "B", "shop": 2}], "next": None}
    assert [r.sku for r in foreign.records(foreign.Item, page)] == ["A", "B"]
    assert foreign.records(foreign.Item, {"sku": "C", "shop": 1})[0].sku == "C"
