"""Every module of the three example projects parses into the expected IR; comments do not
change it; it survives a JSON round trip."""

from __future__ import annotations

import re

import pytest

from dazzle import ir
from dazzle.syntax.parser import parse_module
from tests.support import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*/dsl/*.dsl"))


def load(project: str, name: str = "app") -> ir.Module:
    path = EXAMPLES / project / "dsl" / f"{name}.dsl"
    return parse_module(path.read_bytes(), f"dsl/{name}.dsl", name)


def fields(entity: ir.Entity) -> dict[str, ir.EntityField]:
    return {f.name: f for f in entity.fields}


def test_there_are_example_files():
    assert {p.parent.parent.name for p in EXAMPLE_FILES} == {"todo", "helpdesk", "invoicing"}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_json_round_trip(path):
    module = parse_module(path.read_bytes(), f"dsl/{path.name}", path.stem)
    assert ir.Module.model_validate_json(module.model_dump_json()) == module


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_comment_only_edit_gives_the_same_json(path):
    source = path.read_text(encoding="utf-8")
    # Comments after every code line, comment lines at odd indentation, blank lines, CRLF.
    edited = re.sub(r"(?m)^(\s*)(\S.*)$", r"\1\2   # note\n   # aside\n", source).replace("\n", "\r\n")
    original = parse_module(source.encode(), "dsl/x.dsl", "x")
    commented = parse_module(edited.encode(), "dsl/x.dsl", "x")
    assert commented.model_dump_json() == original.model_dump_json()
    assert commented.entities[0].loc != original.entities[0].loc  # the lines did move


def test_todo():
    module = load("todo")
    assert (module.name, module.declared, module.app) == (
        "todo.core",
        True,
        ir.App(name="todo", title="Todo List"),
    )
    (item,) = module.entities
    assert (item.name, item.title, item.module) == ("Item", "Item", "todo.core")
    f = fields(item)
    assert list(f) == ["id", "title", "notes", "state", "urgency", "due", "created", "changed"]
    assert f["id"].pk and f["id"].type.kind == "uuid"
    assert f["title"].required and f["title"].type == ir.FieldType(kind="str", max_length=120)
    assert f["state"].type.enum_values == ("open", "doing", "finished")
    assert f["state"].default == ir.Value(kind="word", value="open")
    assert f["urgency"].default == ir.Value(kind="word", value="normal")
    assert f["created"].auto_add and f["changed"].auto_update
    assert [(s.name, s.mode, s.entity) for s in module.surfaces] == [
        ("item_list", "list", "Item"),
        ("item_view", "view", "Item"),
        ("item_new", "create", "Item"),
        ("item_edit", "edit", "Item"),
    ]
    new = module.surfaces[2]
    assert [(f.name, f.label) for f in new.fields] == [
        ("title", "Title"),
        ("notes", "Notes"),
        ("urgency", "Urgency"),
        ("due", "Due"),
    ]
    assert new.sections[0].title == "New item"


def test_helpdesk_core():
    module = load("helpdesk")
    assert module.uses == (ir.Use(module="helpdesk.people"),)
    # The app's roles and the entities' permit blocks (0.2) are the access-control tests' to
    # check in detail (tests/syntax/test_access_syntax.py); here: the example parses them.
    assert (module.app.name, module.app.title) == ("helpdesk", "Help Desk")
    customer, case, reply = module.entities
    for entity in module.entities:
        roles = {role for rule in entity.permit or () for role in rule.condition.roles}
        assert roles <= {role.name for role in module.app.roles}
    assert fields(customer)["contact_email"].unique_nullable
    assert fields(customer)["credit_limit"].default == ir.Value(kind="int", value=0)
    assert fields(customer)["credit_limit"].type == ir.FieldType(
        kind="decimal", max_digits=10, decimal_places=2
    )
    f = fields(case)
    assert f["opened_by"].type == ir.FieldType(kind="ref", ref="Agent") and f["opened_by"].required
    assert f["owner"].type.ref == "Agent" and not f["owner"].required
    assert f["state"].type.enum_values == ("new", "open", "waiting", "solved", "closed")
    assert case.constraints == (ir.Constraint(kind="index", fields=("state", "severity")),)
    assert reply.constraints == (ir.Constraint(kind="unique", fields=("case", "sent")),)
    assert fields(reply)["internal"].default == ir.Value(kind="bool", value=False)
    edit = next(s for s in module.surfaces if s.name == "case_edit")
    assert edit.actions == (
        ir.SurfaceAction(
            name="save",
            label="Save",
            trigger="submit",
            outcome=ir.Outcome(kind="surface", target="case_view"),
        ),
    )
    assert [s.name for s in module.surfaces] == [
        "customer_list",
        "customer_new",
        "customer_view",
        "case_list",
        "case_view",
        "case_new",
        "case_edit",
        "reply_list",
        "reply_new",
    ]
    cases = next(s for s in module.surfaces if s.name == "case_list")
    assert [(k.field, k.descending) for k in cases.sort] == [("opened", True), ("subject", False)]
    assert [f.field for f in cases.filters] == ["state", "severity", "customer", "owner", "opened"]


def test_helpdesk_people():
    module = load("helpdesk", "people")
    assert (module.name, module.app, module.uses) == ("helpdesk.people", None, ())
    (agent,) = module.entities
    f = fields(agent)
    assert f["email"].type.kind == "email" and f["email"].required and f["email"].unique
    assert f["active"].default == ir.Value(kind="bool", value=True)
    assert f["team"].default == ir.Value(kind="word", value="first_line")
    assert [s.name for s in module.surfaces] == ["agent_list", "agent_new"]


def test_invoicing_entities_and_surfaces():
    module = load("invoicing")
    assert [e.name for e in module.entities] == ["Client", "Invoice", "Payment"]
    invoice = module.entities[1]
    assert invoice.constraints == (
        ir.Constraint(kind="unique", fields=("client", "number")),
        ir.Constraint(kind="index", fields=("status",)),
    )
    assert fields(invoice)["number"].required and fields(invoice)["number"].unique
    surfaces = {s.name: s for s in module.surfaces}
    assert surfaces["vat_check"].mode == "custom" and surfaces["vat_check"].entity is None
    assert surfaces["vat_check"].fields == (ir.SurfaceField(name="vrn", label="VAT registration number"),)
    assert surfaces["client_edit"].actions[0].outcome == ir.Outcome(
        kind="integration", target="vat_lookup", action="lookup"
    )
    assert surfaces["client_edit"].actions[0].trigger == "click"
    assert surfaces["invoice_new"].actions[0].outcome == ir.Outcome(
        kind="experience", target="billing", step="review"
    )


def test_invoicing_services_and_foreign_models():
    module = load("invoicing")
    vat, bank = module.services
    assert (vat.spec_kind, vat.spec, vat.auth, vat.owner) == (
        "url",
        "https://vat.example.org/openapi.json",
        "api_key_header",
        "Tax office",
    )
    assert vat.auth_options == (("header", ir.Value(kind="string", value="X-Api-Key")),)
    assert (bank.spec_kind, bank.spec, bank.auth) == ("inline", "bank-feed-v2", "oauth2_pkce")
    record, payment = module.foreign_models
    assert (record.service, record.key, record.constraints) == (
        "vat_api",
        ("vrn",),
        (ir.ForeignConstraint(kind="read_only"),),
    )
    assert payment.constraints[0].options == (("frequency", ir.Value(kind="string", value="daily")),)
    assert [f.name for f in payment.fields] == ["payment_id", "amount", "currency", "booked_at", "memo"]


def test_invoicing_integrations():
    module = load("invoicing")
    vat_lookup, bank_import = module.integrations
    assert (vat_lookup.services, vat_lookup.foreign_models) == (("vat_api",), ("VatRecord",))
    lookup, quick = vat_lookup.actions
    assert (lookup.surface, lookup.service, lookup.operation) == ("client_edit", "vat_api", "get_record")
    assert lookup.params == (ir.Mapping(target="vrn", source=ir.Expression(path=("form", "vat_number"))),)
    assert lookup.response == ir.ResponseMap(
        foreign="VatRecord",
        entity="Client",
        fields=(ir.Mapping(target="vat_name", source=ir.Expression(path=("foreign", "trading_name"))),),
    )
    assert (quick.surface, quick.response) == ("vat_check", None)
    (fetch,) = bank_import.actions
    assert fetch.params == (
        ir.Mapping(target="since", source=ir.Expression(literal=ir.Value(kind="string", value="yesterday"))),
    )
    assert [m.target for m in fetch.response.fields] == [
        "bank_ref",
        "amount",
        "currency",
        "booked_at",
        "memo",
    ]
    nightly, live = bank_import.syncs
    assert (live.mode, live.schedule, live.match) == ("event_driven", None, nightly.match)
    assert (
        nightly.mode,
        nightly.schedule,
        nightly.service,
        nightly.operation,
        nightly.foreign,
        nightly.entity,
    ) == ("scheduled", "30 1 * * *", "bank", "list_payments", "BankPayment", "Payment")
    assert nightly.match == (ir.MatchPair(foreign_field="payment_id", entity_field="bank_ref"),)


def test_invoicing_experience():
    (billing,) = load("invoicing").experiences
    assert (billing.name, billing.title, billing.start) == ("billing", "Issue an invoice", "capture")
    assert billing.steps == (
        ir.Step(name="capture", kind="surface", surface="invoice_new", on_success="review"),
        ir.Step(
            name="review", kind="surface", surface="invoice_view", on_success="done", on_failure="capture"
        ),
        ir.Step(name="done", kind="surface", surface="invoice_list"),
    )
    assert billing.loc == ir.Location(file="dsl/app.dsl", line=184, column=12)
