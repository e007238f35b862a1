"""A list surface's `sort:` and `filter:` lines (0.2, REFERENCE §Lists and related records) through
the whole front end: linked across modules and kept by pickles, and every rule of the validator
with its exact message and location."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest

from dazzle import ir
from dazzle.ir.diagnostics import ProjectError
from dazzle.semantics.frontend import load_project

APP = "dsl/app.dsl"
CASES = """\
    app desk

    entity Case "Case":
      subject: str(200) required
      body: text
      opened: datetime auto_add
      due: date
      state: enum[open, closed]
      severity: enum[low, high]
      urgent: bool
      owner: user
      customer: ref Customer
      count: int
      total: decimal(10,2)
      code: uuid
      mail: email

    entity Customer:
      name: str(50)

    surface case_list "Cases":
      uses entity Case
      mode: list
      sort: -opened, subject
      filter: state, severity, owner
      section main "Open cases":
        field subject
        field state
    """
FILTERABLE = "enum, bool, ref, user, date and datetime"


def write(root: Path, files: dict[str, str]) -> Path:
    files = {"dazzle.toml": '[project]\nname = "desk"\n', **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def cases(*edits: tuple[str, str]) -> dict[str, str]:
    """The cases project with each ``(old, new)`` text replaced once."""
    text = textwrap.dedent(CASES)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return {APP: text}


def errors(root: Path, files: dict[str, str]) -> list[tuple[str, int | None, int | None, str, str | None]]:
    """Every error of the project: (file, line, column, message, hint)."""
    with pytest.raises(ProjectError) as caught:
        load_project(write(root, files))
    return [
        (d.path, d.loc.line if d.loc else None, d.loc.column if d.loc else None, d.message, d.hint)
        for d in caught.value.errors
    ]


# ---------------------------------------------------------------- valid projects


def test_the_reference_example_is_valid(tmp_path):
    spec, warnings = load_project(write(tmp_path, cases()))
    surface = spec.surface("case_list")
    assert surface.sort == (ir.SortKey(field="opened", descending=True), ir.SortKey(field="subject"))
    assert [f.field for f in surface.filters] == ["state", "severity", "owner"]
    assert [(k.loc.line, k.loc.column) for k in surface.sort] == [(24, 10), (24, 18)]
    assert warnings == []


@pytest.mark.parametrize("field", ["due", "opened", "state", "urgent", "owner", "customer"])
def test_every_filter_kind_is_accepted(tmp_path, field):
    spec, _ = load_project(write(tmp_path, cases(("filter: state, severity, owner", f"filter: {field}"))))
    assert spec.surface("case_list").filters == (ir.ListFilter(field=field),)


@pytest.mark.parametrize("field", ["body", "count", "total", "code", "mail", "subject", "customer"])
def test_any_field_may_be_a_sort_key(tmp_path, field):
    spec, _ = load_project(write(tmp_path, cases(("sort: -opened, subject", f"sort: -{field}"))))
    assert spec.surface("case_list").sort == (ir.SortKey(field=field, descending=True),)


def test_fields_called_sort_filter_and_list(tmp_path):
    spec, _ = load_project(
        write(
            tmp_path,
            {
                APP: """\
                    app t
                    entity Thing:
                      sort: int
                      filter: bool
                      list: date
                    surface filter:
                      uses entity Thing
                      mode: list
                      sort: list, -sort, filter
                      filter: filter, list
                      section filter:
                        field sort
                    """
            },
        )
    )
    surface = spec.surface("filter")
    assert [(k.field, k.descending) for k in surface.sort] == [
        ("list", False),
        ("sort", True),
        ("filter", False),
    ]
    assert [f.field for f in surface.filters] == ["filter", "list"]


def test_linked_across_modules_and_kept_by_pickles(tmp_path):
    project = write(
        tmp_path,
        {
            "dsl/core.dsl": "module core\napp t\nentity Case:\n  state: enum[a, b]\n  opened: date\n",
            "dsl/pages.dsl": """\
                module pages
                use core as c
                surface case_list:
                  uses entity c.Case
                  mode: list
                  sort: -opened
                  filter: state, opened
                """,
        },
    )
    spec, _ = load_project(project)
    surface = spec.surface("case_list")
    assert surface.entity == "Case"  # rewritten by the linker, the lines kept
    assert surface.sort == (ir.SortKey(field="opened", descending=True),)
    assert surface.filters == (ir.ListFilter(field="state"), ir.ListFilter(field="opened"))
    again = pickle.loads(pickle.dumps(spec, protocol=5))
    assert again == spec and again.model_dump_json() == spec.model_dump_json()
    assert again.surface("case_list").sort[0].loc == surface.sort[0].loc
    assert again.surface("case_list").filters[1].loc == ir.Location("dsl/pages.dsl", 7, 18)
    assert ir.AppSpec.model_validate_json(spec.model_dump_json()) == spec
    assert '"descending":true' in spec.model_dump_json()


# ---------------------------------------------------------------- the rules


def test_sort_on_a_surface_that_is_not_a_list(tmp_path):
    files = cases()
    files[APP] += "\nsurface case_view:\n  uses entity Case\n  mode: view\n  sort: -opened\n"
    assert errors(tmp_path, files) == [
        (
            APP,
            33,
            3,
            "`sort:` is a line of list surfaces; surface `case_view` has mode view",
            "remove the line, or move it to a list surface",
        )
    ]


@pytest.mark.parametrize("mode", ["view", "create", "edit"])
def test_filter_on_a_surface_that_is_not_a_list(tmp_path, mode):
    files = cases(("mode: list", f"mode: {mode}"))
    assert errors(tmp_path, files) == [
        (
            APP,
            24,
            3,
            f"`sort:` is a line of list surfaces; surface `case_list` has mode {mode}",
            "remove the line, or move it to a list surface",
        ),
        (
            APP,
            25,
            3,
            f"`filter:` is a line of list surfaces; surface `case_list` has mode {mode}",
            "remove the line, or move it to a list surface",
        ),
    ]


def test_sort_and_filter_on_a_custom_surface_without_entity(tmp_path):
    files = {APP: "app t\nsurface contact:\n  mode: custom\n  filter: topic\n  sort: -topic\n"}
    assert [e[1:4] for e in errors(tmp_path, files)] == [
        (4, 3, "`filter:` is a line of list surfaces; surface `contact` has mode custom"),
        (5, 3, "`sort:` is a line of list surfaces; surface `contact` has mode custom"),
    ]


def test_unknown_sort_field_with_suggestion(tmp_path):
    assert errors(tmp_path, cases(("sort: -opened, subject", "sort: subject, -opend"))) == [
        (
            APP,
            24,
            19,
            "entity `Case` has no field `opend` (the `sort:` line of surface `case_list`); "
            "did you mean `opened`?",
            None,
        )
    ]


def test_unknown_filter_field_with_suggestion(tmp_path):
    assert errors(tmp_path, cases(("filter: state, severity, owner", "filter: state, severty"))) == [
        (
            APP,
            25,
            18,
            "entity `Case` has no field `severty` (the `filter:` line of surface `case_list`); "
            "did you mean `severity`?",
            None,
        )
    ]


def test_unknown_field_without_suggestion(tmp_path):
    assert [e[1:4] for e in errors(tmp_path, cases(("filter: state, severity, owner", "filter: xyzzy")))] == [
        (25, 11, "entity `Case` has no field `xyzzy` (the `filter:` line of surface `case_list`)")
    ]


@pytest.mark.parametrize(
    "field, written",
    [
        ("subject", "a str(200)"),
        ("body", "a text"),
        ("count", "an int"),
        ("total", "a decimal(10,2)"),
        ("code", "a uuid"),
        ("mail", "an email"),
    ],
)
def test_filter_on_a_field_of_another_type(tmp_path, field, written):
    found = errors(tmp_path, cases(("filter: state, severity, owner", f"filter: state, {field}")))
    assert found == [
        (
            APP,
            25,
            18,
            f"`{field}` is {written} field; `filter:` takes {FILTERABLE} fields "
            "(the `filter:` line of surface `case_list`)",
            None,
        )
    ]


def test_the_same_field_twice_in_the_sort_line(tmp_path):
    # Twice is twice whichever the direction.
    assert errors(tmp_path, cases(("sort: -opened, subject", "sort: -opened, subject, opened"))) == [
        (
            APP,
            24,
            27,
            "field `opened` is given twice in the `sort:` line of surface `case_list` (first at column 10)",
            None,
        )
    ]


def test_the_same_field_twice_in_the_filter_line(tmp_path):
    found = errors(tmp_path, cases(("filter: state, severity, owner", "filter: state, owner, state, owner")))
    assert [e[1:4] for e in found] == [
        (
            25,
            25,
            "field `state` is given twice in the `filter:` line of surface `case_list` (first at column 11)",
        ),
        (
            25,
            32,
            "field `owner` is given twice in the `filter:` line of surface `case_list` (first at column 18)",
        ),
    ]


def test_a_field_in_both_lines_is_fine(tmp_path):
    spec, _ = load_project(write(tmp_path, cases(("sort: -opened, subject", "sort: state, -opened"))))
    assert [k.field for k in spec.surface("case_list").sort] == ["state", "opened"]


def test_every_mistake_of_the_lines_in_one_run(tmp_path):
    files = cases(
        ("sort: -opened, subject", "sort: -opend, subject, -subject"),
        ("filter: state, severity, owner", "filter: subject, xyzzy, subject"),
    )
    assert [e[1:4] for e in errors(tmp_path, files)] == [
        (
            24,
            10,
            "entity `Case` has no field `opend` (the `sort:` line of surface `case_list`); did you mean `opened`?",
        ),
        (
            24,
            27,
            "field `subject` is given twice in the `sort:` line of surface `case_list` (first at column 17)",
        ),
        (
            25,
            11,
            f"`subject` is a str(200) field; `filter:` takes {FILTERABLE} fields "
            "(the `filter:` line of surface `case_list`)",
        ),
        (25, 20, "entity `Case` has no field `xyzzy` (the `filter:` line of surface `case_list`)"),
        (
            25,
            27,
            "field `subject` is given twice in the `filter:` line of surface `case_list` (first at column 11)",
        ),
    ]


def test_a_list_without_entity_gets_only_the_entity_error(tmp_path):
    files = {APP: "app t\nsurface things:\n  mode: list\n  sort: a, a\n  filter: b\n"}
    assert [e[1:4] for e in errors(tmp_path, files)] == [
        (2, 9, "surface `things` (mode: list) needs `uses entity <Entity>`")
    ]
    files = {APP: "app t\nsurface things:\n  uses entity Thing\n  mode: list\n  sort: a, a\n  filter: b\n"}
    assert [e[1:4] for e in errors(tmp_path, files)] == [(3, 15, "unknown entity `Thing` in `uses entity`")]
