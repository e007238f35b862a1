"""Integrations, syncs and experiences beyond the invoicing example: a ``shop`` spec with an
``on auto`` action (answer shown on page load), an ``on click`` action on a view surface that
maps onto the shown record (with ``entity.x`` and ``current_user.x`` parameters), an action run
by a create surface's own form that upserts by a unique field, an inline-spec service with a
static token, an event-driven sync's webhook, and a flow with integration and process steps and
a user-owned ``processes.py``. Generator-level checks run in-process; the app runs in a
subprocess against a fake service on a loopback port.
"""

from __future__ import annotations

import json
import subprocess
import textwrap

import pytest

from dazzle.plugins import HookContext
from dazzle.semantics.frontend import load_project
from dazzle.testing import run_generators
from generators.django.experiences import ExperiencesGenerator
from generators.django.wiring import surface_bindings
from hooks.django.copy_specs import CopySpecsHook
from tests.django.fake_openapi import FakeServer, dead_url
from tests.e2e.generated_app import PYTHON, app_env
from tests.support import write_tree

DSL = """
app shop "Shop"

entity Product "Product":
  id: uuid pk
  sku: str(20) required unique
  name: str(100)
  stock: int
  checked_by: str(50)

entity Order "Order":
  code: str(20) required unique
  quantity: int
  note: text

surface product_list "Products":
  uses entity Product
  mode: list
  section main "Products":
    field sku "SKU"
    field stock "Stock"
  action refresh "Refresh all":
    on click -> integration catalog action items

surface product_view "Product":
  uses entity Product
  mode: view
  section main "Product":
    field sku "SKU"
    field stock "Stock"
  action price "Show price":
    on auto -> integration catalog action price
  action restock "Refresh stock":
    on click -> integration catalog action stock
  action order "Order it":
    on click -> experience ordering

surface order_new "New order":
  uses entity Order
  mode: create
  section main "Order":
    field code "Code"
    field quantity "Quantity"

service catalog_api "Catalog":
  spec: url "https://catalog.example.org/openapi.json"
  auth_profile: api_key_query param="key"

service orders_api "Orders":
  spec: inline "orders"
  auth_profile: jwt_static

foreign_model CatalogItem from catalog_api:
  key: sku
  field sku: str(20) required
  field title: str(100)
  field stock: int

foreign_model OrderAck from orders_api:
  key: code
  field code: str(20) required
  field note: text

integration catalog:
  uses service catalog_api
  uses foreign_model CatalogItem

  action price:
    when surface product_view submitted
    call catalog_api.get_price with:
      sku <- entity.sku

  action stock:
    when surface product_view submitted
    call catalog_api.get_item with:
      sku <- entity.sku
      who <- current_user.username
    map response CatalogItem -> entity Product:
      stock <- foreign.stock
      checked_by <- current_user.username

  sync items:
    mode: event_driven
    from catalog_api.list_items as CatalogItem
    into entity Product
    match on:
      sku <-> sku

integration ordering_api:
  uses service orders_api
  uses foreign_model OrderAck

  action place:
    when surface order_new submitted
    call orders_api.place_order with:
      code <- form.code
      quantity <- form.quantity
      channel <- "web"
    map response OrderAck -> entity Order:
      code <- foreign.code
      note <- foreign.note

experience ordering "Ordering":
  start at step enter

  step enter:
    kind: surface
    surface order_new
    on success -> step place

  step place:
    kind: integration
    integration ordering_api action place
    on success -> step approve
    on failure -> step enter

  step approve:
    kind: process
    on success -> step done
    on failure -> step enter

  step done:
    kind: surface
    surface product_list
"""

CATALOG = {
    "openapi": "3.0.3",
    "servers": [{"url": "/catalog/api"}],
    "paths": {
        "/prices/{sku}": {"get": {"operationId": "get_price"}},
        "/items/{sku}": {"get": {"operationId": "get_item"}},
        "/items": {"get": {"operationId": "list_items"}},
    },
}
ORDERS = {"openapi": "3.0.3", "paths": {"/orders": {"post": {"operationId": "place_order"}}}}

DRIVER = r"""
import hashlib, hmac, json, os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from shop import models
setup_test_environment()

seen = {}
user = get_user_model().objects.create(username="driver")
web = Client()
web.force_login(user)
page = lambda r: r.content.decode()

widget = models.Product.objects.create(sku="W-1", name="Widget", stock=0)
view = web.get(f"/products/{widget.pk}/")
seen["auto_shows_price"] = "12.50" in page(view)
seen["order_link"] = 'href="/flows/ordering/"' in page(view)
clicked = web.post(f"/products/{widget.pk}/", {"dazzle_action": "restock"})
seen["restock"] = clicked.status_code
widget.refresh_from_db()
seen["stock"], seen["checked_by"] = widget.stock, widget.checked_by

created = web.post("/orders/new/", {"code": "O-1", "quantity": "2"})
seen["order_created"] = created.status_code
seen["order_note"] = models.Order.objects.get(code="O-1").note

steps = []
response = web.get("/flows/ordering/")
steps.append(response.headers["Location"])
response = web.post(steps[-1], {"code": "O-2", "quantity": "3"})
while response.status_code == 302 and len(steps) < 10:
    steps.append(response.headers["Location"])
    response = web.get(steps[-1])
seen["flow_steps"] = steps
seen["o2_note"] = models.Order.objects.get(code="O-2").note

os.environ["ORDERS_API_BASE_URL"] = sys.argv[1]  # the orders service goes down
response = web.post(web.get("/flows/ordering/").headers["Location"], {"code": "O-3", "quantity": "1"})
place = web.get(response.headers["Location"])
seen["failure_to"] = place.headers["Location"]
seen["failure_message"] = "unreachable" in page(web.get(place.headers["Location"]))

hook = Client(enforce_csrf_checks=True)
body = json.dumps([{"sku": "W-1", "title": "Widget", "stock": 9}, {"sku": "G-1", "stock": 4}, {"title": "no key"}]).encode()
signature = "sha256=" + hmac.new(b"hook-secret", body, hashlib.sha256).hexdigest()
url = "/webhooks/catalog/items/"
seen["tampered"] = hook.post(url, body + b" ", content_type="application/json",
                             headers={"X-Dazzle-Signature": signature}).status_code
answer = hook.post(url, body, content_type="application/json", headers={"X-Dazzle-Signature": signature})
seen["webhook"] = answer.status_code, {k: v for k, v in answer.json().items() if k != "problems"}
seen["stocks"] = dict(models.Product.objects.values_list("sku", "stock"))

refreshed = web.post("/products/", {"dazzle_action": "refresh"}, follow=True)  # a sync, run now
seen["refresh"] = refreshed.redirect_chain[-1][1], "Items: created 0, updated 1" in page(refreshed)
seen["refreshed_stocks"] = dict(models.Product.objects.values_list("sku", "stock"))
print(json.dumps(seen))
"""


def catalog_and_orders(request):
    if request.path == "/catalog/openapi.json":
        return 200, CATALOG
    if request.path.startswith("/catalog/api/") and request.query.get("key") != "cat-key":
        return 401, {"error": "key"}
    if request.path == "/catalog/api/prices/W-1":
        return 200, {"sku": "W-1", "price": "12.50"}
    if request.path == "/catalog/api/items":
        return 200, [{"sku": "W-1", "title": "Widget", "stock": 11}]
    if request.path == "/catalog/api/items/W-1":
        return 200, {"sku": "W-1", "title": "Widget", "stock": 7, "who": request.query.get("who")}
    if request.path == "/orders/orders" and request.headers.get("authorization") == "Bearer jwt-9":
        body = request.json
        return 200, {"code": body["code"], "note": f"accepted {body['quantity']} via {body['channel']}"}
    return 404, {"error": "no such path"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    root = tmp_path_factory.mktemp("shop")
    (root / "dsl").mkdir()
    (root / "specs").mkdir()
    (root / "dazzle.toml").write_text('[project]\nname = "shop"\n')
    (root / "dsl" / "app.dsl").write_text(textwrap.dedent(DSL))
    (root / "specs" / "orders.json").write_text(json.dumps(ORDERS))
    spec, _ = load_project(root)
    return root, spec


def test_bindings_follow_the_surface_actions(shop):
    _root, spec = shop
    view = {b.name: (b.trigger, b.action) for b in surface_bindings(spec, spec.surface("product_view"))}
    assert view == {"price": ("auto", "catalog.price"), "restock": ("click", "catalog.stock")}
    form = surface_bindings(spec, spec.surface("order_new"))
    assert [(b.trigger, b.action) for b in form] == [("submit", "ordering_api.place")]


def test_process_module_is_user_owned(shop):
    _root, spec = shop
    gen = ExperiencesGenerator()
    files = {f.path: f for f in gen.generate(gen.slice(spec), {}).files}
    processes = files["shop/processes.py"]
    assert processes.user_owned and "def ordering_approve(request, state):" in processes.content
    assert not files["shop/flows.py"].user_owned


@pytest.mark.slow
def test_shop_runs_its_integrations_flows_and_webhook(shop, tmp_path):
    root, spec = shop
    out = write_tree(run_generators(spec, "django"), tmp_path / "build")
    ctx = HookContext(
        project_dir=root, output_dir=out, state_dir=out / ".dazzle", config=spec.config, spec=spec
    )
    assert CopySpecsHook().run(ctx).severity == "info"
    (out / "driver.py").write_text(DRIVER)
    fake = FakeServer(catalog_and_orders).start()
    env = {
        **app_env(),
        "CATALOG_API_SPEC_URL": f"{fake.url}/catalog/openapi.json",
        "CATALOG_API_API_KEY": "cat-key",
        "ORDERS_API_BASE_URL": f"{fake.url}/orders",
        "ORDERS_API_TOKEN": "jwt-9",
        "CATALOG_ITEMS_WEBHOOK_SECRET": "hook-secret",
        "SERVICE_TIMEOUT": "5",
    }
    try:
        for args in (["manage.py", "makemigrations"], ["manage.py", "migrate"], ["driver.py", dead_url()]):
            done = subprocess.run(
                [str(PYTHON), *args],
                cwd=out,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, done.stdout + done.stderr
    finally:
        fake.stop()
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["auto_shows_price"] and seen["order_link"]
    assert seen["restock"] == 302 and seen["stock"] == 7 and seen["checked_by"] == "driver"
    assert fake.requests and any(r.query.get("who") == "driver" for r in fake.requests)
    assert seen["order_created"] == 302 and seen["order_note"] == "accepted 2 via web"
    assert seen["flow_steps"] == [
        "/flows/ordering/enter/",
        "/flows/ordering/place/",
        "/flows/ordering/approve/",
        "/flows/ordering/done/",
    ]
    assert seen["o2_note"] == "accepted 3 via web"
    assert seen["failure_to"] == "/flows/ordering/enter/" and seen["failure_message"]
    assert seen["tampered"] == 403
    assert seen["webhook"] == [200, {"created": 1, "updated": 1, "unchanged": 0, "failed": 1}]
    assert seen["stocks"] == {"W-1": 9, "G-1": 4}
    assert seen["refresh"] == [302, True] and seen["refreshed_stocks"] == {"W-1": 11, "G-1": 4}


def test_the_worker_runs_scheduled_syncs_on_their_cron_schedule(tmp_path):
    import datetime
    import importlib.util

    from generators.django.integrations import IntegrationsGenerator
    from tests.support import EXAMPLES, artifacts_read_by

    spec, _ = load_project(EXAMPLES / "invoicing")
    gen = IntegrationsGenerator()
    files = {f.path: f.data for f in gen.generate(gen.slice(spec), artifacts_read_by(gen, spec)).files}
    path = tmp_path / "run_syncs.py"
    path.write_bytes(files["invoicing/management/commands/run_syncs.py"])
    module_spec = importlib.util.spec_from_file_location("run_syncs", path)
    worker = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(worker)
    assert worker.SCHEDULES == (("30 1 * * *", "sync_bank_import_nightly"),)
    at = datetime.datetime
    assert worker.due("30 1 * * *", at(2026, 3, 5, 1, 30)) and not worker.due(
        "30 1 * * *", at(2026, 3, 5, 1, 31)
    )
    assert worker.due("*/15 9-17 * * mon-fri", at(2026, 3, 6, 9, 45))  # a Friday
    assert not worker.due("*/15 9-17 * * mon-fri", at(2026, 3, 7, 9, 45))  # a Saturday
    assert worker.due("0 0 1 * 0", at(2026, 3, 8, 0, 0))  # day 8 is a Sunday: either field may match
    assert worker.due("0 0 1 * 7", at(2026, 3, 8, 0, 0)) and not worker.due("0 0 1 * 6", at(2026, 3, 8, 0, 0))
    assert "sync_bank_import_live" in " ".join(files)  # event-driven syncs get a command too


def test_submit_on_a_page_without_a_form_is_a_button(shop):
    _root, spec = shop
    from dazzle.ir import Outcome, SurfaceAction

    listing = spec.surface("product_list").model_copy(
        update={
            "actions": (
                SurfaceAction(
                    name="pull",
                    label="Pull",
                    trigger="submit",
                    outcome=Outcome(kind="integration", target="catalog", action="price"),
                ),
            )
        }
    )
    assert [(b.name, b.trigger) for b in surface_bindings(spec, listing)] == [("pull", "click")]
