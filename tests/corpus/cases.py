"""The odd-spec corpus: small projects a new user might write, each with the outcome it must
have — ``builds`` (``dazzle check`` accepts it, ``dazzle build`` succeeds, and the generated app
passes ``manage.py check``, ``makemigrations --check`` and its own tests) or ``rejected`` (``dazzle
check`` and ``dazzle build`` fail with an error at ``where``, ``file:line:column``, and no
traceback).

Each class of problem found in the wild has cases here (issue #13): empty imports in generated
tests, names that collide after slugging or pluralising, app names that shadow modules or
Django apps, reserved field names, reverse-name and class-name clashes, odd DSL file names,
Django's length limits, numbers beyond the database's range, test values that do not fit,
required cycles, bad ``dazzle.toml`` values.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

TOML = '[project]\nname = "corpus"\n'
APP = "dsl/app.dsl"


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes]
    expect: str = "builds"  # or "rejected", or "either" (both are right: rejected at ``where``, or built)
    where: str | None = None  # rejected: "file:line:column" (a prefix of it) of the first error
    message: str | None = None  # rejected: a part of the message
    warns: str | None = None  # builds: a part of a warning `dazzle check` must print
    toml: str = TOML
    tags: tuple[str, ...] = field(default=())


def dsl(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def crud(
    entity: str, fields: list[str], modes: str = "list view create edit", prefix: str | None = None
) -> str:
    """Surfaces of ``modes`` for ``entity`` showing ``fields``."""
    stem = prefix or entity.lower()
    out = []
    for mode in modes.split():
        lines = "".join(f"    field {f}\n" for f in fields)
        out.append(
            f"surface {stem}_{mode}:\n  uses entity {entity}\n  mode: {mode}\n  section main:\n{lines}"
        )
    return "\n".join(out)


def one(text: str, expect: str = "builds", **kw) -> dict:
    return {"files": {APP: dsl(text)}, "expect": expect, **kw}


CASES: list[Case] = []


def case(name: str, files: dict | str, expect: str = "builds", **kw) -> None:
    if isinstance(files, str):
        files = {APP: files}
    CASES.append(Case(name=name, files=files, expect=expect, **kw))


# ---------------------------------------------------------------- which pages an entity has

ITEM = "entity Item:\n  name: str(40) required\n  notes: text\n\n"

case("only a list surface", "app t\n" + ITEM + crud("Item", ["name"], "list"))
case("only a create surface", "app t\n" + ITEM + crud("Item", ["name", "notes"], "create"))
case("only a view surface", "app t\n" + ITEM + crud("Item", ["name"], "view"))
case("only an edit surface", "app t\n" + ITEM + crud("Item", ["name"], "edit"))
case("list and view", "app t\n" + ITEM + crud("Item", ["name"], "list view"))
case("no surfaces at all", "app t\n" + ITEM)
case(
    "a module whose tests need nothing from the app",
    {
        "dsl/app.dsl": "app t\n" + ITEM + crud("Item", ["name", "notes"]),
        "dsl/other.dsl": "entity Note:\n  body: text\n\n" + crud("Note", ["body"], "list"),
    },
)
case(
    "a custom surface only",
    dsl(
        """
        app t
        surface contact "Contact us":
          mode: custom
          section main:
            field subject "Subject"
            field body
        """
    ),
)
case(
    "a surface without sections",
    "app t\n"
    + ITEM
    + "surface item_list:\n  uses entity Item\n  mode: list\n\nsurface item_view:\n  uses entity Item\n  mode: view\n",
)

# ---------------------------------------------------------------- entity names that collide

case(
    "ItemA and Item_A",
    "app t\n"
    + "entity ItemA:\n  name: str(20) required\n\nentity Item_A:\n  name: str(20) required\n\n"
    + crud("ItemA", ["name"], prefix="a")
    + "\n"
    + crud("Item_A", ["name"], prefix="b"),
)
case(
    "Bus and Buse pluralise alike",
    "app t\n"
    + "entity Bus:\n  name: str(20) required\n\nentity Buse:\n  name: str(20) required\n\n"
    + crud("Bus", ["name"], prefix="bus")
    + "\n"
    + crud("Buse", ["name"], prefix="buse"),
)
case(
    "Category and Categorie",
    "app t\n"
    + "entity Category:\n  name: str(20) required\n\nentity Categorie:\n  name: str(20) required\n\n"
    + crud("Category", ["name"], "list view", prefix="c1")
    + "\n"
    + crud("Categorie", ["name"], "list view", prefix="c2"),
)
case(
    "HTTPLog and HttpLog and Http_Log",
    "app t\n"
    + "entity HTTPLog:\n  name: str(20) required\n\nentity Http_Log:\n  name: str(20) required\n\n"
    + crud("HTTPLog", ["name"], prefix="h1")
    + "\n"
    + crud("Http_Log", ["name"], prefix="h2"),
)
case(
    "entities named like URL names of other things",
    dsl(
        """
        app t
        entity Flow:
          name: str(20) required
        entity Surface:
          name: str(20) required
        entity Webhook:
          name: str(20) required
        surface list:
          mode: custom
          section main:
            field q
        experience list:
          start at step one
          step one:
            kind: surface
            surface list
        """
    )
    + crud("Flow", ["name"], prefix="f")
    + "\n"
    + crud("Surface", ["name"], prefix="s")
    + "\n"
    + crud("Webhook", ["name"], prefix="w"),
)
case(
    "entities differing only in case",
    "app t\nentity Item:\n  name: str(20) required\n\nentity ITEM:\n  name: str(20) required\n\n"
    + crud("Item", ["name"], prefix="i1")
    + "\n"
    + crud("ITEM", ["name"], prefix="i2"),
)
case(
    "entities named like Python built-ins",
    "app t\n"
    + "".join(
        f"entity {n}:\n  name: str(20) required\n\n"
        for n in ("Exception", "object", "List", "property", "super")
    )
    + "\n".join(
        crud(n, ["name"], prefix=f"p{i}")
        for i, n in enumerate(("Exception", "object", "List", "property", "super"))
    ),
)
case(
    "an entity named like a Python keyword",
    "app t\nentity class:\n  name: str(20)\n",
    "rejected",
    where="dsl/app.dsl:2:8",
)
case(
    "entities named like Django's and the stdlib's things",
    "app t\n"
    + "".join(
        f"entity {n}:\n  name: str(20) required\n\n"
        for n in (
            "User",
            "Group",
            "Permission",
            "Session",
            "ContentType",
            "LogEntry",
            "Model",
            "Decimal",
            "Q",
            "Meta",
        )
    )
    + "\n".join(
        crud(n, ["name"], prefix=f"d{i}")
        for i, n in enumerate(
            (
                "User",
                "Group",
                "Permission",
                "Session",
                "ContentType",
                "LogEntry",
                "Model",
                "Decimal",
                "Q",
                "Meta",
            )
        )
    ),
)
case(
    "entities named like template context variables",
    "app t\n"
    + "".join(
        f"entity {n}:\n  name: str(20) required\n\n"
        for n in (
            "Request",
            "Form",
            "View",
            "Messages",
            "Perms",
            "Paginator",
            "PageObj",
            "Object",
            "CsrfToken",
        )
    )
    + "\n".join(
        crud(n, ["name"], prefix=f"c{i}")
        for i, n in enumerate(
            ("Request", "Form", "View", "Messages", "Perms", "Paginator", "PageObj", "Object", "CsrfToken")
        )
    ),
)
case(
    "entities named like modules models.py imports",
    "app t\n"
    + "".join(f"entity {n}:\n  name: str(20) required\n\n" for n in ("models", "decimal", "uuid"))
    + "\n".join(crud(n, ["name"], prefix=f"m{i}") for i, n in enumerate(("models", "decimal", "uuid"))),
)
case(
    "entities named like generated classes",
    "app t\n"
    + "".join(
        f"entity {n}:\n  name: str(20) required\n  state: enum[a,b]\n\n"
        for n in (
            "Item",
            "ItemCreateForm",
            "ItemListView",
            "ItemAdmin",
            "ItemState",
            "ItemPagesTests",
            "HomeView",
            "SearchableListMixin",
        )
    )
    + "\n".join(
        crud(n, ["name", "state"], prefix=f"g{i}")
        for i, n in enumerate(
            (
                "Item",
                "ItemCreateForm",
                "ItemListView",
                "ItemAdmin",
                "ItemState",
                "ItemPagesTests",
                "HomeView",
                "SearchableListMixin",
            )
        )
    ),
)
case(
    "underscores at the ends of entity names",
    "app t\nentity _Hidden:\n  name: str(20) required\n\nentity Big__Thing:\n  name: str(20) required\n\nentity Trail_:\n  name: str(20) required\n\n"
    + crud("_Hidden", ["name"], prefix="h")
    + "\n"
    + crud("Big__Thing", ["name"], prefix="b")
    + "\n"
    + crud("Trail_", ["name"], prefix="t"),
)
case(
    "an entity name of 120 characters",
    "app t\nentity "
    + "A"
    + "b" * 119
    + ":\n  name: str(20) required\n\n"
    + crud("A" + "b" * 119, ["name"], prefix="long"),
)

# ---------------------------------------------------------------- app names

for app_name in (
    "pathlib",
    "sqlite3",
    "asgiref",
    "sessions",
    "messages",
    "contenttypes",
    "auth",
    "admin",
    "staticfiles",
    "django",
    "config",
    "whitenoise",
    "sqlparse",
    "tests",
    "site",
    "unittest",
    "Typing",
    "_private",
    "a" * 120,
    "app",
    "manage",
    "psycopg",
    "gunicorn",
    "tzdata",
    "dj_database_url",
    "sys",
    "argparse",
    "ssl",
    "socket",
    "encodings",
    "zoneinfo",
    "time",
    "r",
    "login",
    "jsi18n",
    "autocomplete",
    "yaml",
    "tblib",
    "jinja2",
    "pydantic",
    "hypothesis",
    "PIL",
    "argon2",
    "docutils",
    "redis",
):
    case(
        f"app named {app_name[:20]}",
        f"app {app_name}\n" + ITEM + crud("Item", ["name", "notes"]),
        tags=("app",),
    )

# ---------------------------------------------------------------- field names

RESERVED_FIELDS = (
    "self",
    "pk",
    "objects",
    "delete",
    "save",
    "Meta",
    "clean",
    "check",
    "id",
    "field",
    "fields",
    "model",
    "models",
    "forms",
    "form",
    "data",
    "record",
    "response",
    "request",
    "object",
    "kwargs",
    "args",
    "class",
    "def",
    "None",
    "type",
    "list",
    "str",
    "int",
    "datetime",
    "decimal",
    "uuid",
    "timezone",
    "reverse",
    "messages",
    "status",
    "mode",
    "key",
    "unique",
    "index",
    "text",
    "kind",
    "when",
    "owner",
    "full_clean",
    "serializable_value",
    "DoesNotExist",
    "get_absolute_url",
    "_state",
    "x__y",
    "trailing_",
    "user",
    "super",
    "print",
    "assert",
    "existing",
    "created",
    "url",
    "make_item",
    "SERIAL",
    "support",
)
case(
    "reserved and awkward field names",
    "app t\nentity Item:\n  label: str(30) required\n"
    + "".join(f"  {n}: str(30)\n" for n in RESERVED_FIELDS)
    + "\n"
    + crud("Item", ["label", *RESERVED_FIELDS]),
)
case(
    "a field named self, on an entity with a delete page",
    "app t\nentity Item:\n  self: str(30) required\n\n" + crud("Item", ["self"]),
)
case(
    "field after the first line named field",
    "app t\nentity Item:\n  name: str(30) required\n  field: str(30)\n  key: int\n  constraint: text\n\n"
    + crud("Item", ["name", "field", "key"]),
)
case(
    "a field named like the model class and like its choices class",
    "app t\nentity Item:\n  Item: str(30) required\n  ItemState: str(10)\n  state: enum[a,b]\n  item: int\n\n"
    + crud("Item", ["Item", "ItemState", "state", "item"]),
)
case(
    "fields shadowing Django's generated methods",
    "app t\nentity Item:\n  state: enum[a,b]\n  get_state_display: str(10)\n  due: date required\n  get_next_by_due: str(10)\n  get_previous_by_due: str(10)\n  parent: ref Item\n  parent_id: int\n\n"
    + crud("Item", ["state", "get_state_display", "due", "get_next_by_due", "parent", "parent_id"]),
)
case(
    "reverse names that clash",
    dsl(
        """
        app t
        entity Item:
          name: str(20) required
          child: ref Child
        entity ItemChild:
          name: str(20) required
        entity Child:
          name: str(20) required
          item_child_set: str(20)
        entity ItemChildX:
          x: ref Child
        entity Item2:
          child_x: ref Child
        """
    )
    + crud("Item", ["name", "child"], prefix="i")
    + "\n"
    + crud("Child", ["name", "item_child_set"], prefix="c"),
)
case(
    "two refs to one target and a ref named like the reverse of another",
    dsl(
        """
        app t
        entity Person:
          name: str(20) required
        entity Task:
          title: str(40) required
          owner: ref Person required
          reviewer: ref Person
          person: ref Person
        """
    )
    + crud("Person", ["name"], prefix="p")
    + "\n"
    + crud("Task", ["title", "owner", "reviewer", "person"], prefix="t"),
)

# ---------------------------------------------------------------- enums

case(
    "enum values that are keywords, duplicates after upper-casing, empty after slugging",
    dsl(
        """
        app t
        entity Item:
          name: str(20) required
          a: enum[class, None, True, def, label, value, name, choices, do_not_call_in_templates]
          b: enum[x, X, "x ", "-x-"]
          c: enum["!!!", "???", "a b", "café", "1st", "_private", "__dunder__"]
          d: enum[mode, status]=status
        """
    )
    + crud("Item", ["name", "a", "b", "c", "d"]),
)
case("an empty enum value", 'app t\nentity Item:\n  s: enum["", a]\n\n' + crud("Item", ["s"]))
case("an enum of one value", "app t\nentity Item:\n  s: enum[only] required\n\n" + crud("Item", ["s"]))
case(
    "choices classes that collide",
    dsl(
        """
        app t
        entity Case:
          state_x: enum[a,b]
        entity CaseState:
          x: enum[c,d]
        entity CaseStateX:
          name: str(10)
        """
    )
    + crud("Case", ["state_x"], prefix="c1")
    + "\n"
    + crud("CaseState", ["x"], prefix="c2")
    + "\n"
    + crud("CaseStateX", ["name"], prefix="c3"),
)
case(
    "a long enum value and unicode labels",
    'app t\nentity Item:\n  s: enum["'
    + "v" * 300
    + '", "日本語", "emoji 🎉"] required\n\n'
    + crud("Item", ["s"]),
)

# ---------------------------------------------------------------- DSL file and module names

case("a DSL file named a-b.dsl", {"dsl/a-b.dsl": "app t\n" + ITEM + crud("Item", ["name"])})
case("a DSL file named my file.dsl", {"dsl/my file.dsl": "app t\n" + ITEM + crud("Item", ["name"])})
case("a DSL file named 1st.dsl", {"dsl/1st.dsl": "app t\n" + ITEM + crud("Item", ["name"])})
case("a DSL file named café.dsl", {"dsl/café.dsl": "app t\n" + ITEM + crud("Item", ["name"])})
case("a DSL file named class.dsl", {"dsl/class.dsl": "app t\n" + ITEM + crud("Item", ["name"])})
case(
    "DSL files in odd folders",
    {
        "dsl/app.dsl": "app t\n" + ITEM + crud("Item", ["name"]),
        "dsl/sub dir/x-y.dsl": "entity Other:\n  name: str(10)\n\n" + crud("Other", ["name"]),
        "dsl/sub-dir/site.dsl": "entity Third:\n  name: str(10)\n\n" + crud("Third", ["name"]),
    },
)
case(
    "modules named site, support and tests",
    {
        "dsl/app.dsl": "app t\n" + ITEM + crud("Item", ["name"]),
        "dsl/site.dsl": "entity A:\n  name: str(10)\n\n" + crud("A", ["name"]),
        "dsl/support.dsl": "entity B:\n  name: str(10)\n\n" + crud("B", ["name"]),
        "dsl/tests.dsl": "entity C:\n  name: str(10)\n\n" + crud("C", ["name"]),
        "dsl/a/b.dsl": "entity D:\n  name: str(10)\n\n" + crud("D", ["name"]),
        "dsl/a_b.dsl": "entity E:\n  name: str(10)\n\n" + crud("E", ["name"]),
    },
)

# ---------------------------------------------------------------- sizes and limits

LONG = "T" * 300
case(
    "titles over Django's limits",
    f'app t "{LONG}"\nentity Item "{LONG}":\n  name: str(20) required\n\n'
    + f'surface item_list "{LONG}":\n  uses entity Item\n  mode: list\n  section main "{LONG}":\n    field name "{LONG}"\n\n'
    + crud("Item", ["name"], "view create edit"),
)
case(
    "unicode and markup in titles and labels",
    'app t "Ünïcødé ✓ <b>{{ x }}</b> {% now %} \\"q\\" \\\\ 100%"\n'
    'entity Item "Élément «ñ» 日本 🎉 %s %(x)s {0}":\n  name: str(20) required\n\n'
    'surface item_list "Ä <script>":\n  uses entity Item\n  mode: list\n  section main "Σ & ©":\n    field name "Ñame & <i>"\n\n'
    + crud("Item", ["name"], "view create edit"),
)
case(
    "blank and whitespace titles",
    'app t ""\nentity Item "   ":\n  name: str(20) required\n\nsurface item_list "":\n  uses entity Item\n  mode: list\n  section main " ":\n    field name " "\n\n'
    + crud("Item", ["name"], "view create edit"),
)
case(
    "integers beyond 32 bits",
    "app t\nentity Item:\n  big: int default=99999999999\n  neg: int=-3000000000\n  small: int=5\n\n"
    + crud("Item", ["big", "neg", "small"]),
)
case(
    "an integer beyond 64 bits",
    "app t\nentity Item:\n  big: int default=99999999999999999999999\n\n" + crud("Item", ["big"]),
    "rejected",
    where="dsl/app.dsl:3:",
)
case(
    "decimals at the edges",
    "app t\nentity Item:\n  a: decimal(30,0) default=123456789012345678901234567890\n  b: decimal(1,1)\n  c: decimal(1,0) required\n  d: decimal(20,20)\n  e: decimal(5,2) default=-999.99\n\n"
    + crud("Item", ["a", "b", "c", "d", "e"]),
)
case(
    "tiny strings",
    "app t\nentity Item:\n  a: str(1) required\n  b: str(5) unique\n  c: str(6) required\n  d: str(7)\n  e: str(1) pk\n\n"
    + crud("Item", ["a", "b", "c", "d", "e"]),
)
case(
    "tiny strings searched and unique",
    "app t\nentity Item:\n  code: str(2) required unique\n  name: str(3)\n  mail: email unique\n\n"
    + crud("Item", ["code", "name", "mail"]),
)
case(
    "a huge string",
    "app t\nentity Item:\n  a: str(100000000) required\n\n" + crud("Item", ["a"]),
)
case(
    "every key type",
    "app t\nentity A:\n  id: uuid pk\n  n: str(10)\n\nentity B:\n  id: int pk\n  n: str(10)\n\nentity C:\n  code: str(8) pk\n  n: str(10)\n\nentity D:\n  ida: ref A required\n  idb: ref B\n  idc: ref C required\n\n"
    + "\n".join(crud(e, ["n"] if e != "D" else ["ida", "idb", "idc"], prefix=e.lower()) for e in "ABCD"),
)
case(
    "a pk named id of every kind and a non-pk id",
    "app t\nentity A:\n  id: str(10) pk\n\nentity B:\n  id: int\n  name: str(10)\n\n"
    + crud("A", ["id"], prefix="a")
    + "\n"
    + crud("B", ["id", "name"], prefix="b"),
)

# ---------------------------------------------------------------- refs and cycles

case(
    "a required self-reference",
    "app t\nentity Item:\n  name: str(20) required\n  parent: ref Item required\n\n"
    + crud("Item", ["name", "parent"]),
    warns="parent",
)
case(
    "an optional self-reference",
    "app t\nentity Item:\n  name: str(20) required\n  parent: ref Item\n\n"
    + crud("Item", ["name", "parent"]),
)
case(
    "a required cycle of two",
    "app t\nentity A:\n  b: ref B required\n\nentity B:\n  a: ref A required\n\n"
    + crud("A", ["b"], prefix="a")
    + "\n"
    + crud("B", ["a"], prefix="b"),
    warns="cycle",
)
case(
    "an optional cycle of three",
    "app t\nentity A:\n  b: ref B required\n\nentity B:\n  c: ref C required\n\nentity C:\n  a: ref A\n\n"
    + "\n".join(crud(e, [f], prefix=e.lower()) for e, f in (("A", "b"), ("B", "c"), ("C", "a"))),
)
case(
    "a unique ref and a unique? ref",
    "app t\nentity A:\n  n: str(10) required\n\nentity B:\n  a: ref A unique required\n  a2: ref A unique?\n\n"
    + crud("A", ["n"], prefix="a")
    + "\n"
    + crud("B", ["a", "a2"], prefix="b"),
)
case(
    "refs across modules with aliases",
    {
        "dsl/app.dsl": "app t\nuse people as p\nentity Task:\n  who: p.Person required\n",
        "dsl/people.dsl": "entity Person:\n  name: str(10) required\n\n" + crud("Person", ["name"]),
    },
    "rejected",
    where="dsl/app.dsl:4:",
)
case(
    "refs across modules",
    {
        "dsl/app.dsl": "app t\nuse people as p\nentity Task:\n  who: ref p.Person required\n\n"
        + crud("Task", ["who"]).replace("uses entity Task", "uses entity Task"),
        "dsl/people.dsl": "entity Person:\n  name: str(10) required\n\n" + crud("Person", ["name"]),
    },
)

# ---------------------------------------------------------------- every type and modifier

case(
    "every type and modifier",
    dsl(
        """
        app t "Every"
        entity Thing "Thing":
          id: uuid pk
          a: str(50) required unique
          b: text
          c: int default=3
          d: decimal(8,2)=1.5
          e: bool default=true
          f: date
          g: datetime auto_add
          h: datetime auto_update
          i: date auto_add
          j: uuid unique?
          k: email unique?
          l: enum[x,y,z]=y
          m: str(10) unique?
          n: bool
          o: int required
          p: text required default="hello"
          unique c, o
          index a, b
        """
    )
    + crud("Thing", list("abcdefghijklmnop")),
)

# ---------------------------------------------------------------- surfaces, experiences, integrations

case(
    "surface, experience and step names that collide in URLs",
    dsl(
        """
        app t
        entity Item:
          name: str(20) required
        surface a_b:
          mode: custom
          section main:
            field q
        surface flows:
          mode: custom
          section main:
            field q
        surface admin:
          mode: custom
          section main:
            field q
        surface accounts:
          mode: custom
          section main:
            field q
        surface static:
          mode: custom
          section main:
            field q
        surface items:
          mode: custom
          section main:
            field q
        experience billing:
          start at step step
          step step:
            kind: surface
            surface a_b
        experience billing_step:
          start at step one
          step one:
            kind: process
        experience a:
          start at step b_c
          step b_c:
            kind: process
        experience a_b:
          start at step c
          step c:
            kind: process
        """
    )
    + crud("Item", ["name"]),
)
case(
    "custom surfaces named like view classes",
    dsl(
        """
        app t
        entity Item:
          name: str(20) required
        surface item_list_view:
          mode: custom
          section main:
            field q
        surface list:
          mode: custom
          section main:
            field q
        surface home:
          mode: custom
          section main:
            field q
        surface item_create:
          uses entity Item
          mode: custom
          section main:
            field name
            field extra
        """
    )
    + crud("Item", ["name"], prefix="it"),
)

# ---------------------------------------------------------------- dazzle.toml

case(
    "a NUL byte in the output folder",
    "app t\n" + ITEM,
    "rejected",
    where="dazzle.toml:4",
    toml=TOML + '[build]\noutput = "a\\u0000b"\n',
)
case(
    "an empty output folder",
    "app t\n" + ITEM,
    "rejected",
    where="dazzle.toml:4",
    toml=TOML + '[build]\noutput = ""\n',
)
case(
    "the project folder as output",
    "app t\n" + ITEM + crud("Item", ["name"]),
    "either",
    where="dazzle.toml:4",
    toml=TOML + '[build]\noutput = "."\n',
)
case(
    "the DSL folder as output",
    "app t\n" + ITEM + crud("Item", ["name"]),
    "either",
    where="dazzle.toml:4",
    toml=TOML + '[build]\noutput = "dsl"\n',
)
case(
    "an output folder outside the project",
    "app t\n" + ITEM + crud("Item", ["name"]),
    toml=TOML + '[build]\noutput = "../corpus-out"\n',
)
case(
    "an output folder with spaces and unicode",
    "app t\n" + ITEM + crud("Item", ["name"]),
    toml=TOML + '[build]\noutput = "out dir/ü"\n',
)
case(
    "login not required",
    "app t\n" + ITEM + crud("Item", ["name", "notes"]),
    toml=TOML + "[build]\nlogin_required = false\n",
)
case(
    "entities named like the API's own routes",  # pages at /docs/: the API at /api/docs-2/
    "app t\n"
    + "".join(f"entity {e}:\n  id: uuid pk\n  name: str(50) required\n" for e in ("Doc", "Token", "Schema"))
    + "\n".join(crud(e, ["name"], prefix=e.lower()) for e in ("Doc", "Token", "Schema")),
)
case(
    "a project name that is not an identifier",
    "app t\n" + ITEM + crud("Item", ["name"]),
    toml='[project]\nname = "my project-1"\n',
)

# ---------------------------------------------------------------- services and integrations

SPEC_DOC = '{"openapi": "3.0.3", "servers": [{"url": "https://x.example.org"}], "paths": {"/items": {"get": {"operationId": "list_items"}}, "/items/{code}": {"get": {"operationId": "get_item"}}}}'
case(
    "services, foreign models and integrations whose names collide",
    {
        APP: dsl(
            """
            app t
            entity Item:
              code: str(20) required unique
              name: str(50)
            surface item_list:
              uses entity Item
              mode: list
              section main:
                field code
                field name
              action refresh "Refresh":
                on click -> integration a_b action c
              action again "Again":
                on click -> integration a action b_c
            surface item_view:
              uses entity Item
              mode: view
              section main:
                field code
              action look "Look":
                on click -> integration a action look
            service vat:
              spec: inline "doc"
              auth_profile: none
            service VAT:
              spec: inline "doc"
              auth_profile: api_key_header header="X-Key"
            service service:
              spec: url "https://example.org/openapi.json"
              auth_profile: none
            foreign_model ForeignRecord from vat:
              key: code
              field code: str(20) required
              field name: str(50)
              field class: str(5)
            foreign_model datetime from VAT:
              key: code
              field code: str(20) required
            integration a_b:
              uses service vat
              uses foreign_model ForeignRecord
              sync c:
                mode: event_driven
                from vat.list_items as ForeignRecord
                into entity Item
                match on:
                  code <-> code
            integration a:
              uses service VAT, service
              uses foreign_model datetime
              sync b_c:
                mode: event_driven
                from VAT.list_items as datetime
                into entity Item
                match on:
                  code <-> code
              action look:
                when surface item_view submitted
                call service.get_item with:
                  code <- entity.code
            """
        ),
        "specs/doc.json": SPEC_DOC,
    },
)
case(
    "a surface action runs a sync",
    {
        APP: dsl(
            """
            app t
            entity Item:
              code: str(20) required unique
            surface item_list:
              uses entity Item
              mode: list
              section main:
                field code
              action refresh "Refresh now":
                on click -> integration feed action nightly
            service feed_api:
              spec: inline "doc"
              auth_profile: none
            foreign_model Remote from feed_api:
              key: code
              field code: str(20) required
            integration feed:
              uses service feed_api
              uses foreign_model Remote
              sync nightly:
                mode: scheduled
                schedule: "0 3 * * *"
                from feed_api.list_items as Remote
                into entity Item
                match on:
                  code <-> code
            """
        ),
        "specs/doc.json": SPEC_DOC,
    },
)
case(
    "a surface action names neither an action nor a sync",
    {
        APP: dsl(
            """
            app t
            entity Item:
              code: str(20) required unique
            surface item_list:
              uses entity Item
              mode: list
              section main:
                field code
              action refresh:
                on click -> integration feed action nighty
            service feed_api:
              spec: inline "doc"
              auth_profile: none
            foreign_model Remote from feed_api:
              key: code
              field code: str(20) required
            integration feed:
              uses service feed_api
              uses foreign_model Remote
              sync nightly:
                mode: scheduled
                schedule: "0 3 * * *"
                from feed_api.list_items as Remote
                into entity Item
                match on:
                  code <-> code
            """
        ),
        "specs/doc.json": SPEC_DOC,
    },
    "rejected",
    where="dsl/app.dsl:10:41",
    message="unknown action or sync `nighty`",
)

# ---------------------------------------------------------------- more values that must fit

case(
    "unique bools and enums",
    "app t\nentity Item:\n  name: str(20) required\n  flag: bool unique\n  kind: enum[a,b,c] unique\n  solo: enum[only] unique?\n\n"
    + crud("Item", ["name", "flag", "kind", "solo"]),
)
case(
    "an enum of one value that is unique",
    "app t\nentity Item:\n  name: str(20) required\n  kind: enum[only] required unique\n\n"
    + crud("Item", ["name", "kind"]),
)
case(
    "a required enum whose only value is empty",
    'app t\nentity Item:\n  kind: enum[""] required\n',
    "rejected",
    where="dsl/app.dsl:3:9",
)
case(
    "a long field name and a long reference",
    "app t\nentity Item:\n  name: str(20) required\n  "
    + "x" * 80
    + ": str(10)\n  "
    + "r" * 80
    + ": ref Item\n\n"
    + crud("Item", ["name", "x" * 80, "r" * 80]),
)
case(
    "an entity name of 300 characters and a surface name of 300",
    "app t\nentity "
    + "E" * 300
    + ":\n  name: str(20) required\n\n"
    + crud("E" * 300, ["name"], prefix="e")
    + "\nsurface "
    + "s" * 300
    + ":\n  mode: custom\n  section main:\n    field q\n",
)
case(
    "entities with only keys or automatic fields",
    "app t\nentity A:\n  id: uuid pk\n\nentity B:\n  made: datetime auto_add\n  seen: datetime auto_update\n\n"
    + crud("A", ["id"], prefix="a")
    + "\n"
    + crud("B", ["made", "seen"], prefix="b"),
)
case(
    "a str key with a space in its posted value",
    "app t\nentity Item:\n  code: str(12) pk\n  name: str(20)\n\n" + crud("Item", ["code", "name"]),
)
case(
    "control characters and line separators in titles",
    'app t "Tab\there"\nentity Item "Form\x0cfeed \u2028 sep \u00a0 nbsp \x1b esc":\n  name: str(20) required\n\n'
    + 'surface item_list "L\u2029ist":\n  uses entity Item\n  mode: list\n  section main "Se\x0bction":\n    field name "Na\u0085me"\n\n'
    + crud("Item", ["name"], "view create edit"),
    "either",
    where="dsl/app.dsl:",
)
case(
    "CRLF line ends and a byte-order mark",
    "\ufeffapp t\r\nentity Item:\r\n  name: str(20) required\r\n\r\n"
    + crud("Item", ["name"]).replace("\n", "\r\n"),
)
case("non-ASCII identifiers", "app t\nentity Café:\n  name: str(20)\n", "rejected", where="dsl/app.dsl:2:")
case("an app line alone", "app t\n")
case(
    "field options with markup and quotes",
    "app t\nentity Item:\n  name: str(20) required\n  age: int\n\n"
    'surface item_new:\n  uses entity Item\n  mode: create\n  section main "{{ s }}":\n'
    '    field name "N" help="<b>{% now %}</b>" placeholder="\\"q\\" {{ x }}"\n'
    '    field age "A" placeholder=5 help=true\n\n'
    'surface ask:\n  uses entity Item\n  mode: custom\n  section main:\n    field name required=false help="h"\n    field extra required=true placeholder="p"\n',
)
case(
    "surface actions leading everywhere",
    dsl(
        """
        app t
        entity Item:
          name: str(20) required
        surface item_list:
          uses entity Item
          mode: list
          section main:
            field name
          action go "Go":
            on click -> surface ask
          action flow "Flow":
            on click -> experience wizard step two
        surface item_new:
          uses entity Item
          mode: create
          section main:
            field name
          action save "Save":
            on submit -> surface ask
        surface item_edit:
          uses entity Item
          mode: edit
          section main:
            field name
          action save "Save":
            on submit -> experience wizard
        surface ask:
          mode: custom
          section main:
            field q
          action next "Next":
            on submit -> experience wizard step two
        experience wizard:
          start at step one
          step one:
            kind: surface
            surface ask
            on success -> step two
          step two:
            kind: surface
            surface item_new
            on success -> step three
          step three:
            kind: process
            on success -> step one
            on failure -> step two
        """
    ),
)
case(
    "names of every kind that are keywords",
    dsl(
        """
        app class "Class"
        entity Item:
          name: str(20) required
          in: enum[class, def]
        surface class:
          uses entity Item
          mode: list
          section def "Def":
            field name
            field in
        surface import:
          mode: custom
          section from:
            field return
        experience lambda:
          start at step yield
          step yield:
            kind: surface
            surface import
            on success -> step pass
          step pass:
            kind: process
        """
    ),
)
case(
    "an optional unique enum whose only value is empty",
    'app t\nentity Item:\n  name: str(20) required\n  clean: enum[""] unique optional\n\n'
    + crud("Item", ["name", "clean"]),
)
case(
    "a NUL character in titles and values",
    'app t "A\x00B"\nentity Item "It\x00em":\n  name: str(20) required default="x\x00y"\n  kind: enum["a\x00b", c]\n\n'
    + crud("Item", ["name", "kind"]),
    warns="NUL",
)

# ---------------------------------------------------------------- projects laid out oddly

case(
    "formatting switched off",
    "app t\n" + ITEM + crud("Item", ["name", "notes"], "list"),
    toml=TOML + '[hooks]\ndisable = ["format_code"]\n',
)
case(
    "two DSL folders, aliases and qualified names",
    {
        "dsl/app.dsl": "app t\nuse people.core as p\nentity Task:\n  who: ref p.Person required\n  title: str(30) required\n\n"
        + crud("Task", ["who", "title"]).replace("uses entity Task", "uses entity Task"),
        "more/people/core.dsl": "module people.core\nentity Person:\n  name: str(10) required\n\n"
        + crud("Person", ["name"]),
        "dsl/empty.dsl": "# nothing here yet\n",
        "dsl/__init__.dsl": "entity Init:\n  n: int\n\n" + crud("Init", ["n"]),
    },
    toml=TOML + '[modules]\npaths = ["./dsl", "./more"]\n',
)
case("a fractional string size", "app t\nentity Item:\n  a: str(1.5)\n", "rejected", where="dsl/app.dsl:3:")
case(
    "very large sizes",
    "app t\nentity Item:\n  a: str(99999999999999999999) required\n  b: decimal(100000,2)\n\n"
    + crud("Item", ["a", "b"]),
    warns="PostgreSQL",
)
case("an entity without fields", "app t\nentity Item:\n", "rejected", where="dsl/app.dsl:")
case(
    "a DSL file name of 200 characters in nested folders",
    {
        "dsl/app.dsl": "app t\n" + ITEM + crud("Item", ["name"]),
        "dsl/" + "/".join(["d" * 60] * 3) + "/" + "m" * 200 + ".dsl": "entity Far:\n  n: int\n\n"
        + crud("Far", ["n"]),
    },
)

# ---------------------------------------------------------------- access control (0.2) refused

case(
    "a permit rule naming a role the app does not declare",
    "app t\n" + ITEM.replace("  notes: text\n", "  notes: text\n  permit:\n    read: role(editor)\n"),
    "rejected",
    where="dsl/app.dsl:6:16",
    message="the app declares no roles",
)
case(
    "a permit rule comparing a text field with current_user",
    "app t\n"
    + ITEM.replace("  notes: text\n", "  notes: text\n  permit:\n    update: notes = current_user\n"),
    "rejected",
    where="dsl/app.dsl:6:13",
    message="only a `user` field can be compared with current_user",
)
case(
    "an empty permit block",
    "app t\n" + ITEM.replace("  notes: text\n", "  notes: text\n  permit:\n"),
    "rejected",
    where="dsl/app.dsl:",
    message="a block must not be empty",
)
case(
    "a user field with a default",
    "app t\nentity Item:\n  owner: user default=admin\n",
    "rejected",
    where="dsl/app.dsl:3:23",
    message="user fields take no default",
)

# ---------------------------------------------------------------- access control (0.2) built

case(
    "roles, row rules and user fields with awkward names",
    one(
        """
        app t "T":
          roles: role "Role", permit, user

        entity User "Account":
          user: user auto_add required
          class: user auto_update
          role: user
          permit: str(20)
          permit:
            list: role(role) or user = current_user
            read: anyone
            create: signed_in
            update: (role(permit) and class = current_user) or role = current_user
            delete: role(user) and user = current_user

        entity Note:
          text: str(40) required
          by: user auto_add
          for_who: user required
          permit:
            list: by = current_user or for_who = current_user
            read: by = current_user or for_who = current_user
            create: role(role) or role(permit)

        surface user_new:
          uses entity User
          mode: create
          permit: role(role)
          section main:
            field permit
            field role
        """
    )["files"][APP]
    + "\n"
    + crud("User", ["permit", "role", "user"], modes="list view edit")
    + "\n"
    + crud("Note", ["text", "for_who"]),
)
case(
    "a custom page open to anyone while login is required, and nobody's operations",
    "app t:\n  roles: boss\n\n"
    + ITEM.replace("  notes: text\n", "  notes: text\n  permit:\n    list: anyone\n    read: nobody\n")
    + crud("Item", ["name"])
    + "\nsurface contact:\n  mode: custom\n  permit: anyone\n  section main:\n    field message\n"
    + "\nsurface boss_only:\n  mode: custom\n  permit: role(boss)\n  section main:\n    field note\n",
)
case(
    "an edit surface's permit narrower than the row rule: no Edit button for the record's owner",
    one(
        """
        app t:
          roles: clerk, auditor

        entity Memo:
          text: str(20) required
          by: user auto_add
          permit:
            list: signed_in
            read: signed_in
            create: signed_in
            update: by = current_user or role(auditor)

        surface memo_edit:
          uses entity Memo
          mode: edit
          permit: role(clerk) or role(auditor)
          section main:
            field text
        """
    )["files"][APP]
    + "\n"
    + crud("Memo", ["text"], modes="list view create"),
)

# ---------------------------------------------------------------- lists: sort and filter (0.2) refused

CASE = (
    "entity Case:\n  subject: str(80) required\n  opened: datetime auto_add\n  state: enum[open, closed]\n\n"
)
CASE_LIST = "surface case_list:\n  uses entity Case\n  mode: list\n"

case(
    "a sort line on a view surface",
    "app t\n" + CASE + "surface case_view:\n  uses entity Case\n  mode: view\n  sort: -opened\n",
    "rejected",
    where="dsl/app.dsl:10:3",
    message="`sort:` is a line of list surfaces",
)
case(
    "a sort key that is no field of the entity",
    "app t\n" + CASE + CASE_LIST + "  sort: -openned, subject\n",
    "rejected",
    where="dsl/app.dsl:10:10",
    message="did you mean `opened`?",
)
case(
    "a filter on a str field",
    "app t\n" + CASE + CASE_LIST + "  filter: state, subject\n",
    "rejected",
    where="dsl/app.dsl:10:18",
    message="`subject` is a str(80) field; `filter:` takes enum, bool, ref, user, date and datetime fields",
)
case(
    "a field twice in a sort line",
    "app t\n" + CASE + CASE_LIST + "  sort: opened, -opened\n",
    "rejected",
    where="dsl/app.dsl:10:18",
    message="is given twice in the `sort:` line",
)
case(
    "two filter lines",
    "app t\n" + CASE + CASE_LIST + "  filter: state\n  filter: opened\n",
    "rejected",
    where="dsl/app.dsl:11:3",
    message="second `filter:` line",
)
