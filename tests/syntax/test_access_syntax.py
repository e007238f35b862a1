"""The access-control constructs of the grammar (0.2): the app's `roles:` block, the `user` field
type, entity `permit:` blocks and surface `permit:` lines with their conditions: the IR, its
locations, the words that stay names, and the syntax errors."""

from __future__ import annotations

import textwrap

import pytest

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic, ProjectError
from dazzle.syntax.parser import parse_module

FILE = "dsl/desk.dsl"


def parse(source: str) -> ir.Module:
    return parse_module(textwrap.dedent(source).encode(), FILE, "desk")


def error(source: str) -> Diagnostic:
    """The one diagnostic that parsing ``source`` gives."""
    with pytest.raises(ProjectError) as caught:
        parse(source)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic


def at(loc: ir.Location | None) -> tuple[int, int]:
    assert loc is not None and loc.file == FILE
    return loc.line, loc.column


def rule_of(condition: str) -> ir.Condition:
    """The condition of ``list: <condition>`` in a permit block."""
    (entity,) = parse(f"entity E:\n  a: int\n  permit:\n    list: {condition}\n").entities
    (rule,) = entity.permit
    return rule.condition


def C(kind: str, name: str | None = None, *parts: ir.Condition) -> ir.Condition:
    return ir.Condition(kind=kind, name=name, parts=parts)


ROLE_A, ROLE_B, ROLE_C = C("role", "a"), C("role", "b"), C("role", "c")


# ---------------------------------------------------------------- the app's roles


def test_app_with_roles_and_titles():
    module = parse("""\
        app desk "Desk":
          roles: agent "Support agent", manager, viewer "Read only"
        """)
    app = module.app
    assert app == ir.App(
        name="desk",
        title="Desk",
        roles=(
            ir.Role(name="agent", title="Support agent"),
            ir.Role(name="manager"),
            ir.Role(name="viewer", title="Read only"),
        ),
    )
    assert [at(r.loc) for r in app.roles] == [(2, 10), (2, 33), (2, 42)]
    assert at(app.loc) == (1, 5) and at(app.where("roles")) == (2, 3)
    assert app.roles[1].label == "manager" and app.roles[0].label == "Support agent"


def test_app_without_block_has_no_roles():
    assert parse("app desk\n").app == ir.App(name="desk")
    assert parse('app desk "Desk"\n').app.roles == ()


def test_app_block_without_title():
    assert parse("app desk:\n  roles: agent\n").app == ir.App(name="desk", roles=(ir.Role(name="agent"),))


@pytest.mark.parametrize("role", ["list", "role", "roles", "anyone", "permit", "user", "app", "and"])
def test_keywords_as_role_names(role):
    app = parse(f'app desk:\n  roles: {role}, x, {role} "T"\n').app
    assert [r.name for r in app.roles] == [role, "x", role]  # a repeat is the validator's to judge
    (entity,) = parse(f"entity E:\n  a: int\n  permit:\n    read: role({role})\n").entities
    assert entity.permit[0].condition == C("role", role)


def test_second_roles_line_is_an_error():
    diagnostic = error("app desk:\n  roles: a\n  roles: b\n")
    assert diagnostic.message == "second `roles:` line in app `desk`"
    assert diagnostic.hint == "list every role on one `roles:` line"
    assert at(diagnostic.loc) == (3, 3)


@pytest.mark.parametrize(
    "source, message, position",
    [
        ("app desk:\n", "expected an indented block after the line that ends in `:`", (1, 10)),
        ("app desk:\nentity E:\n  a: int\n", "a block must not be empty", (2, 1)),
        ("app desk:\n  role: a\n", "expected `roles`, found `role`", (2, 3)),
        ("app desk:\n  roles a\n", "expected `:` after `roles`, found `a`", (2, 9)),
        ("app desk:\n  roles:\n", "expected a name, found the end of the line", (2, 9)),
        ("app desk:\n  roles: a b\n", "found `b`", (2, 12)),
    ],
)
def test_app_block_errors(source, message, position):
    diagnostic = error(source)
    assert message in diagnostic.message
    assert at(diagnostic.loc) == position


# ---------------------------------------------------------------- the user type


def test_user_field_type_with_modifiers():
    (entity,) = parse("""\
        entity Ticket:
          owner: user auto_add
          editor: user auto_update required
          assignee: user
        """).entities
    owner, editor, assignee = entity.fields
    assert owner.type == ir.FieldType(kind="user") and owner.auto_add
    assert editor.auto_update and editor.required
    assert assignee == ir.EntityField(name="assignee", type=ir.FieldType(kind="user"))
    assert at(owner.where("type")) == (2, 10) and at(owner.where("auto_add")) == (2, 15)


def test_user_default_is_kept_for_the_validator():
    field = parse("entity E:\n  u: user default=me\n").entities[0].fields[0]
    assert field.default == ir.Value(kind="word", value="me")


def test_misspelt_user_type_suggests_it():
    diagnostic = error("entity E:\n  owner: usr\n")
    assert "ref <Entity>, user)" in diagnostic.message and diagnostic.hint == "did you mean `user`?"


# ---------------------------------------------------------------- entity permit blocks

TICKET = """\
    app desk "Desk":
      roles: agent "Support agent", manager "Team manager"

    entity Ticket "Ticket":
      title: str(200) required
      owner: user auto_add
      permit:
        list: signed_in
        read: signed_in
        create: role(agent) or role(manager)
        update: role(manager) or owner = current_user
        delete: role(manager)
    """


def test_the_reference_example():
    (ticket,) = parse(TICKET).entities
    assert [f.name for f in ticket.fields] == ["title", "owner"]
    assert ticket.permit == (
        ir.PermitRule(operation="list", condition=C("signed_in")),
        ir.PermitRule(operation="read", condition=C("signed_in")),
        ir.PermitRule(operation="create", condition=C("or", None, C("role", "agent"), C("role", "manager"))),
        ir.PermitRule(operation="update", condition=C("or", None, C("role", "manager"), C("field", "owner"))),
        ir.PermitRule(operation="delete", condition=C("role", "manager")),
    )
    assert at(ticket.where("permit")) == (7, 3)
    assert [at(rule.loc) for rule in ticket.permit] == [(8, 5), (9, 5), (10, 5), (11, 5), (12, 5)]
    update = ticket.permit[3].condition
    assert at(update.loc) == (11, 13)
    manager, owner = update.parts
    assert at(manager.loc) == (11, 13) and at(manager.where("name")) == (11, 18)
    assert at(owner.loc) == at(owner.where("name")) == (11, 30)
    assert ticket.rule("update") == update and ticket.rule("list") == C("signed_in")


def test_an_operation_left_out_is_nobody_and_no_block_is_none():
    module = parse("entity A:\n  x: int\n  permit:\n    read: anyone\nentity B:\n  x: int\n")
    a, b = module.entities
    assert a.permit == (ir.PermitRule(operation="read", condition=C("anyone")),)
    assert a.rule("delete") == C("nobody") and a.rule("read") == C("anyone")
    assert b.permit is None and b.rule("read") is None and b.locs == {}


def test_permit_block_anywhere_among_the_lines():
    (entity,) = parse("""\
        entity E:
          permit:
            delete: nobody
          a: int
          unique a
          b: user
        """).entities
    assert [f.name for f in entity.fields] == ["a", "b"]
    assert entity.constraints == (ir.Constraint(kind="unique", fields=("a",)),)
    assert entity.permit == (ir.PermitRule(operation="delete", condition=C("nobody")),)


def test_an_operation_named_twice_is_kept_for_the_validator():
    (entity,) = parse("entity E:\n  a: int\n  permit:\n    read: anyone\n    read: nobody\n").entities
    assert [r.operation for r in entity.permit] == ["read", "read"]


def test_second_permit_block_is_an_error():
    diagnostic = error("entity E:\n  permit:\n    read: anyone\n  a: int\n  permit:\n    list: anyone\n")
    assert diagnostic.message == "second `permit:` block in entity `E`"
    assert at(diagnostic.loc) == (5, 3)


# ---------------------------------------------------------------- conditions


@pytest.mark.parametrize(
    "written, expected",
    [
        ("anyone", C("anyone")),
        ("signed_in", C("signed_in")),
        ("nobody", C("nobody")),
        ("role(a)", ROLE_A),
        ("role ( a )", ROLE_A),
        ("owner = current_user", C("field", "owner")),
        ("owner=current_user", C("field", "owner")),
        ("(role(a))", ROLE_A),
        ("((anyone))", C("anyone")),
        ("role(a) or role(b)", C("or", None, ROLE_A, ROLE_B)),
        ("role(a) or role(b) or role(c)", C("or", None, ROLE_A, ROLE_B, ROLE_C)),
        ("role(a) and role(b) and role(c)", C("and", None, ROLE_A, ROLE_B, ROLE_C)),
        # `and` binds tighter than `or`
        ("role(a) or role(b) and role(c)", C("or", None, ROLE_A, C("and", None, ROLE_B, ROLE_C))),
        ("role(a) and role(b) or role(c)", C("or", None, C("and", None, ROLE_A, ROLE_B), ROLE_C)),
        # parentheses group; grouping a part of the same kind changes nothing
        ("(role(a) or role(b)) and role(c)", C("and", None, C("or", None, ROLE_A, ROLE_B), ROLE_C)),
        ("role(a) and (role(b) or role(c))", C("and", None, ROLE_A, C("or", None, ROLE_B, ROLE_C))),
        ("(role(a) or role(b)) or role(c)", C("or", None, ROLE_A, ROLE_B, ROLE_C)),
        ("role(a) and (role(b) and role(c))", C("and", None, ROLE_A, ROLE_B, ROLE_C)),
        # the plain words combine with anything
        (
            "anyone and nobody or signed_in",
            C("or", None, C("and", None, C("anyone"), C("nobody")), C("signed_in")),
        ),
    ],
)
def test_conditions(written, expected):
    condition = rule_of(written)
    assert condition == expected
    assert condition.loc is not None and condition.loc.line == 4


def test_condition_text_shows_the_grouping():
    written = "(role(a) or b = current_user) and signed_in"
    assert str(rule_of(written)) == written
    assert str(rule_of("role(a) or role(b) and role(c)")) == "role(a) or role(b) and role(c)"


def test_and_or_are_located_at_their_first_part():
    condition = rule_of("(role(a) or role(b)) and x = current_user")
    assert at(condition.loc) == (4, 12) and at(condition.parts[0].loc) == (4, 12)
    assert at(condition.parts[1].where("name")) == (4, 36)


def test_condition_nodes_helpers():
    condition = rule_of("role(a) or (owner = current_user and role(b)) or editor = current_user")
    assert condition.roles == ("a", "b")
    assert condition.fields == ("owner", "editor")


# ---------------------------------------------------------------- surface permit lines


def test_surface_permit_line_in_any_order():
    (surface,) = parse("""\
        surface ticket_edit:
          permit: role(manager) or owner = current_user
          uses entity Ticket
          section main:
            field title
          mode: edit
        """).surfaces
    assert surface.permit == C("or", None, C("role", "manager"), C("field", "owner"))
    assert surface.mode == "edit" and surface.entity == "Ticket"
    assert at(surface.where("permit")) == (2, 3) and at(surface.permit.loc) == (2, 11)


def test_surface_without_permit_line():
    (surface,) = parse("surface s:\n  mode: custom\n").surfaces
    assert surface.permit is None and "permit" not in surface.locs


def test_second_surface_permit_line_is_an_error():
    diagnostic = error("surface s:\n  mode: custom\n  permit: anyone\n  permit: nobody\n")
    assert diagnostic.message == "second `permit:` line in surface `s`"
    assert at(diagnostic.loc) == (4, 3)


# ---------------------------------------------------------------- the new words stay names

NEW_WORDS = [
    "user",
    "permit",
    "roles",
    "role",
    "list",
    "read",
    "create",
    "update",
    "delete",
    "anyone",
    "signed_in",
    "nobody",
    "current_user",
    "and",
    "or",
]


@pytest.mark.parametrize("name", NEW_WORDS)
def test_new_words_as_entity_field_names(name):
    (entity,) = parse(f"""\
        entity E:
          {name}: user auto_add
          a: int
          {name}: str(10) required
          permit:
            update: {name} = current_user
        """).entities
    assert [f.name for f in entity.fields] == [name, "a", name]
    assert entity.fields[0].type.kind == "user" and entity.fields[2].required
    assert entity.permit == (ir.PermitRule(operation="update", condition=C("field", name)),)


@pytest.mark.parametrize("name", NEW_WORDS)
def test_new_words_in_a_condition_after_and_or(name):
    condition = rule_of(f"{name} = current_user or {name} = current_user and role({name})")
    field = C("field", name)
    assert condition == C("or", None, field, C("and", None, field, C("role", name)))


@pytest.mark.parametrize("name", NEW_WORDS)
def test_new_words_as_surface_section_field_and_option_names(name):
    (surface,) = parse(f"""\
        surface {name}:
          mode: edit
          permit: {name} = current_user
          section {name} "S":
            field {name} "L" {name}={name}
          action {name}:
            on click -> surface {name}
        """).surfaces
    assert surface.name == name and surface.permit == C("field", name)
    (section,) = surface.sections
    assert section.name == name and section.fields[0].name == name
    assert section.fields[0].options == ((name, ir.Value(kind="word", value=name)),)


@pytest.mark.parametrize("name", NEW_WORDS)
def test_new_words_as_block_and_mapping_names(name):
    module = parse(f"""\
        app {name}
        entity {name}:
          a: ref {name}
        integration {name}:
          action {name}:
            when surface {name} submitted
            call {name}.{name} with:
              {name} <- current_user.{name}
        foreign_model F from {name}:
          field {name}: int
          key: {name}
        """)
    assert module.app.name == name and module.entities[0].name == name
    assert module.entities[0].fields[0].type.ref == name
    (action,) = module.integrations[0].actions
    assert action.params[0].source == ir.Expression(path=("current_user", name))
    assert module.foreign_models[0].fields[0].name == name


def test_a_field_called_permit_beside_a_permit_block():
    (entity,) = parse("""\
        entity E:
          permit: str(10)
          permit:
            read: permit = current_user
          permit: user = x unique
        """).entities
    assert [(f.name, f.type.kind) for f in entity.fields] == [("permit", "str"), ("permit", "user")]
    assert entity.fields[1].default == ir.Value(kind="word", value="x") and entity.fields[1].unique
    assert entity.permit[0].condition == C("field", "permit")
    assert at(entity.where("permit")) == (3, 3)


# ---------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    "lines, message, hint, position",
    [
        (
            "permit:\n",
            "expected an indented block after the line that ends in `:` (a block must not be empty)",
            None,
            (3, 10),
        ),
        ("permit:\n  b: int\n", "expected an indented block", None, (4, 3)),
        (
            "permit\n    list: anyone\n",
            "expected `:` after `permit`, found the end of the line",
            None,
            (3, 9),
        ),
        (
            "permit:\n    lst: anyone\n",
            "expected `create`, `delete`, `list`, `read` or `update`, found `lst`",
            "did you mean `list`?",
            (4, 5),
        ),
        ("permit:\n    list anyone\n", "expected `:` after `list`, found `anyone`", None, (4, 10)),
        (
            "permit:\n    list:\n",
            "expected a condition (`anyone`, `signed_in`, `nobody`, `role(<role>)` or `<field> = current_user`), "
            "found the end of the line",
            None,
            (4, 10),
        ),
        (
            "permit:\n    list: admin\n",
            "expected `= current_user` after the field name `admin`, found the end of the line",
            "a bare word is a `user` field compared with the signed-in user; write `role(admin)` for a role",
            (4, 16),
        ),
        (
            "permit:\n    list: signedin\n",
            "expected `= current_user` after the field name `signedin`, found the end of the line",
            "did you mean `signed_in`?",
            (4, 19),
        ),
        (
            "permit:\n    list: role admin\n",
            "expected `(` after `role`, found `admin`",
            "a role is written `role(admin)`",
            (4, 16),
        ),
        ("permit:\n    list: role(a\n", "expected `)`, found the end of the line", None, (4, 17)),
        ("permit:\n    list: owner = me\n", "expected `current_user`, found `me`", None, (4, 19)),
        ("permit:\n    list: (anyone\n", "expected `)`, found the end of the line", None, (4, 18)),
        ("permit:\n    list: anyone or\n", "expected a condition", None, (4, 20)),
        ("permit:\n    list: anyone role(a)\n", "found `role`", None, (4, 18)),
        (
            "permit:\n    list: role(a) and and\n",  # `and` is a field's name there
            "expected `= current_user` after the field name `and`, found the end of the line",
            "a bare word is a `user` field compared with the signed-in user; write `role(and)` for a role",
            (4, 26),
        ),
    ],
)
def test_permit_syntax_errors(lines, message, hint, position):
    diagnostic = error("entity E:\n  a: int\n  " + lines)
    assert message in diagnostic.message
    assert diagnostic.hint == hint
    assert at(diagnostic.loc) == position
    assert "__" not in diagnostic.message and "NAME" not in diagnostic.message


def test_surface_permit_syntax_errors():
    diagnostic = error("surface s:\n  mode: custom\n  permit: admin\n")
    assert diagnostic.message.startswith("expected `= current_user` after the field name `admin`")
    assert at(diagnostic.loc) == (3, 16)
    diagnostic = error("surface s:\n  mode: custom\n  permit:\n    list: anyone\n")
    assert diagnostic.message.startswith("expected a condition")
    assert at(diagnostic.loc) == (3, 10)


def test_entity_line_errors_mention_permit():
    diagnostic = error('entity E:\n  "a": int\n')
    assert diagnostic.message == (
        'expected a field (`<name>: <type>`), `unique`, `index` or `permit:`, found the string "a"'
    )


# ---------------------------------------------------------------- held to lark


def test_lark_parses_access_control_alike():
    from tests.syntax.test_lark_parity import assert_parse_alike

    sources = [
        TICKET,
        "entity E:\n  permit: str(10)\n  permit:\n    read: permit = current_user or role(x)\n",
        "surface s:\n  mode: custom\n  permit: (anyone or role = current_user) and nobody\n",
        "entity E:\n  a: int\n  permit:\n    list: role admin\n",
        "entity E:\n  a: int\n  permit:\n    list: admin\n",
        "app desk:\n  roles: a, b\n  roles: c\n",
    ]
    for source in sources:
        assert_parse_alike(textwrap.dedent(source).encode())
