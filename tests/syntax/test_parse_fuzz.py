"""Mutated example files either parse or raise ProjectError: never any other exception.

Hypothesis deletes, duplicates and swaps lines, and deletes, inserts and replaces bytes
(tabs, quotes, colons, brackets, non-UTF-8 bytes ...) of the example .dsl files and of a spec
with every access-control construct (0.2).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dazzle import ir
from dazzle.ir.diagnostics import ProjectError
from dazzle.syntax.parser import parse_module
from tests.support import EXAMPLES

ACCESS = b"""\
app desk "Desk":
  roles: agent "Support agent", manager

entity Ticket:
  owner: user auto_add
  permit: str(10)
  permit:
    list: signed_in
    read: anyone or (role(agent) and owner = current_user)
    update: role(manager) or owner = current_user and nobody

surface ticket_list:
  uses entity Ticket
  mode: list
  permit: role(agent) or owner = current_user
  section permit:
    field permit
"""
SOURCES = [p.read_bytes() for p in sorted(EXAMPLES.glob("*/dsl/*.dsl"))] + [ACCESS]
NASTY = [
    b"\t",
    b'"',
    b":",
    b"\\",
    b"#",
    b"\n",
    b"\r",
    b"\r\n",
    b" ",
    b"  ",
    b"(",
    b")",
    b"[",
    b"]",
    b",",
    b".",
    b"=",
    b"->",
    b"<-",
    b"<->",
    b"?",
    b"-",
    b"9",
    b"\xff",
    b"\xe9",
    b"\xef\xbb\xbf",
    b"\x00",
    b"unique",
    b"entity",
    b"field",
    b"mode",
    b"step",
    b"permit",
    b"permit:",
    b"role(",
    b" and ",
    b" or ",
    b"= current_user",
    b"user",
    b"x",
]


@st.composite
def mutated(draw) -> bytes:
    lines = draw(st.sampled_from(SOURCES)).split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(
            st.sampled_from(["delete line", "duplicate line", "swap lines", "delete", "insert", "replace"])
        )
        i = draw(st.integers(0, len(lines) - 1))
        if operation == "delete line" and len(lines) > 1:
            del lines[i]
        elif operation == "duplicate line":
            lines.insert(i, lines[i])
        elif operation == "swap lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            piece = draw(st.sampled_from(NASTY) | st.binary(min_size=1, max_size=3))
            if operation == "delete":
                line = line[:at] + line[at + draw(st.integers(1, 5)) :]
            elif operation == "insert":
                line = line[:at] + piece + line[at:]
            else:
                line = line[:at] + piece + line[at + 1 :]
            lines[i] = line
    return b"\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_examples_parse_or_raise_project_error(source):
    try:
        module = parse_module(source, "dsl/app.dsl", "app")
    except ProjectError as problem:
        assert problem.diagnostics, "a ProjectError always says what is wrong"
        for diagnostic in problem.diagnostics:
            assert diagnostic.loc is not None and diagnostic.loc.file == "dsl/app.dsl"
            assert diagnostic.loc.line >= 1 and diagnostic.loc.column >= 1
            assert "__ANON" not in diagnostic.message and "_NL" not in diagnostic.message
            diagnostic.render()
    else:
        assert isinstance(module, ir.Module)
        assert ir.Module.model_validate_json(module.model_dump_json()) == module


def test_the_access_control_source_parses():
    module = parse_module(ACCESS, "dsl/app.dsl", "app")
    assert module.app.roles and module.entities[0].permit and module.surfaces[0].permit
