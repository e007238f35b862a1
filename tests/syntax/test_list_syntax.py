"""A list surface's `sort:` and `filter:` lines (0.2, REFERENCE §Lists and related records): the
IR and its locations, the words that stay names, the `-` that stays a part of negative numbers
and arrows, and the syntax errors."""

from __future__ import annotations

import textwrap

import pytest

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic, ProjectError
from dazzle.syntax.parser import parse_module

FILE = "dsl/cases.dsl"


def parse(source: str) -> ir.Module:
    return parse_module(textwrap.dedent(source).encode(), FILE, "cases")


def surface_of(*lines: str) -> ir.Surface:
    """The surface `case_list` (list of Case) with ``lines`` after its `mode:` line."""
    body = "".join(f"  {line}\n" for line in lines)
    (surface,) = parse(f"surface case_list:\n  uses entity Case\n  mode: list\n{body}").surfaces
    return surface


def error(source: str) -> Diagnostic:
    """The one diagnostic that parsing ``source`` gives."""
    with pytest.raises(ProjectError) as caught:
        parse(source)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic


def at(loc: ir.Location | None) -> tuple[int, int]:
    assert loc is not None and loc.file == FILE
    return loc.line, loc.column


def keys(surface: ir.Surface) -> list[tuple[str, bool]]:
    return [(k.field, k.descending) for k in surface.sort]


# ---------------------------------------------------------------- sort:


def test_the_reference_example():
    module = parse("""\
        surface case_list "Cases":
          uses entity Case
          mode: list
          sort: -opened, subject          # default order (a leading - is descending)
          filter: state, severity, owner  # filters offered above the list
          section main "Open cases":
            field subject
        """)
    (surface,) = module.surfaces
    assert surface.sort == (ir.SortKey(field="opened", descending=True), ir.SortKey(field="subject"))
    assert surface.filters == (
        ir.ListFilter(field="state"),
        ir.ListFilter(field="severity"),
        ir.ListFilter(field="owner"),
    )
    # Each key and filter at its field's name (after the `-`); the lines at their first word.
    assert [at(k.loc) for k in surface.sort] == [(4, 10), (4, 18)]
    assert [at(f.loc) for f in surface.filters] == [(5, 11), (5, 18), (5, 28)]
    assert at(surface.where("sort")) == (4, 3) and at(surface.where("filter")) == (5, 3)
    assert [s.name for s in surface.sections] == ["main"] and surface.mode == "list"


def test_one_ascending_key():
    surface = surface_of("sort: subject")
    assert surface.sort == (ir.SortKey(field="subject", descending=False),)
    assert surface.filters == ()


def test_one_descending_key():
    surface = surface_of("sort: -opened")
    assert keys(surface) == [("opened", True)]
    assert at(surface.sort[0].loc) == (4, 10)


def test_several_keys_in_order_with_any_spacing():
    surface = surface_of("sort: a,-b , - c,d,   -e")
    assert keys(surface) == [("a", False), ("b", True), ("c", True), ("d", False), ("e", True)]
    assert [at(k.loc) for k in surface.sort] == [(4, 9), (4, 12), (4, 18), (4, 20), (4, 26)]


def test_a_field_named_twice_is_kept_for_the_validator():
    assert keys(surface_of("sort: a, -a")) == [("a", False), ("a", True)]
    assert [f.field for f in surface_of("filter: a, a").filters] == ["a", "a"]


def test_no_sort_or_filter_line():
    surface = surface_of()
    assert surface.sort == () and surface.filters == ()
    assert "sort" not in surface.locs and "filter" not in surface.locs


def test_sort_and_filter_lines_in_any_order_among_the_lines():
    (surface,) = parse("""\
        surface s:
          filter: state
          section main:
            field a
          sort: -a
          uses entity Case
          permit: signed_in
          mode: list
        """).surfaces
    assert keys(surface) == [("a", True)] and [f.field for f in surface.filters] == ["state"]
    assert surface.entity == "Case" and surface.permit == ir.Condition(kind="signed_in")


def test_the_lines_parse_on_any_mode_the_validator_judges_it():
    (surface,) = parse("surface s:\n  mode: view\n  sort: a\n  filter: b\n").surfaces
    assert surface.mode == "view" and keys(surface) == [("a", False)]


# ---------------------------------------------------------------- filter:


def test_one_filter():
    surface = surface_of("filter: state")
    assert surface.filters == (ir.ListFilter(field="state"),)
    assert at(surface.filters[0].loc) == (4, 11)


def test_several_filters():
    surface = surface_of("filter: state,severity ,  owner")
    assert [f.field for f in surface.filters] == ["state", "severity", "owner"]
    assert [at(f.loc) for f in surface.filters] == [(4, 11), (4, 17), (4, 29)]


# ---------------------------------------------------------------- second lines


@pytest.mark.parametrize("word", ["sort", "filter"])
def test_second_line_is_an_error(word):
    problem = error(f"surface s:\n  mode: list\n  {word}: a\n  section m:\n    field a\n  {word}: b\n")
    assert problem.message == f"second `{word}:` line in surface `s`"
    assert at(problem.loc) == (6, 3)
    assert problem.hint == f"keep one `{word}:` line"


# ---------------------------------------------------------------- the new words stay names


@pytest.mark.parametrize("name", ["sort", "filter"])
def test_new_words_as_entity_field_names(name):
    (entity,) = parse(f"entity E:\n  {name}: int\n  a: str(10)\n  {name}x: bool\n").entities
    assert [f.name for f in entity.fields] == [name, "a", f"{name}x"]


@pytest.mark.parametrize("name", ["sort", "filter"])
def test_new_words_as_names_everywhere_in_a_surface(name):
    (surface,) = parse(f"""\
        surface {name}:
          uses entity {name}
          mode: list
          permit: {name} = current_user or role({name})
          sort: {name}, -{name}
          filter: {name}
          section {name} "S":
            field {name} "L" {name}={name}
          action {name}:
            on click -> surface {name}
        """).surfaces
    assert surface.name == name and surface.entity == name
    assert keys(surface) == [(name, False), (name, True)]
    assert [f.field for f in surface.filters] == [name]
    (section,) = surface.sections
    assert section.name == name and section.fields[0].name == name
    assert section.fields[0].options == ((name, ir.Value(kind="word", value=name)),)
    assert surface.actions[0].name == name and surface.actions[0].outcome.target == name


def test_a_section_called_filter_and_a_field_called_sort():
    (surface,) = parse("""\
        surface s:
          mode: list
          section filter:
            field sort
            field filter
          section sort:
            field x
        """).surfaces
    assert [s.name for s in surface.sections] == ["filter", "sort"]
    assert [f.name for f in surface.fields] == ["sort", "filter", "x"]
    assert surface.sort == () and surface.filters == ()


@pytest.mark.parametrize("name", ["sort", "filter"])
def test_new_words_as_role_step_and_other_names(name):
    module = parse(f"""\
        app {name}:
          roles: {name} "T", x
        experience {name}:
          start at step {name}
          step {name}:
            kind: surface
            surface {name}
            on success -> step {name}
        entity E:
          k: enum[{name}, b] = {name}
          permit:
            list: role({name}) or {name} = current_user
        """)
    assert module.app.name == name and module.app.roles[0].name == name
    assert module.experiences[0].start == name and module.experiences[0].steps[0].surface == name
    (entity,) = module.entities
    assert entity.fields[0].type.enum_values == (name, "b")
    assert entity.fields[0].default == ir.Value(kind="word", value=name)


@pytest.mark.parametrize("word", ["list", "view", "mode", "entity", "section", "true", "permit", "role"])
def test_keywords_as_sort_and_filter_fields(word):
    surface = surface_of(f"sort: {word}, -{word}", f"filter: {word}")
    assert keys(surface) == [(word, False), (word, True)]
    assert [f.field for f in surface.filters] == [word]


# ---------------------------------------------------------------- `-` in the lexer


def test_negative_numbers_stay_numbers():
    module = parse("""\
        entity E:
          a: int = -5
          b: decimal(10,2) default=-0.25
        surface s:
          mode: list
          sort: -a
          section m:
            field a x=-3
        """)
    a, b = module.entities[0].fields
    assert a.default == ir.Value(kind="int", value=-5)
    assert b.default == ir.Value(kind="number", value="-0.25")
    (surface,) = module.surfaces
    assert keys(surface) == [("a", True)]
    assert surface.fields[0].options == (("x", ir.Value(kind="int", value=-3)),)


def test_a_lone_minus_is_not_a_value():
    # `-` is a symbol only before a name in a `sort:` line; elsewhere it is a syntax error.
    problem = error("entity E:\n  a: int = - 5\n")
    assert problem.message.endswith("found `-`") and at(problem.loc) == (2, 12)


def test_arrows_are_not_broken_by_the_minus():
    module = parse("""\
        surface s:
          mode: custom
          action go:
            on click -> surface t
        integration i:
          uses service svc
          action a:
            when surface s submitted
            call svc.op with:
              x <- -4
          sync n:
            mode: event_driven
            from svc.op as F
            into entity E
            match on:
              a <-> b
        """)
    assert module.surfaces[0].actions[0].outcome.target == "t"
    (integration,) = module.integrations
    (mapping,) = integration.actions[0].params
    assert mapping.target == "x" and mapping.source.literal == ir.Value(kind="int", value=-4)
    assert integration.syncs[0].match[0].entity_field == "b"


# ---------------------------------------------------------------- syntax errors


SORT_KEY = "a field to sort by (`<field>`, or `-<field>` for descending order)"


@pytest.mark.parametrize(
    "line, message, column",
    [
        ("sort:", f"expected {SORT_KEY}, found the end of the line", 8),
        ("sort: a,", f"expected {SORT_KEY}, found the end of the line", 11),
        ("sort: -5", f"expected {SORT_KEY}, found the number `-5`", 9),
        ('sort: "a"', f'expected {SORT_KEY}, found the string "a"', 9),
        ("sort: -", "expected a name, found the end of the line", 10),
        ("sort: --a", "expected a name, found `-`", 10),
        ("sort: a b", "expected `,` or the end of the line, found `b`", 11),
        ("sort: a.b", "expected `,` or the end of the line, found `.`", 10),
        ("sort a", "expected `:`, found `a`", 8),
        ("filter:", "expected a name, found the end of the line", 10),
        ("filter: -a", "expected a name, found `-`", 11),
        ("filter: a, 3", "expected a name, found the number `3`", 14),
    ],
)
def test_syntax_errors(line, message, column):
    problem = error(f"surface s:\n  mode: list\n  {line}\n")
    assert (problem.message, at(problem.loc)) == (message, (3, column))


def test_misspelt_sort_suggests_it():
    problem = error("surface s:\n  mode: list\n  sotr: a\n")
    assert "`filter`" in problem.message and "`sort`" in problem.message
    assert problem.hint == "did you mean `sort`?"
    assert error("surface s:\n  mode: list\n  filtr: a\n").hint == "did you mean `filter`?"
