"""Access control (0.2) through the whole front end: the app's roles, ``user`` fields, entity
``permit`` blocks and surface ``permit`` lines — linked across modules, kept by the linker and
by pickles, and every rule of the validator with its message and location."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import cloudpickle
import pytest

from dazzle import ir
from dazzle.ir.diagnostics import ProjectError
from dazzle.semantics.config import dsl_files, load_config
from dazzle.semantics.frontend import load_project, parse_all

APP = "dsl/app.dsl"
DESK = """\
    app desk "Desk":
      roles: agent "Support agent", manager "Team manager"

    entity Ticket "Ticket":
      title: str(200) required
      owner: user auto_add
      editor: user auto_update
      assignee: user unique?
      permit:
        list: signed_in
        read: signed_in
        create: role(agent) or role(manager)
        update: role(manager) or owner = current_user
        delete: role(manager)

    surface ticket_edit:
      uses entity Ticket
      mode: edit
      permit: role(agent) or assignee = current_user
      section main:
        field title
    """


def write(root: Path, files: dict[str, str]) -> Path:
    files = {"dazzle.toml": '[project]\nname = "desk"\n', **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def load(root: Path, files: dict[str, str]) -> ir.AppSpec:
    spec, _ = load_project(write(root, files))
    return spec


def errors(root: Path, files: dict[str, str]) -> list[tuple[str, int | None, int | None, str, str | None]]:
    """Every error of the project: (file, line, column, message, hint)."""
    with pytest.raises(ProjectError) as caught:
        load_project(write(root, files))
    return [
        (d.path, d.loc.line if d.loc else None, d.loc.column if d.loc else None, d.message, d.hint)
        for d in caught.value.errors
    ]


def desk(*edits: tuple[str, str]) -> dict[str, str]:
    """The desk project with each ``(old, new)`` text replaced once."""
    text = textwrap.dedent(DESK)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return {APP: text}


# ---------------------------------------------------------------- a valid project


def test_the_reference_example_is_valid(tmp_path):
    spec = load(tmp_path, desk())
    assert [r.name for r in spec.app.roles] == ["agent", "manager"]
    assert spec.app.roles[0].label == "Support agent"
    ticket = spec.entity("Ticket")
    assert [r.operation for r in ticket.permit] == ["list", "read", "create", "update", "delete"]
    assert str(ticket.rule("update")) == "role(manager) or owner = current_user"
    assert spec.surface("ticket_edit").permit.fields == ("assignee",)
    assert [f.type.kind for f in ticket.fields[1:]] == ["user", "user", "user"]


def test_roles_are_global_and_qualified_names_keep_the_rules(tmp_path):
    spec = load(
        tmp_path,
        {
            "dsl/core.dsl": "module core\napp desk:\n  roles: agent, manager\n",
            "dsl/billing.dsl": """\
                module billing
                use people as p

                entity Invoice:
                  payer: ref p.Person
                  clerk: user auto_add
                  permit:
                    read: role(agent) or clerk = current_user
                    delete: nobody

                surface invoice_view:
                  uses entity Invoice
                  mode: view
                  permit: role(manager) and clerk = current_user
                """,
            "dsl/people.dsl": """\
                module people

                entity Person:
                  login: user
                  permit:
                    list: role(manager)

                surface person_list:
                  uses entity Person
                  mode: list
                  permit: login = current_user
                """,
            "dsl/forms.dsl": """\
                module forms
                use billing as b

                surface pay:
                  uses entity b.Invoice
                  mode: custom
                  permit: clerk = current_user or role(agent)
                """,
        },
    )
    invoice = spec.entity("Invoice")
    assert invoice.fields[0].type.ref == "Person"  # rewritten by the linker, the rules kept
    assert invoice.module == "billing"
    assert invoice.permit == (
        ir.PermitRule(
            operation="read",
            condition=ir.Condition(
                kind="or",
                parts=(ir.Condition(kind="role", name="agent"), ir.Condition(kind="field", name="clerk")),
            ),
        ),
        ir.PermitRule(operation="delete", condition=ir.Condition(kind="nobody")),
    )
    assert invoice.where("permit").line == 7 and invoice.permit[0].loc.line == 8
    pay = spec.surface("pay")
    assert pay.entity == "Invoice" and pay.permit.roles == ("agent",) and pay.where("permit").line == 7
    assert spec.surface("invoice_view").permit.kind == "and"
    assert spec.entity("Person").rule("list") == ir.Condition(kind="role", name="manager")


def test_pickles_and_json_keep_roles_rules_and_locations(tmp_path):
    project = write(tmp_path, desk())
    spec, _ = load_project(project)
    for dumps in (pickle.dumps, cloudpickle.dumps):
        again = pickle.loads(dumps(spec, protocol=5))
        assert again == spec and again.model_dump_json() == spec.model_dump_json()
        assert again.app.roles[1].loc == spec.app.roles[1].loc
        rule = again.entity("Ticket").permit[3]
        assert rule.loc == spec.entity("Ticket").permit[3].loc
        assert rule.condition.parts[1].where("name") == spec.entity("Ticket").rule("update").parts[1].where(
            "name"
        )
    assert ir.AppSpec.model_validate_json(spec.model_dump_json()) == spec
    for module in parse_all(project, dsl_files(project, load_config(project))):
        assert pickle.loads(cloudpickle.dumps(module)) == module
        assert ir.Module.model_validate_json(module.model_dump_json()) == module
    # Replaced as generators' slices do, the rules stay.
    blanked = spec.entity("Ticket").replace(fields=())
    assert blanked.permit == spec.entity("Ticket").permit


def test_plain_words_combine_with_anything_and_may_name_no_role(tmp_path):
    spec = load(
        tmp_path,
        {
            APP: """\
                app t
                entity Page:
                  body: text
                  permit:
                    list: anyone or nobody
                    read: anyone and signed_in and (nobody or anyone)
                surface contact:
                  mode: custom
                  permit: signed_in or anyone
                """
        },
    )
    assert spec.entity("Page").rule("create") == ir.Condition(kind="nobody")
    assert spec.app.roles == ()


def test_an_entity_without_permit_keeps_the_old_behaviour(tmp_path):
    spec = load(tmp_path, {APP: "app t\nentity Page:\n  body: text\n"})
    page = spec.entity("Page")
    assert page.permit is None and page.rule("read") is None


# ---------------------------------------------------------------- roles


def test_unknown_role_with_suggestion(tmp_path):
    assert errors(tmp_path, desk(("role(agent) or role(manager)", "role(agnt) or role(manager)"))) == [
        (
            APP,
            12,
            18,
            "unknown role `agnt` in the `create` rule of entity `Ticket`; did you mean `agent`?",
            None,
        )
    ]


def test_unknown_role_without_suggestion_lists_the_roles(tmp_path):
    found = errors(tmp_path, desk(("delete: role(manager)", "delete: role(admin)")))
    assert found == [
        (
            APP,
            14,
            18,
            "unknown role `admin` in the `delete` rule of entity `Ticket`",
            "the app's roles are `agent`, `manager`",
        )
    ]


def test_unknown_role_when_the_app_declares_none(tmp_path):
    files = {APP: "app t\nentity Page:\n  body: text\n  permit:\n    read: role(editor)\n"}
    assert errors(tmp_path, files) == [
        (
            APP,
            5,
            16,
            "unknown role `editor` in the `read` rule of entity `Page`: the app declares no roles",
            "declare it in the app's block: `app t:` and an indented line `roles: editor`",
        )
    ]


def test_unknown_role_in_a_surface_of_another_module(tmp_path):
    files = {
        APP: "app t:\n  roles: editor\n",
        "dsl/pages.dsl": "\nsurface contact:\n  mode: custom\n  permit: role(editr)\n",
    }
    assert errors(tmp_path, files) == [
        (
            "dsl/pages.dsl",
            4,
            16,
            "unknown role `editr` in the `permit` line of surface `contact`; did you mean `editor`?",
            None,
        )
    ]


def test_duplicate_role(tmp_path):
    found = errors(tmp_path, desk(('manager "Team manager"', 'manager "Team manager", agent')))
    assert found == [
        (APP, 2, 57, "role `agent` is defined twice in the app's `roles` (first at line 2)", None)
    ]


def test_no_app_reports_the_app_not_every_role(tmp_path):
    files = {APP: "entity Page:\n  body: text\n  permit:\n    read: role(editor)\n"}
    assert [message for *_, message, _ in errors(tmp_path, files)] == ["no `app` line in the project"]


# ---------------------------------------------------------------- field conditions


def test_unknown_field_in_a_rule(tmp_path):
    found = errors(tmp_path, desk(("owner = current_user", "ownr = current_user")))
    assert found == [
        (
            APP,
            13,
            30,
            "unknown field `ownr` in the `update` rule of entity `Ticket`; did you mean `owner`?",
            None,
        )
    ]


def test_a_field_that_is_not_a_user_field(tmp_path):
    found = errors(tmp_path, desk(("owner = current_user", "title = current_user")))
    assert found == [
        (
            APP,
            13,
            30,
            "`title` is a str(200) field; only a `user` field can be compared with current_user",
            "the user fields of entity `Ticket`: `owner`, `editor`, `assignee`",
        )
    ]


@pytest.mark.parametrize(
    "field, shown",
    [
        ("decimal(10,2)", "decimal(10,2)"),
        ("enum[a,b]", "enum[a,b]"),
        ("ref Page", "ref Page"),
        ("text", "text"),
        ("int", "int"),
    ],
)
def test_the_message_shows_the_type_as_written(tmp_path, field, shown):
    files = {APP: f"app t\nentity Page:\n  by: {field}\n  permit:\n    read: by = current_user\n"}
    ((_, line, column, message, hint),) = errors(tmp_path, files)
    assert (line, column) == (5, 11)
    assert message == f"`by` is a {shown} field; only a `user` field can be compared with current_user"
    assert hint == "add a field such as `owner: user auto_add` to entity `Page`"


def test_a_surface_condition_names_a_field_of_its_entity(tmp_path):
    found = errors(tmp_path, desk(("assignee = current_user", "asignee = current_user")))
    assert found == [
        (
            APP,
            19,
            26,
            "unknown field `asignee` in the `permit` line of surface `ticket_edit` (entity `Ticket`); "
            "did you mean `assignee`?",
            None,
        )
    ]
    found = errors(tmp_path / "b", desk(("assignee = current_user", "title = current_user")))
    assert [(line, column, message) for _, line, column, message, _ in found] == [
        (19, 26, "`title` is a str(200) field; only a `user` field can be compared with current_user")
    ]


def test_a_field_condition_on_a_surface_without_entity(tmp_path):
    files = {APP: "app t\nsurface contact:\n  mode: custom\n  permit: signed_in and owner = current_user\n"}
    assert errors(tmp_path, files) == [
        (
            APP,
            4,
            25,
            "surface `contact` uses no entity: `owner = current_user` in its `permit` line names no field",
            "add `uses entity <Entity>`, or use `anyone`, `signed_in`, `nobody` or `role(<role>)`",
        )
    ]


def test_a_surface_of_an_unknown_entity_reports_only_the_entity(tmp_path):
    files = {
        APP: "app t\nentity Page:\n  by: user\nsurface s:\n  uses entity Pag\n  mode: list\n"
        "  permit: by = current_user\n"
    }
    assert [message for *_, message, _ in errors(tmp_path, files)] == [
        "unknown entity `Pag` in `uses entity`; did you mean `Page`?"
    ]


# ---------------------------------------------------------------- permit blocks


def test_an_operation_given_twice(tmp_path):
    found = errors(
        tmp_path, desk(("    delete: role(manager)\n", "    delete: role(manager)\n    read: nobody\n"))
    )
    assert found == [
        (
            APP,
            15,
            5,
            "operation `read` is given twice in the `permit` block of entity `Ticket` (first at line 11)",
            "keep one `read:` line",
        )
    ]


# ---------------------------------------------------------------- user fields


@pytest.mark.parametrize(
    "line, column, message",
    [
        ("u: user default=me", 19, "field `u`: user fields take no default; use `auto_add` or `auto_update`"),
        ('u: user = "me"', 13, "field `u`: user fields take no default; use `auto_add` or `auto_update`"),
        ("u: user auto_add default=me", 28, "field `u` has both `auto_add` and a default"),
        ("u: user pk", 11, "field `u`: `pk` is allowed on uuid, int and str(N) fields, not on user"),
        ("u: user auto_add auto_update", 20, "field `u` is both `auto_add` and `auto_update`"),
        (
            "u: text auto_update",
            11,
            "`auto_update` works only on date, datetime and user fields, not on `u` (text)",
        ),
    ],
)
def test_user_field_modifiers(tmp_path, line, column, message):
    ((_, found_line, found_column, found, _),) = errors(tmp_path, {APP: f"app t\nentity E:\n  {line}\n"})
    assert (found_line, found_column) == (3, column)
    assert found.startswith(message)


def test_user_fields_with_auto_and_unique_are_valid(tmp_path):
    files = {
        APP: "app t\nentity E:\n  a: user auto_add required\n  b: user auto_update unique\n  c: user optional\n"
    }
    entity = load(tmp_path, files).entity("E")
    assert [(f.auto_add, f.auto_update, f.has_default) for f in entity.fields] == [
        (True, False, True),
        (False, True, True),
        (False, False, False),
    ]


def test_a_foreign_model_has_no_user_field(tmp_path):
    files = {
        APP: 'app t\nservice s:\n  spec: inline "s"\n  auth_profile: none\n'
        "foreign_model F from s:\n  key: id\n  field id: int\n  field who: user\n"
    }
    assert errors(tmp_path, files) == [
        (
            APP,
            8,
            14,
            "field `who` of foreign model `F` is a `user` field: a user of this app cannot come from a "
            "service's records",
            "give it the type of the service's own user id, e.g. str(N) or int",
        )
    ]
