"""The ``access`` generator (``<app>/access.py``: roles, rules, the one mechanism that enforces
them) and the expectations the generated access tests are given (``test_access``)."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap

from dazzle.ir import App, AppSpec, BuildConfig, Condition, Entity, PermitRule, ProjectConfig, Role
from generators.django.access import AccessGenerator
from generators.django.test_access import Person, access_plan, answer, decide, visitor_pages
from tests.django.web_specs import field, surface


def cond(text: str) -> Condition:
    """A condition from a tiny prefix notation: ``or(role:a,field:owner)``."""
    if "(" in text:
        kind, inner = text.split("(", 1)
        parts, depth, start = [], 0, 0
        inner = inner[:-1]
        for i, ch in enumerate(inner):
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                parts.append(inner[start:i])
                start = i + 1
        parts.append(inner[start:])
        return Condition(kind=kind, parts=tuple(cond(p) for p in parts))
    kind, _, name = text.partition(":")
    return Condition(kind=kind, name=name or None)


def desk(login_required: bool = True, **rules: str) -> AppSpec:
    ticket = Entity(
        name="Ticket",
        title="Ticket",
        fields=(
            field("subject", "str", n=80, required=True),
            field("class", "user", auto_add=True),  # a keyword name: attribute class_field
            field("editor", "user", auto_update=True),
            field("assignee", "user"),
        ),
        permit=tuple(PermitRule(operation=op, condition=cond(c)) for op, c in rules.items())
        if rules
        else None,
    )
    note = Entity(name="Note", fields=(field("text", "str", n=40, required=True),))
    return AppSpec(
        name="desk",
        app=App(name="desk", roles=(Role(name="agent", title="Agent"), Role(name="manager"))),
        config=ProjectConfig(build=BuildConfig(login_required=login_required)),
        entities=(ticket, note),
        surfaces=(
            surface("ticket_list", "Ticket", "list", [("subject", None)]),
            surface("ticket_view", "Ticket", "view", [("subject", None)]),
            surface("ticket_new", "Ticket", "create", [("subject", None)]),
            surface("ticket_edit", "Ticket", "edit", [("subject", None)]).replace(
                permit=cond("role:manager")
            ),
            surface("note_list", "Note", "list", [("text", None)]),
        ),
    )


def access_py(spec: AppSpec) -> str:
    gen = AccessGenerator()
    files = {f.path: f.content for f in gen.generate(gen.slice(spec), {}).files}
    assert set(files) == {"desk/access.py", "desk/migration_operations.py"}
    ast.parse(files["desk/migration_operations.py"])
    return files["desk/access.py"]


def assigned(source: str, name: str) -> str:
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name:
            return ast.unparse(node.value)
    raise AssertionError(f"{name} not assigned")


def test_rules_pages_and_stamps_follow_the_spec():
    source = access_py(desk(list="signed_in", update="or(role:manager,field:class)", delete="nobody"))
    assert assigned(source, "ROLES") == "(('agent', 'Agent'), ('manager', 'manager'))"
    assert assigned(source, "DEFAULT") == "SIGNED_IN"
    rules = assigned(source, "RULES")
    assert "'list': SIGNED_IN" in rules and "'delete': NOBODY" in rules
    assert "'update': Any(Role('manager'), Owner('class_field'))" in rules
    assert "'read'" not in rules  # left out: nobody, by rule()'s default
    assert "Note" not in rules  # no permit block: the default's
    assert assigned(source, "PAGES") == "{('Ticket', 'update'): Role('manager')}"
    assert (
        assigned(source, "STAMPS")
        == "{'Ticket': (('class_field', 'add', False), ('editor', 'update', False))}"
    )


def test_without_rules_everything_is_the_default():
    spec = desk(login_required=False)
    spec = spec.replace(surfaces=tuple(s.replace(permit=None) for s in spec.surfaces))
    source = access_py(spec)
    assert assigned(source, "RULES") == "{}" and assigned(source, "PAGES") == "{}"
    assert assigned(source, "DEFAULT") == "ANYONE"


RUNTIME = """
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"])
django.setup()
from django.db.models import Q
namespace = {}
exec(compile(SOURCE, "access.py", "exec"), namespace)
a = type("A", (), namespace)

class User:
    def __init__(self, pk, roles=(), superuser=False, signed_in=True):
        self.pk, self._dazzle_roles = pk, frozenset(roles)
        self.is_authenticated, self.is_active, self.is_superuser = signed_in, signed_in, superuser

class Ticket:
    def __init__(self, owner):
        self.class_field_id = owner

visitor = User(None, signed_in=False)
member, manager, boss = User(7), User(8, roles={"manager"}), User(9, superuser=True)
d = namespace["decision"]
assert d(visitor, "Ticket", "update") is False
assert d(manager, "Ticket", "update") is True
assert d(member, "Ticket", "update") == Q(class_field_id=7), d(member, "Ticket", "update")
assert d(member, "Ticket", "read") is False            # left out of the block: nobody
assert d(boss, "Ticket", "read") is True               # superusers may do everything
assert d(member, "Ticket", "update", page=True) is False   # the edit surface adds role(manager)
assert d(member, "Note", "list") is True and d(visitor, "Note", "list") is False
allows = namespace["allows"]
assert allows(member, "Ticket", "update", Ticket(7)) and not allows(member, "Ticket", "update", Ticket(8))
assert namespace["visitors_allowed"]("Ticket", "list") is False
rule = namespace["rule"]
assert rule("Ticket", "delete").decide(member) is False
both = namespace["All"](namespace["Role"]("manager"), namespace["Owner"]("class_field"))
assert both.decide(manager) == Q(class_field_id=8) and both.decide(member) is False
print("ok")
"""


def test_the_generated_mechanism_decides_as_the_rules_say():
    source = access_py(desk(list="signed_in", update="or(role:manager,field:class)", delete="nobody"))
    script = f"SOURCE = {source!r}\n" + textwrap.dedent(RUNTIME)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_expectations_are_worked_out_from_the_conditions():
    rule = cond("or(role:manager,field:owner)")
    member, manager, visitor = (
        Person("member"),
        Person("manager", roles=frozenset({"manager"})),
        Person("visitor", signed_in=False),
    )
    assert decide(rule, member) == "rows" and decide(rule, manager) is True and decide(rule, visitor) is False
    assert answer(rule, member, mine=True) == "ok" and answer(rule, member, mine=False) == "hidden"
    assert answer(rule, visitor, mine=False) == "login"
    assert answer(cond("and(role:manager,field:owner)"), member, mine=True) == "forbidden"
    assert answer(cond("nobody"), Person("superuser", superuser=True), mine=False) == "ok"
    assert answer(cond("anyone"), visitor, mine=False) == "ok"


def test_the_plan_covers_every_page_person_and_record():
    plan = access_plan(desk(list="signed_in", read="anyone", update="field:class", create="role:agent"))
    assert plan.roles == ("agent", "manager")
    [case] = plan.cases  # Note has no rules and its surface no permit
    assert case.owner_fields == ("class_field",)
    checks = {(p, op, whose): a for p, op, whose, a in case.checks}
    assert checks[("visitor", "read", "other")] == "ok"
    assert checks[("visitor", "list", "other")] == "login"
    assert checks[("member", "update", "mine")] == "forbidden"  # the edit surface needs role(manager)
    assert checks[("manager", "update", "mine")] == "ok"
    assert checks[("manager", "update", "other")] == "hidden"
    assert checks[("member", "delete", "other")] == "forbidden"  # delete left out: nobody
    assert (
        checks[("agent", "create", "other")] == "ok" and checks[("member", "create", "other")] == "forbidden"
    )
    links = {(p, whose, op): shown for p, whose, op, shown in case.links}
    assert links[("agent", "other", "create")] is True and links[("member", "other", "create")] is False
    assert links[("manager", "mine", "update")] is True and links[("manager", "other", "update")] is False
    assert dict(case.admin) == {"member": True, "agent": True, "manager": True}  # list: signed_in


def test_no_rules_no_access_tests_and_pages_open_as_before():
    spec = desk()
    spec = spec.replace(surfaces=tuple(s.replace(permit=None) for s in spec.surfaces))
    assert access_plan(spec) is None
    assert visitor_pages(spec) == frozenset()
    assert visitor_pages(spec.replace(config=ProjectConfig(build=BuildConfig(login_required=False)))) >= {
        "home",
        "ticket-list",
    }
