"""The error corpus: small bad projects, each run through the whole front end
(``load_project``: config, parser, linker, validator), asserting every error's message and its
exact file, line and column.

A case is ``files`` (path → text or bytes; ``dazzle.toml`` defaults to a minimal one) and the
expected errors as ``(file, line, column, message part)``; ``line``/``column`` are None for
errors that belong to no line. The list of errors must match exactly, in order.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dazzle.ir.diagnostics import ProjectError
from dazzle.semantics.frontend import load_project

TOML = '[project]\nname = "t"\n'
APP = "dsl/app.dsl"


def dsl(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


CASES: dict[str, tuple[dict[str, str | bytes], list[tuple]]] = {
    # ---------------------------------------------------------------- syntax, through the parser
    "tab in indentation": (
        {APP: "app t\nentity A:\n\tx: int\n"},
        [(APP, 3, 1, "tab in indentation")],
    ),
    "unterminated string": (
        {APP: 'app t "Todo\nentity A:\n  x: int\n'},
        [(APP, 1, 7, "unterminated string")],
    ),
    "not UTF-8": (
        {APP: b'app t\nentity A:\n  x: str(5) default="caf\xe9"\n'},
        [(APP, 3, None, "not valid UTF-8")],
    ),
    "missing colon after entity name": (
        {APP: "app t\n\nentity A\n  x: int\n"},
        [(APP, 3, 9, "expected `:`")],
    ),
    "syntax errors of several files in one run": (
        {"dsl/a.dsl": "app t\nentity A\n", "dsl/b.dsl": "entity B:\n\tx: int\n"},
        [("dsl/a.dsl", 2, 9, "expected `:`"), ("dsl/b.dsl", 2, 1, "tab in indentation")],
    ),
    # ---------------------------------------------------------------- the project
    "empty project": ({}, [("./dsl", None, None, "empty project: no .dsl files under `./dsl`")]),
    "missing app": ({APP: "entity A:\n  x: int\n"}, [(APP, None, None, "no `app` line in the project")]),
    "second app": (
        {"dsl/a.dsl": "app t\n", "dsl/b.dsl": "entity B:\n  x: int\n\napp u\n"},
        [("dsl/b.dsl", 4, 5, "a second `app` line: the project already has `app t` in dsl/a.dsl")],
    ),
    "app outside the root module": (
        {
            "dazzle.toml": '[project]\nname = "t"\nroot = "core"\n',
            "dsl/core.dsl": "entity A:\n  x: int\n",
            "dsl/other.dsl": "app t\n",
        },
        [("dsl/other.dsl", 1, 5, "`app` must be in the root module `core`")],
    ),
    "root module that does not exist": (
        {"dazzle.toml": '[project]\nname = "t"\nroot = "cor"\n', "dsl/core.dsl": "app t\n"},
        [
            (
                "dazzle.toml",
                3,
                1,
                "[project] root names module `cor`, which no .dsl file is; did you mean `core`?",
            )
        ],
    ),
    "unknown key in dazzle.toml": (
        {"dazzle.toml": '[project]\nname = "t"\n[build]\nouptut = "out"\n', APP: "app t\n"},
        [("dazzle.toml", 4, 1, "unknown key `ouptut` in [build] of dazzle.toml; did you mean `output`?")],
    ),
    "invalid TOML": (
        {"dazzle.toml": '[project]\nname = "t\n', APP: "app t\n"},
        [("dazzle.toml", 2, None, "invalid TOML")],
    ),
    "a NUL character in the output folder": (
        {"dazzle.toml": '[project]\nname = "t"\n[build]\noutput = "a\\u0000b"\n', APP: "app t\n"},
        [("dazzle.toml", 4, 1, "[build] output in dazzle.toml must not hold a NUL character")],
    ),
    "the output folder inside the DSL folder": (
        {"dazzle.toml": '[project]\nname = "t"\n[build]\noutput = "dsl/out"\n', APP: "app t\n"},
        [("dazzle.toml", 4, 1, "is inside the DSL folder `./dsl`: generated files would be read as spec")],
    ),
    "the project folder as the output folder": (
        {"dazzle.toml": '[project]\nname = "t"\n[build]\noutput = "."\n', APP: "app t\n"},
        [("dazzle.toml", 4, 1, "holds the DSL folder `./dsl`: cleaning the output could delete the spec")],
    ),
    "a file as the output folder": (
        {"dazzle.toml": '[project]\nname = "t"\n[build]\noutput = "x"\n', APP: "app t\n", "x": ""},
        [("dazzle.toml", 4, 1, "is a file, not a folder")],
    ),
    "missing modules folder": (
        {"dazzle.toml": '[project]\nname = "t"\n[modules]\npaths = ["spec"]\n', APP: "app t\n"},
        [("dazzle.toml", 4, 1, "the modules folder `spec` ([modules] paths in dazzle.toml) does not exist")],
    ),
    # ---------------------------------------------------------------- modules and names
    "use cycle": (
        {
            "dsl/a.dsl": "module a\nuse b\napp t\n",
            "dsl/b.dsl": "module b\nuse c\n",
            "dsl/c.dsl": "module c\n\nuse a\n",
        },
        [("dsl/a.dsl", 2, 5, "cycle of `use` lines: a -> b -> c -> a")],
    ),
    "unknown module in use": (
        {APP: "use peple\napp t\n", "dsl/people.dsl": "entity Agent:\n  x: int\n"},
        [(APP, 1, 5, "unknown module `peple` in `use`; did you mean `people`?")],
    ),
    "name from a module that is not used": (
        {
            APP: "app t\n\nentity Case:\n  owner: ref Agent\n",
            "dsl/people.dsl": "entity Agent:\n  x: int\n",
        },
        [
            (
                APP,
                4,
                14,
                (
                    "entity `Agent` is defined in module `people` (dsl/people.dsl), which module `app` does "
                    "not use; add `use people`"
                ),
            )
        ],
    ),
    "aliased module named without its alias": (
        {
            APP: "use people as p\napp t\n\nentity Case:\n  owner: ref Agent\n",
            "dsl/people.dsl": "entity Agent:\n  x: int\n",
        },
        [(APP, 5, 14, "which this module uses as `p`: write `p.Agent`")],
    ),
    "misspelt ref": (
        {APP: "app t\n\nentity Customer:\n  x: int\n\nentity Case:\n  customer: ref Custmer required\n"},
        [(APP, 7, 17, "unknown entity `Custmer` in ref; did you mean `Customer`?")],
    ),
    "duplicate module names": (
        {"dsl/a.dsl": "module shared\napp t\n", "dsl/b.dsl": "module shared\n"},
        [("dsl/b.dsl", 1, 8, "dsl/b.dsl declares module `shared`, which dsl/a.dsl already is")],
    ),
    "duplicate entity across files": (
        {"dsl/a.dsl": "app t\nentity A:\n  x: int\n", "dsl/b.dsl": "\nentity A:\n  y: int\n"},
        [("dsl/b.dsl", 2, 8, "entity `A` is defined twice (first at dsl/a.dsl:2)")],
    ),
    # ---------------------------------------------------------------- entities
    "duplicate field": (
        {APP: "app t\nentity A:\n  x: int\n  y: int\n  x: text\n"},
        [(APP, 5, 3, "field `x` is defined twice in entity `A` (first at line 3)")],
    ),
    "two pk fields": (
        {APP: "app t\nentity A:\n  a: int pk\n  b: uuid pk\n"},
        [(APP, 4, 11, "entity `A` has more than one `pk` field (`a` and `b`)")],
    ),
    "pk on a bool": (
        {APP: "app t\nentity A:\n  a: bool pk\n"},
        [(APP, 3, 11, "`pk` is allowed on uuid, int and str(N)")],
    ),
    "required and optional": (
        {APP: "app t\nentity A:\n  a: int required optional\n"},
        [(APP, 3, 19, "field `a` is both `required` and `optional`")],
    ),
    "unique and unique?": (
        {APP: "app t\nentity A:\n  a: int unique? unique\n"},
        [(APP, 3, 18, "field `a` is both `unique` and `unique?`")],
    ),
    "auto_add on an int": (
        {APP: "app t\nentity A:\n  a: int auto_add\n"},
        [(APP, 3, 10, "`auto_add` works only on date, datetime and user fields, not on `a` (int)")],
    ),
    "auto_update with a default": (
        {APP: "app t\nentity A:\n  a: datetime auto_update default=1\n"},
        [(APP, 3, 35, "field `a` has both `auto_update` and a default")],
    ),
    "enum default not in the enum": (
        {APP: "app t\nentity A:\n  state: enum[open,done]=opne\n"},
        [(APP, 3, 26, "default `opne` is not one of the enum's values (open, done); did you mean `open`?")],
    ),
    "int default that is a string": (
        {APP: 'app t\nentity A:\n  n: int default="many"\n'},
        [(APP, 3, 18, "the default of an int field must be a whole number")],
    ),
    "date default": (
        {APP: "app t\nentity A:\n  d: date default=today\n"},
        [(APP, 3, 19, "date fields take no default; use `auto_add` or `auto_update`")],
    ),
    "str(0)": ({APP: "app t\nentity A:\n  s: str(0)\n"}, [(APP, 3, 6, "str(N) needs N ≥ 1")]),
    "decimal with more places than digits": (
        {APP: "app t\nentity A:\n  d: decimal(2,5)\n"},
        [(APP, 3, 6, "decimal(2,5) has more decimal places than digits")],
    ),
    "was naming another field": (
        {APP: "app t\nentity A:\n  title: text\n  name: text was title\n"},
        [(APP, 4, 18, "field `name` says it `was title`, but `title` is another field of entity `A`")],
    ),
    "composite unique over an unknown field": (
        {APP: "app t\nentity A:\n  a: int\n  b: int\n  unique a, bb\n"},
        [(APP, 5, 13, "unknown field `bb` in `unique` of entity `A`; did you mean `b`?")],
    ),
    "entity named after a Python keyword": (
        {APP: "app t\nentity class:\n  a: int\n"},
        [(APP, 2, 8, "entity name `class` is a Python keyword")],
    ),
    # ---------------------------------------------------------------- surfaces
    "surface of an unknown entity": (
        {APP: "app t\nentity Item:\n  a: int\nsurface s:\n  uses entity Iten\n  mode: list\n"},
        [(APP, 5, 15, "unknown entity `Iten` in `uses entity`; did you mean `Item`?")],
    ),
    "list surface without uses entity": (
        {APP: "app t\nsurface s:\n  mode: list\n  section main:\n    field a\n"},
        [(APP, 2, 9, "surface `s` (mode: list) needs `uses entity <Entity>`")],
    ),
    "surface field not on the entity": (
        {
            APP: dsl("""
            app t
            entity Item:
              title: str(20)
            surface items:
              uses entity Item
              mode: list
              section main:
                field titel "Title"
            """)
        },
        [(APP, 8, 11, "entity `Item` has no field `titel` (surface `items`); did you mean `title`?")],
    ),
    "two list surfaces of one entity": (
        {
            APP: dsl("""
            app t
            entity Item:
              title: str(20)
            surface a:
              uses entity Item
              mode: list
            surface b:
              mode: list
              uses entity Item
            """)
        },
        [(APP, 8, 9, "entity `Item` already has a list surface (`a`)")],
    ),
    "outcome to an unknown surface": (
        {
            APP: dsl("""
            app t
            entity Item:
              title: str(20)
            surface items:
              uses entity Item
              mode: list
              action go:
                on click -> surface itmes
            """)
        },
        [(APP, 8, 25, "unknown surface `itmes` in `surface` outcome; did you mean `items`?")],
    ),
    # ---------------------------------------------------------------- experiences
    "experience start and transitions": (
        {
            APP: dsl("""
            app t
            experience flow:
              start at step frist
              step first:
                kind: process
                on success -> step secnd
              step second:
                kind: surface
            """)
        },
        [
            (APP, 3, 17, "unknown step `frist` in `start at`; did you mean `first`?"),
            (APP, 6, 24, "unknown step `secnd` in `on success` of step `first`; did you mean `second`?"),
            (APP, 8, 11, "step `second` (kind: surface) needs a `surface <name>` line"),
        ],
    ),
    # ---------------------------------------------------------------- services and integrations
    "foreign model of an unknown service": (
        {APP: "app t\nforeign_model Rec from vat:\n  key: id\n  field id: int\n"},
        [(APP, 2, 24, "unknown service `vat`")],
    ),
    "integration mistakes": (
        {
            APP: dsl("""
            app t
            entity Client:
              vat: str(14)
              name: str(100)
            surface client_edit:
              uses entity Client
              mode: edit
              section main:
                field vat
            service vat_api:
              spec: url "https://vat.example.org/openapi.json"
              auth_profile: none
            foreign_model Rec from vat_api:
              key: vrn
              field vrn: str(14)
              field trading_name: str(100)
            integration lookup:
              uses foreign_model Rec
              action check:
                when surface client_edit submitted
                call vat_api.get with:
                  vrn <- form.vta
                  who <- current_user.name
                  bad <- foreign.vrn
                map response Rec -> entity Client:
                  nmae <- foreign.trading_name
                  vat <- frm.vat
              sync nightly:
                mode: scheduled
                from vat_api.list as Rec
                into entity Client
                match on:
                  vrn <-> vta
            """)
        },
        [
            (APP, 21, 10, "service `vat_api` is not listed in `uses service` of integration `lookup`"),
            (APP, 22, 14, "surface `client_edit` has no field `vta`; did you mean `vat`?"),
            (APP, 23, 14, "the signed-in user has only `current_user.id`, `.username` and `.email`"),
            (APP, 24, 14, "`foreign` (the response record) exists only inside `map response`"),
            (APP, 26, 7, "entity `Client` has no field `nmae`; did you mean `name`?"),
            (APP, 27, 14, "an expression starts with form, entity, current_user or foreign, not `frm`"),
            (APP, 29, 11, "sync `nightly` has `mode: scheduled` but no `schedule"),
            (APP, 30, 10, "service `vat_api` is not listed in `uses service`"),
            (APP, 33, 15, "entity `Client` has no field `vta`; did you mean `vat`?"),
        ],
    ),
    "bad cron schedule": (
        {
            APP: dsl("""
            app t
            entity P:
              ref_id: str(10)
            service bank:
              spec: inline "bank"
              auth_profile: none
            foreign_model BP from bank:
              key: ref_id
              field ref_id: str(10)
            integration imp:
              uses service bank
              uses foreign_model BP
              sync nightly:
                mode: scheduled
                schedule: "99 1 * *"
                from bank.list as BP
                into entity P
                match on:
                  ref_id <-> ref_id
            """)
        },
        [(APP, 15, 15, "a cron schedule has 5 fields")],
    ),
    # ---------------------------------------------------------------- access control (0.2)
    "unknown role": (
        {
            APP: dsl("""
            app desk:
              roles: agent, manager
            entity Ticket:
              owner: user auto_add
              permit:
                update: role(manger) or owner = current_user
            """)
        },
        [
            (
                APP,
                6,
                18,
                "unknown role `manger` in the `update` rule of entity `Ticket`; did you mean `manager`?",
            )
        ],
    ),
    "role of an app without roles": (
        {APP: "app desk\nentity T:\n  a: int\n  permit:\n    read: role(agent)\n"},
        [(APP, 5, 16, "unknown role `agent` in the `read` rule of entity `T`: the app declares no roles")],
    ),
    "role listed twice": (
        {APP: "app desk:\n  roles: agent, manager, agent\n"},
        [(APP, 2, 26, "role `agent` is defined twice in the app's `roles`")],
    ),
    "field condition on a field that is not a user field": (
        {
            APP: dsl("""
            app desk
            entity Ticket:
              title: str(200)
              permit:
                read: title = current_user
            """)
        },
        [
            (
                APP,
                5,
                11,
                "`title` is a str(200) field; only a `user` field can be compared with current_user",
            )
        ],
    ),
    "field condition on an unknown field, in a surface": (
        {
            APP: dsl("""
            app desk
            entity Ticket:
              owner: user
            surface ticket_list:
              uses entity Ticket
              mode: list
              permit: signed_in and ownr = current_user
            """)
        },
        [
            (
                APP,
                7,
                25,
                "unknown field `ownr` in the `permit` line of surface `ticket_list` (entity `Ticket`)",
            )
        ],
    ),
    "field condition on a surface without entity": (
        {APP: "app desk\nsurface contact:\n  mode: custom\n  permit: owner = current_user\n"},
        [(APP, 4, 11, "surface `contact` uses no entity: `owner = current_user` in its `permit` line")],
    ),
    "operation named twice in a permit block": (
        {
            APP: "app desk\nentity T:\n  a: int\n  permit:\n    read: anyone\n    list: anyone\n    read: nobody\n"
        },
        [
            (
                APP,
                7,
                5,
                "operation `read` is given twice in the `permit` block of entity `T` (first at line 5)",
            )
        ],
    ),
    "empty permit block": (
        {APP: "app desk\nentity T:\n  a: int\n  permit:\n\nentity U:\n  b: int\n"},
        [(APP, 6, 1, "a block must not be empty")],
    ),
    "default on a user field": (
        {APP: "app desk\nentity T:\n  owner: user default=admin\n"},
        [(APP, 3, 23, "user fields take no default")],
    ),
    "pk on a user field": (
        {APP: "app desk\nentity T:\n  owner: user pk\n"},
        [(APP, 3, 15, "`pk` is allowed on uuid, int and str(N) fields, not on user")],
    ),
    # ---------------------------------------------------------------- lists: sort and filter (0.2)
    "sort on a view surface": (
        {APP: "app t\nentity A:\n  x: int\nsurface a_view:\n  uses entity A\n  mode: view\n  sort: -x\n"},
        [(APP, 7, 3, "`sort:` is a line of list surfaces; surface `a_view` has mode view")],
    ),
    "second filter line": (
        {APP: "app t\nsurface a_list:\n  mode: list\n  filter: x\n  filter: y\n"},
        [(APP, 5, 3, "second `filter:` line in surface `a_list`")],
    ),
    "sort key that is not a field": (
        {
            APP: dsl("""
            app t
            entity Case:
              opened: datetime
            surface case_list:
              uses entity Case
              mode: list
              sort: -opend
            """)
        },
        [
            (
                APP,
                7,
                10,
                "entity `Case` has no field `opend` (the `sort:` line of surface `case_list`); "
                "did you mean `opened`?",
            )
        ],
    ),
    "filter on a text field, and a filter twice": (
        {
            APP: dsl("""
            app t
            entity Case:
              state: enum[open, closed]
              body: text
            surface case_list:
              uses entity Case
              mode: list
              filter: state, body, state
            """)
        },
        [
            (
                APP,
                8,
                18,
                "`body` is a text field; `filter:` takes enum, bool, ref, user, date and datetime fields "
                "(the `filter:` line of surface `case_list`)",
            ),
            (
                APP,
                8,
                24,
                "field `state` is given twice in the `filter:` line of surface `case_list` (first at column 11)",
            ),
        ],
    ),
    "sort key that is a number": (
        {APP: "app t\nsurface a_list:\n  mode: list\n  sort: -1\n"},
        [(APP, 4, 9, "expected a field to sort by (`<field>`, or `-<field>` for descending order)")],
    ),
    # ---------------------------------------------------------------- many errors in one run
    "several errors in several files, sorted by file and line": (
        {
            "dsl/a.dsl": dsl("""
                app t
                use b
                entity Order:
                  total: decimal(0,0)
                  customer: ref Custmer
                  state: enum[new,paid]=old
                """),
            "dsl/b.dsl": dsl("""
                entity Customer:
                  name: str(0)
                  name: text
                """),
        },
        [
            ("dsl/a.dsl", 4, 10, "decimal(P,S) needs P ≥ 1"),
            ("dsl/a.dsl", 5, 17, "unknown entity `Custmer` in ref; did you mean `Customer`?"),
            ("dsl/a.dsl", 6, 25, "default `old` is not one of the enum's values"),
            ("dsl/b.dsl", 2, 9, "str(N) needs N ≥ 1"),
            ("dsl/b.dsl", 3, 3, "field `name` is defined twice in entity `Customer`"),
        ],
    ),
}


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    files = {"dazzle.toml": TOML, **files}
    (root / "dsl").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 35


@pytest.mark.parametrize("name", list(CASES))
def test_bad_project(name, tmp_path):
    files, expected = CASES[name]
    root = write_project(tmp_path, files)
    with pytest.raises(ProjectError) as caught:
        load_project(root)
    errors = caught.value.errors
    found = [
        (d.path, d.loc.line if d.loc else None, d.loc.column if d.loc else None, d.message) for d in errors
    ]
    assert len(found) == len(expected), "\n".join(map(str, found))
    for (file, line, column, message), want in zip(found, expected):
        want_file, want_line, want_column, want_text = want
        assert (file, line) == (want_file, want_line), (found, want)
        if want_column is not None:
            assert column == want_column, (found, want)
        assert want_text in message, (message, want_text)
    rendered = caught.value.render()
    assert "Traceback" not in rendered
    assert rendered.endswith(f"{len(expected)} error" + ("s" if len(expected) != 1 else ""))
