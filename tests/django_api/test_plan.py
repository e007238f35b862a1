"""What the REST API holds (``generators/django_api/plan.py``), and how the Django stack makes
room for it: the surfaces decide the operations and the fields, exactly as they decide the
pages; settings, URLs and requirements change only with the ``django_api`` stack."""

from __future__ import annotations

import pytest

from dazzle.ir.diagnostics import ProjectError
from dazzle.testing import run_generators, spec_from_sources
from generators.django_api.plan import api_plan

API_TOML = '[project]\nname = "shop"\n\n[build]\nstack = ["django", "django_api"]\n'
DJANGO_TOML = '[project]\nname = "shop"\n'

SPEC = """module shop
app shop "Shop"

entity Client "Client":
  name: str(80) required
  class: str(10)
  notes: text

entity Order "Order":
  id: uuid pk
  number: str(20) required unique
  state: enum[draft,paid]=draft
  placed: datetime auto_add
  client: ref Client required
  total: decimal(8,2)

entity Code "Code":
  code: str(8) pk
  label: str(40) required

entity Hidden "Hidden":
  name: str(10)

surface client_list "Clients":
  uses entity Client
  mode: list
  sort: -name
  section main:
    field name
    field class

surface client_new "New client":
  uses entity Client
  mode: create
  section main:
    field notes

surface order_view "Order":
  uses entity Order
  mode: view
  section main:
    field number
    field placed
    field client

surface order_edit "Edit order":
  uses entity Order
  mode: edit
  section main:
    field state
    field placed
    field total

surface code_new "New code":
  uses entity Code
  mode: create
  section main:
    field code
    field label
"""


def plan(toml: str = API_TOML):
    return api_plan(spec_from_sources({"dsl/shop.dsl": SPEC}, toml=toml))


def test_the_surfaces_decide_the_operations():
    found = {e.name: e.actions for e in plan().entities}
    assert found == {
        "Client": ("list", "create"),
        "Order": ("retrieve", "partial_update", "destroy"),  # a view or edit surface: delete too
        "Code": ("create",),
    }  # no surface, no endpoint: Hidden


def test_representations_hold_the_surface_fields_with_the_key_first():
    client, order, code = plan().entities
    assert client.representation("list") == (("id", "name", "class_field"), ())  # `class` is reserved
    assert order.representation("detail") == (("id", "number", "placed", "client"), ())
    # A create form holds the required fields its surface leaves out; the key is read-only.
    assert client.representation("create") == (("id", "notes", "name"), ("notes", "name"))
    # An edit form leaves out what the app fills in (auto_add).
    assert order.representation("update") == (("id", "state", "total"), ("state", "total"))
    # A key without a default is set on create.
    assert code.representation("create") == (("code", "label"), ("code", "label"))


def test_lists_sort_and_search_as_the_list_pages():
    client = plan().entities[0]
    assert client.search_fields == ("name", "class_field")
    assert client.sort_columns == {"name": "name", "class_field": "class_field"}
    assert client.default_sort == ("-name", "pk")
    assert client.shown == "list"  # no view surface: POST answers with the list's representation


def test_the_django_stack_makes_room_for_the_api_only_when_it_is_on():
    with_api = run_generators(spec_from_sources({"dsl/shop.dsl": SPEC}, toml=API_TOML))
    without = run_generators(spec_from_sources({"dsl/shop.dsl": SPEC}, toml=DJANGO_TOML))
    for files, on in ((with_api, True), (without, False)):
        settings = files["config/settings.py"].decode()
        assert ('"rest_framework"' in settings) is on
        assert ('"drf_spectacular_sidecar"' in settings) is on
        assert ('"OAS_VERSION": "3.1.0"' in settings) is on
        assert ('include("shop.api.urls")' in files["config/urls.py"].decode()) is on
        assert ("djangorestframework" in files["requirements.txt"].decode()) is on
        assert ("shop/api/views.py" in files) is on
        assert ("shop/tests/test_api.py" in files) is on


def test_the_api_stack_needs_the_django_stack():
    toml = '[project]\nname = "shop"\n\n[build]\nstack = ["django_api"]\n'
    with pytest.raises(ProjectError) as raised:
        spec_from_sources({"dsl/shop.dsl": SPEC}, toml=toml)
    assert "cannot build without it" in str(raised.value)
    assert 'stack = ["django", "django_api"]' in str(raised.value)


def test_an_entity_with_an_edit_surface_alone_answers_with_its_edit_form():
    source = (
        SPEC
        + """
entity Memo "Memo":
  body: text

surface memo_edit "Edit memo":
  uses entity Memo
  mode: edit
  section main:
    field body
"""
    )
    spec = spec_from_sources({"dsl/shop.dsl": source}, toml=API_TOML)
    memo = next(e for e in api_plan(spec).entities if e.name == "Memo")
    assert memo.actions == ("partial_update", "destroy")
    assert memo.shown == "update"
    views = run_generators(spec)["shop/api/views.py"].decode()
    memo_views = views.split("class MemoViewSet", 1)[1]
    assert "shown_serializer = serializers.MemoUpdateSerializer" in memo_views
    compile(views, "views.py", "exec")


def test_an_entity_whose_pages_are_at_an_api_route_gets_its_own_segment():
    entities = "".join(f"entity {e}:\n  name: str(10)\n\n" for e in ("Doc", "Docs2", "Token"))
    surfaces = "".join(
        f"surface {e.lower()}_list:\n  uses entity {e}\n  mode: list\n  section main:\n    field name\n\n"
        for e in ("Doc", "Docs2", "Token")
    )
    spec = spec_from_sources(
        {"dsl/shop.dsl": f"module shop\napp shop\n\n{entities}{surfaces}"}, toml=API_TOML
    )
    segments = {e.name: e.segment for e in api_plan(spec).entities}
    # /api/docs/ is Swagger UI: Doc's pages stay at /docs/, its API moves past every page segment.
    assert segments["Doc"] not in ("docs", "token", "schema")
    assert segments["Doc"].startswith("docs-")
    assert len(set(segments.values())) == len(segments)
    assert segments["Token"] == "tokens"
