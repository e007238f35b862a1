"""Fuzzing the whole front end: mutated example projects, and a project with every
access-control construct (0.2), through ``load_project`` either load or raise ``ProjectError``
(whose rendering works) — never any other exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dazzle.ir.diagnostics import ProjectError
from dazzle.semantics.frontend import load_project
from tests.support import EXAMPLES

PROJECTS = {
    name: {
        path.relative_to(EXAMPLES / name).as_posix(): path.read_bytes()
        for path in sorted((EXAMPLES / name).rglob("*"))
        if path.is_file() and (path.suffix == ".dsl" or path.name == "dazzle.toml")
    }
    for name in ("todo", "helpdesk", "invoicing")
}
PROJECTS["access"] = {
    "dazzle.toml": b'[project]\nname = "desk"\n',
    "dsl/app.dsl": b"""\
app desk "Desk":
  roles: agent "Support agent", manager

entity Ticket:
  title: str(200) required
  owner: user auto_add
  assignee: user
  permit:
    list: signed_in
    read: anyone or (role(agent) and assignee = current_user)
    update: role(manager) or owner = current_user
    delete: nobody
""",
    "dsl/pages.dsl": b"""\
use app

surface ticket_edit:
  uses entity Ticket
  mode: edit
  permit: role(agent) or assignee = current_user
  section main:
    field title

surface contact:
  mode: custom
  permit: signed_in and role(manager)
  section main:
    field subject
""",
}
ODD_BYTES = [
    b"\t",
    b'"',
    b":",
    b" ",
    b"\n",
    b"\xff",
    b"\xc3",
    b"#",
    b"=",
    b".",
    b"-",
    b"->",
    b"<-",
    b"x",
    b"9",
    b"_",
    b"(",
    b")",
    b" or ",
    b" and ",
]


def delete_line(lines: list[bytes], i: int, j: int) -> None:
    del lines[i]


def duplicate_line(lines: list[bytes], i: int, j: int) -> None:
    lines.insert(j, lines[i])


def swap_lines(lines: list[bytes], i: int, j: int) -> None:
    lines[i], lines[j] = lines[j], lines[i]


LINE_EDITS = [delete_line, duplicate_line, swap_lines]


@st.composite
def mutated_project(draw):
    name = draw(st.sampled_from(sorted(PROJECTS)))
    files = dict(PROJECTS[name])
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(sorted(files)))
        data = files[target]
        if draw(st.booleans()):
            lines = data.splitlines(keepends=True) or [b""]
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            draw(st.sampled_from(LINE_EDITS))(lines, i, j)
            data = b"".join(lines)
        else:
            at = draw(st.integers(0, len(data)))
            how = draw(st.sampled_from(["insert", "replace", "delete"]))
            piece = draw(st.sampled_from(ODD_BYTES))
            if how == "insert":
                data = data[:at] + piece + data[at:]
            elif how == "replace":
                data = data[:at] + piece + data[at + 1 :]
            else:
                data = data[:at] + data[at + 1 :]
        files[target] = data
    return name, files


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_project())
def test_mutated_examples_raise_only_project_errors(case):
    name, files = case
    root = Path(tempfile.mkdtemp(prefix=f"dazzle-fuzz-{name}-"))
    try:
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        try:
            spec, warnings = load_project(root)
        except ProjectError as exc:
            assert exc.errors, "a ProjectError must hold at least one error"
            assert "Traceback" not in exc.render()
        else:
            assert spec.app is not None
            assert all(w.severity == "warning" for w in warnings)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_access_project_loads(tmp_path):
    for rel, data in PROJECTS["access"].items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    spec, warnings = load_project(tmp_path)
    assert spec.entity("Ticket").permit and spec.surface("contact").permit and warnings == []
