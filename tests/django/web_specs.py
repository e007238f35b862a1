"""Hand-built ``AppSpec``s for the Django web-layer tests (views, urls, templates, tests).

``helpdesk()`` mirrors ``examples/helpdesk`` (refs, two refs to one target, enums, a surface
action leading to another surface, an entity with only a create surface); ``every_type()`` has
one field of every type and modifier, a keyword field name, a title full of characters that
need escaping, and an entity with no surface at all.
"""

from __future__ import annotations

from dazzle.ir import (
    App,
    AppSpec,
    BuildConfig,
    Constraint,
    Entity,
    EntityField,
    FieldType,
    Outcome,
    ProjectConfig,
    Section,
    Surface,
    SurfaceAction,
    SurfaceField,
    Value,
)

NASTY = 'Tom\'s "best" \\ {{ x }} {% now %} <script>alert(1)</script>'


def field(
    name: str,
    kind: str,
    *,
    ref: str | None = None,
    values: tuple[str, ...] = (),
    n: int | None = None,
    digits: tuple[int, int] | None = None,
    default=None,
    **flags,
) -> EntityField:
    ftype = FieldType(
        kind=kind,
        ref=ref,
        enum_values=values,
        max_length=n,
        max_digits=digits[0] if digits else None,
        decimal_places=digits[1] if digits else None,
    )
    if default is not None:
        dkind = {bool: "bool", int: "int", str: "word" if kind == "enum" else "string"}[type(default)]
        if kind == "decimal":
            dkind, default = "number", str(default)
        default = Value(kind=dkind, value=default)
    return EntityField(name=name, type=ftype, default=default, **flags)


def surface(
    name: str,
    entity: str | None,
    mode: str,
    fields,
    title: str | None = None,
    section_title: str | None = None,
    actions=(),
) -> Surface:
    items = tuple(SurfaceField(name=f, label=lbl) for f, lbl in fields)
    return Surface(
        name=name,
        title=title or name,
        entity=entity,
        mode=mode,
        sections=(Section(name="main", title=section_title or title or name, fields=items),),
        actions=actions,
    )


def to_surface(name: str, label: str, target: str, trigger: str = "submit") -> SurfaceAction:
    return SurfaceAction(
        name=name, label=label, trigger=trigger, outcome=Outcome(kind="surface", target=target)
    )


def helpdesk(login_required: bool = True) -> AppSpec:
    customer = Entity(
        name="Customer",
        title="Customer",
        fields=(
            field("id", "uuid", pk=True),
            field("company", "str", n=200, required=True),
            field("contact_email", "email", unique_nullable=True),
            field("phone", "str", n=40),
            field("credit_limit", "decimal", digits=(10, 2), default="0"),
        ),
    )
    agent = Entity(
        name="Agent",
        title="Support agent",
        fields=(
            field("id", "uuid", pk=True),
            field("email", "email", required=True, unique=True),
            field("full_name", "str", n=150, required=True),
            field("team", "enum", values=("first_line", "second_line", "engineering"), default="first_line"),
            field("active", "bool", default=True),
            field("joined", "date"),
        ),
    )
    case = Entity(
        name="Case",
        title="Support case",
        fields=(
            field("id", "uuid", pk=True),
            field("subject", "str", n=200, required=True),
            field("body", "text", required=True),
            field("state", "enum", values=("new", "open", "waiting", "solved", "closed"), default="new"),
            field("severity", "enum", values=("minor", "major", "critical"), default="minor"),
            field("customer", "ref", ref="Customer", required=True),
            field("opened_by", "ref", ref="Agent", required=True),
            field("owner", "ref", ref="Agent"),
            field("hours_spent", "decimal", digits=(6, 2), default="0"),
            field("opened", "datetime", auto_add=True),
            field("touched", "datetime", auto_update=True),
        ),
        constraints=(Constraint(kind="index", fields=("state", "severity")),),
    )
    reply = Entity(
        name="Reply",
        title="Reply",
        fields=(
            field("id", "uuid", pk=True),
            field("case", "ref", ref="Case", required=True),
            field("author", "ref", ref="Agent", required=True),
            field("message", "text", required=True),
            field("internal", "bool", default=False),
            field("sent", "datetime", auto_add=True),
        ),
        constraints=(Constraint(kind="unique", fields=("case", "sent")),),
    )
    surfaces = (
        surface(
            "customer_list",
            "Customer",
            "list",
            [("company", "Company"), ("contact_email", "Contact"), ("credit_limit", "Credit limit")],
            "Customers",
        ),
        surface(
            "customer_new",
            "Customer",
            "create",
            [
                ("company", "Company"),
                ("contact_email", "Contact"),
                ("phone", "Phone"),
                ("credit_limit", "Credit limit"),
            ],
            "New customer",
        ),
        surface(
            "customer_view",
            "Customer",
            "view",
            [
                ("company", "Company"),
                ("contact_email", "Contact"),
                ("phone", "Phone"),
                ("credit_limit", "Credit limit"),
            ],
            "Customer",
        ),
        surface(
            "case_list",
            "Case",
            "list",
            [
                ("subject", "Subject"),
                ("state", "State"),
                ("severity", "Severity"),
                ("customer", "Customer"),
                ("owner", "Owner"),
                ("opened", "Opened"),
            ],
            "Cases",
            "Open cases",
        ),
        surface(
            "case_view",
            "Case",
            "view",
            [
                ("subject", "Subject"),
                ("body", "Description"),
                ("state", "State"),
                ("severity", "Severity"),
                ("customer", "Customer"),
                ("opened_by", "Opened by"),
                ("owner", "Owner"),
                ("hours_spent", "Hours"),
                ("opened", "Opened"),
                ("touched", "Updated"),
            ],
            "Case",
        ),
        surface(
            "case_new",
            "Case",
            "create",
            [
                ("subject", "Subject"),
                ("body", "Description"),
                ("severity", "Severity"),
                ("customer", "Customer"),
                ("opened_by", "Opened by"),
            ],
            "Open a case",
            "New case",
        ),
        surface(
            "case_edit",
            "Case",
            "edit",
            [
                ("subject", "Subject"),
                ("state", "State"),
                ("severity", "Severity"),
                ("owner", "Owner"),
                ("hours_spent", "Hours"),
            ],
            "Work on case",
            "Case",
            actions=(to_surface("save", "Save", "case_view"),),
        ),
        surface(
            "reply_new",
            "Reply",
            "create",
            [("case", "Case"), ("author", "Author"), ("message", "Message"), ("internal", "Internal note")],
            "Reply",
        ),
        surface(
            "agent_list",
            "Agent",
            "list",
            [("full_name", "Name"), ("email", "E-mail"), ("team", "Team"), ("active", "Active")],
            "Agents",
        ),
        surface(
            "agent_new",
            "Agent",
            "create",
            [("full_name", "Name"), ("email", "E-mail"), ("team", "Team")],
            "Add agent",
            "New agent",
        ),
    )
    return AppSpec(
        name="helpdesk",
        app=App(name="helpdesk", title="Help Desk"),
        config=ProjectConfig(build=BuildConfig(login_required=login_required)),
        entities=(customer, case, reply, agent),
        surfaces=surfaces,
    )


def every_type(login_required: bool = False) -> AppSpec:
    """Every field type and modifier, keyword field names, a nasty title, a bare entity."""
    owner = Entity(
        name="Owner",
        title=NASTY,
        fields=(
            field("code", "str", n=12, pk=True),
            field("name", "str", n=3, required=True, unique=True),
        ),
    )
    thing = Entity(
        name="Thing",
        title="Thing",
        fields=(
            field("label", "str", n=80, required=True),
            field("class", "str", n=20),
            field("id", "int"),
            field("notes", "text"),
            field("count", "int", default=3),
            field("price", "decimal", digits=(4, 2), required=True),
            field("ratio", "decimal", digits=(2, 2)),
            field("flag", "bool", default=True),
            field("day", "date", required=True),
            field("at", "datetime", required=True),
            field("token", "uuid", unique=True),
            field("mail", "email", unique_nullable=True),
            field("type", "enum", values=("in", "out", "class"), default="out"),
            field("kind", "enum", values=("a", "b")),
            field("owner", "ref", ref="Owner", required=True),
            field("backup", "ref", ref="Owner"),
            field("made", "datetime", auto_add=True),
            field("changed", "date", auto_update=True),
        ),
        constraints=(Constraint(kind="unique", fields=("label", "owner")),),
    )
    bare = Entity(name="Bare", fields=(field("title", "str", n=10),))
    every = [(f.name, f"{f.name.title()} label") for f in thing.fields if f.name not in ("made", "changed")]
    surfaces = (
        surface("owner_list", "Owner", "list", [("code", "Code"), ("name", NASTY)], NASTY),
        surface("owner_new", "Owner", "create", [("code", "Code"), ("name", NASTY)], NASTY),
        surface("thing_list", "Thing", "list", every + [("made", "Made")], "Things"),
        surface("thing_new", "Thing", "create", [e for e in every if e[0] != "count"], "New thing"),
        surface("thing_view", "Thing", "view", every + [("made", "Made"), ("changed", "Changed")], "Thing"),
        surface(
            "thing_edit",
            "Thing",
            "edit",
            [("label", "Label"), ("price", "Price"), ("type", "Type")],
            "Edit thing",
            actions=(to_surface("back", "Back to list", "thing_list", "click"),),
        ),
        surface("ask", None, "custom", [("question", "Your question")], "Ask " + NASTY),
    )
    return AppSpec(
        name="every",
        app=App(name="every", title=NASTY),
        config=ProjectConfig(build=BuildConfig(login_required=login_required)),
        entities=(owner, thing, bare),
        surfaces=surfaces,
    )


def edge_cases(login_required: bool = True) -> AppSpec:
    """Entities called ``User`` and ``Model``, a text key, keyword fields and enum values,
    refs in a loop (optional) and to self, an entity with only a list, one with only a view,
    and a custom surface typed by an entity."""
    user = Entity(
        name="User",
        title="Member",
        fields=(
            field("handle", "str", n=30, pk=True),
            field("from", "str", n=40, required=True),
            field("in", "enum", values=("in", "class", "not"), default="in"),
            field("mentor", "ref", ref="User"),
            field("model", "ref", ref="Model"),
        ),
    )
    model = Entity(
        name="Model",
        fields=(
            field("id", "uuid", pk=True),
            field("name", "str", n=50, required=True),
            field("owner", "ref", ref="User"),
            field("pk", "int"),
        ),
    )
    log = Entity(
        name="Log", fields=(field("line", "text", required=True), field("at", "datetime", auto_add=True))
    )
    note = Entity(name="Note", fields=(field("body", "text"),))
    surfaces = (
        surface(
            "user_list",
            "User",
            "list",
            [("handle", "Handle"), ("from", "From"), ("in", "In"), ("mentor", "Mentor")],
            "Members",
        ),
        surface(
            "user_new",
            "User",
            "create",
            [("handle", "Handle"), ("from", "From"), ("mentor", "Mentor"), ("model", "Model")],
            "Join",
        ),
        surface(
            "user_edit",
            "User",
            "edit",
            [("from", "From"), ("in", "In"), ("handle", "Handle")],
            "Edit member",
            actions=(to_surface("save", "Save member", "user_list"),),
        ),
        surface("user_view", "User", "view", [("handle", "Handle"), ("model", "Model")], "Member"),
        surface(
            "model_new",
            "Model",
            "create",
            [("name", "Name"), ("owner", "Owner"), ("pk", "Number")],
            "New model",
            actions=(to_surface("save", "Save", "model_view"),),
        ),
        surface(
            "model_view", "Model", "view", [("name", "Name"), ("owner", "Owner"), ("pk", "Number")], "Model"
        ),
        surface("log_list", "Log", "list", [("line", "Line"), ("at", "At")], "Logs"),
        surface("note_view", "Note", "view", [("body", "Body")], "Note"),
        surface(
            "find_user", "User", "custom", [("from", "From"), ("in", "In"), ("mentor", "Mentor")], "Find"
        ),
    )
    return AppSpec(
        name="edge",
        app=App(name="class", title="Edge cases"),
        config=ProjectConfig(build=BuildConfig(login_required=login_required)),
        entities=(user, model, log, note),
        surfaces=surfaces,
    )
