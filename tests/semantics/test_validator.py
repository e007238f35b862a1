"""The validator's rules on hand-built, linked specs: one test per rule (or small family)."""

from __future__ import annotations

from dazzle import ir
from dazzle.semantics.frontend import stack_checks
from dazzle.semantics.validate import validate

FILE = "dsl/app.dsl"


def at(line: int, column: int = 1) -> ir.Location:
    return ir.Location(file=FILE, line=line, column=column)


def T(kind: str, **kw) -> ir.FieldType:
    return ir.FieldType(kind=kind, **kw)


def F(name: str, ftype: ir.FieldType, line: int = 1, default=None, **flags) -> ir.EntityField:
    """A field on ``line``; each modifier's location is column 20 + its index, the default's 40."""
    locs = {"type": at(line, 10), "default": at(line, 40), "was": at(line, 50)}
    for i, name_ in enumerate(("required", "optional", "pk", "unique", "unique?", "auto_add", "auto_update")):
        locs[name_] = at(line, 20 + i)
    if isinstance(default, ir.Value):
        value = default
    elif isinstance(default, bool):
        value = ir.Value(kind="bool", value=default)
    elif isinstance(default, int):
        value = ir.Value(kind="int", value=default)
    elif isinstance(default, str):
        value = ir.Value(kind="word", value=default)
    else:
        value = None
    return ir.EntityField(name=name, type=ftype, default=value, loc=at(line, 3), locs=locs, **flags)


def E(name: str, *fields: ir.EntityField, line: int = 1, constraints=()) -> ir.Entity:
    return ir.Entity(name=name, fields=fields, constraints=tuple(constraints), loc=at(line, 8))


def S(name: str, entity: str | None, mode: str, *fields: str, line: int = 50, actions=()) -> ir.Surface:
    section = ir.Section(
        name="main",
        fields=tuple(ir.SurfaceField(name=f, loc=at(line + 2 + i, 11)) for i, f in enumerate(fields)),
    )
    return ir.Surface(
        name=name,
        entity=entity,
        mode=mode,
        sections=(section,) if fields else (),
        actions=tuple(actions),
        loc=at(line, 9),
        locs={"entity": at(line, 15), "mode": at(line + 1, 9)},
    )


def spec(**collections) -> ir.AppSpec:
    return ir.AppSpec(name="t", app=ir.App(name="t"), **{k: tuple(v) for k, v in collections.items()})


def problems(the_spec: ir.AppSpec, severity: str = "error") -> list[tuple[int, int, str]]:
    return [(d.loc.line, d.loc.column, d.message) for d in validate(the_spec) if d.severity == severity]


def only(the_spec: ir.AppSpec, severity: str = "error") -> tuple[int, int, str]:
    found = problems(the_spec, severity)
    assert len(found) == 1, found
    return found[0]


NAME = F("name", T("str", max_length=20), line=2, required=True)


def test_a_clean_spec_has_no_diagnostics():
    assert validate(spec(entities=[E("Item", NAME, F("id", T("uuid"), line=3, pk=True))])) == []


def test_duplicate_entities_and_foreign_models_share_a_kind():
    other = ir.ForeignModel(name="Item", service="svc", loc=at(30, 15))
    found = problems(
        spec(
            entities=[E("Item", NAME, line=1), E("Item", NAME, line=10)],
            foreign_models=[other],
            services=[ir.Service(name="svc", spec_kind="inline", spec="x", auth="none", loc=at(40))],
        )
    )
    assert found == [
        (10, 8, "entity `Item` is defined twice (first at line 1)"),
        (
            30,
            15,
            (
                "foreign model `Item` has the name of entity `Item`; entities and foreign models share names "
                "(first at line 1)"
            ),
        ),
    ]


def test_duplicate_fields_and_several_pks():
    line, column, message = only(spec(entities=[E("Item", NAME, F("name", T("text"), line=3))]))
    assert (line, message) == (3, "field `name` is defined twice in entity `Item` (first at line 2)")
    line, column, message = only(
        spec(entities=[E("Item", F("a", T("int"), line=2, pk=True), F("b", T("uuid"), line=3, pk=True))])
    )
    assert (line, column) == (3, 22) and "more than one `pk`" in message


def test_pk_types():
    line, column, message = only(spec(entities=[E("Item", F("code", T("text"), line=4, pk=True))]))
    assert (line, column) == (
        4,
        22,
    ) and "`pk` is allowed on uuid, int and str(N) fields, not on text" in message
    assert problems(spec(entities=[E("Item", F("code", T("str", max_length=5), line=4, pk=True))])) == []


def test_conflicting_modifiers_reported_at_the_second_one():
    cases = [
        ({"required": True, "optional": True}, 21, "both `required` and `optional`"),
        ({"pk": True, "optional": True}, 22, "both `pk` and `optional`"),
        ({"unique": True, "unique_nullable": True}, 24, "both `unique` and `unique?`"),
    ]
    for flags, column, text in cases:
        line, col, message = only(spec(entities=[E("Item", F("n", T("int"), line=5, **flags))]))
        assert (line, col) == (5, column) and text in message
    line, col, message = only(
        spec(entities=[E("Item", F("d", T("date"), line=5, auto_add=True, auto_update=True))])
    )
    assert col == 26 and "both `auto_add` and `auto_update`" in message


def test_auto_fields_need_dates_and_no_default():
    _line, col, message = only(spec(entities=[E("Item", F("n", T("int"), line=6, auto_add=True))]))
    assert (
        col == 25 and "`auto_add` works only on date, datetime and user fields, not on `n` (int)" in message
    )
    found = problems(
        spec(entities=[E("Item", F("d", T("datetime"), line=6, auto_update=True, default="now"))])
    )
    assert any(col == 40 and "has both `auto_update` and a default" in m for _, col, m in found)


def test_sizes_of_str_and_decimal():
    assert "str(N) needs N ≥ 1" in only(spec(entities=[E("Item", F("s", T("str", max_length=0), line=2))]))[2]
    assert (
        "P ≥ 1" in only(spec(entities=[E("Item", F("d", T("decimal", max_digits=0, decimal_places=0)))]))[2]
    )
    message = only(spec(entities=[E("Item", F("d", T("decimal", max_digits=2, decimal_places=5), line=7))]))[
        2
    ]
    assert "decimal(2,5)" in message and "P ≥ S" in message
    assert problems(spec(entities=[E("Item", F("d", T("decimal", max_digits=5, decimal_places=0)))])) == []


def test_enum_values_and_defaults():
    enum = T("enum", enum_values=("open", "done"))
    line, col, message = only(spec(entities=[E("Item", F("state", enum, line=3, default="opne"))]))
    assert (line, col) == (3, 40)
    assert "default `opne` is not one of the enum's values (open, done); did you mean `open`?" in message
    twice = T("enum", enum_values=("a", "b", "a"))
    assert "enum value `a` is listed twice" in only(spec(entities=[E("Item", F("e", twice))]))[2]
    assert problems(spec(entities=[E("Item", F("state", enum, default="done"))])) == []


def test_defaults_of_the_wrong_kind():
    cases = [
        (T("int"), ir.Value(kind="string", value="x"), "must be a whole number"),
        (T("int"), ir.Value(kind="number", value="1.5"), "must be a whole number"),
        (T("bool"), ir.Value(kind="int", value=1), "must be true or false"),
        (T("str", max_length=5), ir.Value(kind="int", value=3), "must be a string"),
        (T("str", max_length=2), ir.Value(kind="string", value="long"), "longer than str(2)"),
        (T("decimal", max_digits=4, decimal_places=2), ir.Value(kind="bool", value=True), "must be a number"),
        (
            T("decimal", max_digits=4, decimal_places=2),
            ir.Value(kind="number", value="123.5"),
            "does not fit",
        ),
        (T("decimal", max_digits=4, decimal_places=1), ir.Value(kind="number", value="1.25"), "does not fit"),
        (T("date"), ir.Value(kind="word", value="today"), "date fields take no default"),
        (T("uuid"), ir.Value(kind="word", value="x"), "uuid fields take no default"),
        (T("ref", ref="Item"), ir.Value(kind="int", value=1), "ref fields take no default"),
    ]
    for ftype, value, text in cases:
        line, col, message = only(spec(entities=[E("Item", F("f", ftype, line=8, default=value))]))
        assert (line, col) == (8, 40) and text in message, (ftype, value, message)
    fine = [
        (T("decimal", max_digits=4, decimal_places=2), ir.Value(kind="number", value="12.50")),
        (T("decimal", max_digits=4, decimal_places=2), ir.Value(kind="int", value=0)),
        (T("email"), ir.Value(kind="string", value="a@b.c")),
        (T("text"), ir.Value(kind="word", value="hello")),
        (T("int"), ir.Value(kind="int", value=-4)),
    ]
    for ftype, value in fine:
        assert problems(spec(entities=[E("Item", F("f", ftype, default=value))])) == [], (ftype, value)


def test_ref_targets_must_be_entities():
    line, col, message = only(
        spec(
            entities=[E("Item", F("owner", T("ref", ref="Usr", locs={"ref": at(4, 14)}), 4)), E("User", NAME)]
        )
    )
    assert (line, col) == (4, 14) and "unknown entity `Usr` in ref; did you mean `User`?" in message
    foreign = ir.ForeignModel(name="Remote", service="svc")
    service = ir.Service(name="svc", spec_kind="inline", spec="x", auth="none")
    message = only(
        spec(
            entities=[E("Item", F("r", T("ref", ref="Remote"), 4))],
            foreign_models=[foreign],
            services=[service],
        )
    )[2]
    assert "names a foreign model; a ref must name an entity" in message


def test_was_must_not_name_another_field():
    found = only(spec(entities=[E("Item", NAME, F("title", T("text"), line=3, was="name"))]))
    assert found[:2] == (3, 50) and "`name` is another field of entity `Item`" in found[2]
    assert problems(spec(entities=[E("Item", NAME, F("title", T("text"), line=3, was="heading"))])) == []


def test_composite_constraints_name_existing_fields():
    constraint = ir.Constraint(kind="unique", fields=("name", "nmae"), locs={"fields.1": at(9, 15)})
    line, col, message = only(spec(entities=[E("Item", NAME, constraints=[constraint])]))
    assert (line, col) == (
        9,
        15,
    ) and "unknown field `nmae` in `unique` of entity `Item`; did you mean `name`?" in message


def test_entity_names_the_generated_app_cannot_use():
    """Only a keyword is refused (the reference's rule); what a stack reserves it works around
    (issue #13): a built-in, underscores at the ends, names differing only in case."""
    line, col, message = only(spec(entities=[E("None", NAME, line=12)]))
    assert (line, col) == (12, 8) and "entity name `None` is a Python keyword" in message
    for name in ("object", "_Hidden", "Big__Thing", "match", "type"):
        assert problems(spec(entities=[E(name, NAME, line=12)])) == [], name
    assert problems(spec(entities=[E("Item", NAME), E("ITEM", NAME, line=20)])) == []


def test_the_django_stack_checks_what_it_cannot_store():
    """The Django stack's own rules (its ``dazzle.checks`` plugin), run by the front end for a
    project that builds with Django, and only then: names never (they all get a form that
    works), data the database cannot hold."""

    def django_problems(the_spec):
        return [(d.loc.line, d.loc.column, d.severity, d.message) for d in stack_checks(the_spec)]

    enum = F("state", T("enum", enum_values=("a",)))
    assert django_problems(spec(entities=[E("models", NAME), E("Case", enum), E("CaseState", NAME)])) == []
    huge = F("n", T("int"), line=7, default=2**63)
    [(line, col, severity, message)] = django_problems(spec(entities=[E("Item", huge)]))
    assert (line, col, severity) == (7, 40, "error") and "does not fit in a 64-bit integer" in message
    assert django_problems(spec(entities=[E("Item", F("n", T("int"), default=2**63 - 1))])) == []
    long = F("s", T("str", max_length=10**8), line=8)
    [(line, col, severity, message)] = django_problems(spec(entities=[E("Item", long)]))
    assert (line, col, severity) == (8, 10, "warning") and "PostgreSQL" in message
    other_stack = spec(entities=[E("Item", huge)]).replace(
        config=ir.ProjectConfig(build=ir.BuildConfig(stacks=("teststack",)))
    )
    assert django_problems(other_stack) == []


def test_required_refs_in_a_cycle_are_a_warning():
    self_ref = F("parent", T("ref", ref="Item", locs={"ref": at(3, 15)}), line=3, required=True)
    [(line, col, message)] = problems(spec(entities=[E("Item", NAME, self_ref)]), "warning")
    assert (line, col) == (3, 15) and "required ref to `Item` itself" in message
    a = E("A", F("b", T("ref", ref="B"), line=2, required=True), line=1)
    b = E("B", F("a", T("ref", ref="A"), line=5, required=True), line=4)
    [(line, col, message)] = problems(spec(entities=[a, b]), "warning")
    assert (line, col) == (2, 10) and "cycle (A.b → B, B.a → A)" in message
    optional = E("B", F("a", T("ref", ref="A"), line=5), line=4)
    assert problems(spec(entities=[a, optional]), "warning") == []


# ---------------------------------------------------------------- surfaces

ITEM = E(
    "Item",
    NAME,
    F("notes", T("text"), line=3),
    F("id", T("uuid"), line=4, pk=True),
    F("made", T("datetime"), line=5, auto_add=True),
)


def test_surface_needs_an_entity_unless_custom():
    line, col, message = only(spec(entities=[ITEM], surfaces=[S("items", None, "list", "name")]))
    assert (line, col) == (50, 9) and "needs `uses entity <Entity>`" in message
    assert problems(spec(entities=[ITEM], surfaces=[S("search", None, "custom", "anything")])) == []


def test_surface_entity_and_fields_must_exist():
    found = problems(spec(entities=[ITEM], surfaces=[S("items", "Itme", "list", "name")]))
    assert found == [(50, 15, "unknown entity `Itme` in `uses entity`; did you mean `Item`?")]
    found = problems(spec(entities=[ITEM], surfaces=[S("items", "Item", "list", "name", "nots")]))
    assert found == [(53, 11, "entity `Item` has no field `nots` (surface `items`); did you mean `notes`?")]
    found = problems(spec(entities=[ITEM], surfaces=[S("items", "Item", "list", "name", "name")]))
    assert found[0][0] == 53 and "field `name` is defined twice in surface `items`" in found[0][2]


def test_one_surface_per_mode_and_entity():
    found = problems(
        spec(
            entities=[ITEM],
            surfaces=[S("a", "Item", "list", "name"), S("b", "Item", "list", "name", line=80)],
        )
    )
    assert found == [
        (
            81,
            9,
            (
                "entity `Item` already has a list surface (`a`); an entity has at most one surface "
                "of each of the modes list, view, create and edit"
            ),
        )
    ]
    assert (
        problems(
            spec(entities=[ITEM], surfaces=[S("a", "Item", "custom"), S("b", "Item", "custom", line=80)])
        )
        == []
    )


def test_create_surface_missing_a_required_field_is_a_warning():
    line, col, message = only(
        spec(entities=[ITEM], surfaces=[S("new", "Item", "create", "notes")]), "warning"
    )
    assert (line, col) == (
        50,
        9,
    ) and "leaves out `name`, a required field of entity `Item` without a default" in message
    # uuid pk and auto_add count as having a default; a default makes a required field optional to list
    with_default = E(
        "Item", F("name", T("str", max_length=5), required=True, default="x"), F("id", T("int"), pk=True)
    )
    assert problems(spec(entities=[with_default], surfaces=[S("new", "Item", "create")]), "warning") == []


def test_outcomes_name_existing_targets():
    def action(kind, target, step=None, act=None):
        outcome = ir.Outcome(
            kind=kind,
            target=target,
            step=step,
            action=act,
            loc=at(60, 20),
            locs={"step": at(60, 40), "action": at(60, 45)},
        )
        return ir.SurfaceAction(name=f"go_{kind}_{target}", trigger="click", outcome=outcome)

    experience = ir.Experience(name="flow", start="one", steps=(ir.Step(name="one", kind="process"),))
    integration = ir.Integration(name="sync_it")
    surfaces = [
        S(
            "items",
            "Item",
            "list",
            "name",
            actions=[
                action("surface", "itmes"),
                action("experience", "flow", step="tow"),
                action("integration", "sync_it", act="run"),
                action("experience", "flw"),
            ],
        )
    ]
    found = problems(
        spec(entities=[ITEM], surfaces=surfaces, experiences=[experience], integrations=[integration])
    )
    assert (60, 20, "unknown surface `itmes` in outcome; did you mean `items`?") in found
    assert (60, 40, "unknown step `tow` in experience `flow`") in found
    assert (60, 45, "unknown action `run` in integration `sync_it`") in found
    assert (60, 20, "unknown experience `flw` in outcome; did you mean `flow`?") in found
    # An outcome may also name a sync of the integration (0.2): it runs the sync now.
    with_sync = ir.Integration(
        name="sync_it",
        syncs=(
            ir.Sync(name="nightly", mode="scheduled", service="s", operation="o", foreign="F", entity="Item"),
        ),
    )
    runs_sync = [
        S("items", "Item", "list", "name", actions=[action("integration", "sync_it", act="nightly")])
    ]
    found = [d.message for d in validate(spec(entities=[ITEM], surfaces=runs_sync, integrations=[with_sync]))]
    assert not [m for m in found if "unknown action" in m], found
    misspelt = [S("items", "Item", "list", "name", actions=[action("integration", "sync_it", act="nighty")])]
    found = [
        (d.loc.line, d.loc.column, d.message)
        for d in validate(spec(entities=[ITEM], surfaces=misspelt, integrations=[with_sync]))
        if d.loc is not None
    ]
    assert (
        60,
        45,
        "unknown action or sync `nighty` in integration `sync_it`; did you mean `nightly`?",
    ) in found


# ---------------------------------------------------------------- experiences


def step(name, kind, line, **kw):
    locs = {
        p: at(line + 1, 5 + i)
        for i, p in enumerate(("kind", "surface", "integration", "action", "on_success", "on_failure"))
    }
    return ir.Step(name=name, kind=kind, loc=at(line, 8), locs=locs, **kw)


def test_experience_start_steps_and_transitions():
    flow = ir.Experience(
        name="flow",
        start="strat",
        locs={"start": at(70, 17)},
        loc=at(69, 12),
        steps=(
            step("start", "surface", 71, on_success="ned"),
            step("end", "process", 73, surface="items"),
            step("call", "integration", 75),
            step("start", "process", 77),
        ),
    )
    found = problems(spec(entities=[ITEM], surfaces=[S("items", "Item", "list", "name")], experiences=[flow]))
    assert (70, 17, "unknown step `strat` in `start at`; did you mean `start`?") in found
    assert (72, 5, "step `start` (kind: surface) needs a `surface <name>` line") in found
    assert (72, 9, "unknown step `ned` in `on success` of step `start`; did you mean `end`?") in found
    assert any(line == 74 and "is a process step" in m for line, _, m in found)
    assert (
        76,
        5,
        "step `call` (kind: integration) needs an `integration <name> action <action>` line",
    ) in found
    assert (77, 8, "step `start` is defined twice in experience `flow` (first at line 71)") in found


def test_unreachable_steps_are_warnings():
    flow = ir.Experience(
        name="flow",
        start="a",
        steps=(
            step("a", "process", 10, on_success="b"),
            step("b", "process", 12),
            step("lost", "process", 14),
        ),
    )
    assert problems(spec(experiences=[flow])) == []
    assert only(spec(experiences=[flow]), "warning")[:2] == (14, 8)


def test_integration_step_needs_an_existing_action():
    integration = ir.Integration(name="bank")
    flow = ir.Experience(
        name="flow", start="a", steps=(step("a", "integration", 10, integration="bank", action="fetch"),)
    )
    assert only(spec(experiences=[flow], integrations=[integration]))[:3] == (
        11,
        8,
        "unknown action `fetch` in integration `bank`",
    )


# ---------------------------------------------------------------- services, foreign models, integrations

SERVICE = ir.Service(name="bank", spec_kind="inline", spec="bank-v2", auth="none", loc=at(90, 9))
REMOTE = ir.ForeignModel(
    name="Remote",
    service="bank",
    key=("ref_id",),
    loc=at(95, 15),
    fields=(F("ref_id", T("str", max_length=10), line=97, required=True), F("amount", T("int"), line=98)),
)
PAYMENT = E(
    "Payment", F("bank_ref", T("str", max_length=10), line=2, required=True), F("amount", T("int"), line=3)
)
PAYMENT_LIST = S("payment_list", "Payment", "list", "bank_ref")


def expr(*path: str, line: int = 100) -> ir.Expression:
    return ir.Expression(path=path, loc=at(line, 20))


def integration(*, actions=(), syncs=(), services=("bank",), foreign_models=("Remote",)) -> ir.Integration:
    return ir.Integration(
        name="bank_import",
        services=services,
        foreign_models=foreign_models,
        actions=tuple(actions),
        syncs=tuple(syncs),
        loc=at(99, 13),
        locs={"services.0": at(99, 30), "foreign_models.0": at(99, 40)},
    )


def integration_spec(**kw) -> ir.AppSpec:
    return spec(
        entities=[PAYMENT],
        surfaces=[PAYMENT_LIST],
        services=[SERVICE],
        foreign_models=[REMOTE],
        integrations=[integration(**kw)],
    )


def test_services_and_foreign_models():
    bad_url = SERVICE.model_copy(
        update={"spec_kind": "url", "spec": "not a url", "locs": {"spec": at(91, 9)}}
    )
    found = problems(spec(services=[bad_url]))
    assert found == [(91, 9, 'service `bank`: spec url "not a url" is not an http(s) URL')]
    bad_id = SERVICE.model_copy(update={"spec": "../etc/passwd", "locs": {"spec": at(91, 9)}})
    assert "inline spec id" in only(spec(services=[bad_id]))[2]
    orphan = REMOTE.model_copy(
        update={
            "service": "bnak",
            "key": ("ref_id", "amout"),
            "locs": {"service": at(95, 30), "key.1": at(96, 17)},
        }
    )
    found = problems(spec(services=[SERVICE], foreign_models=[orphan]))
    assert (95, 30, "unknown service `bnak` in foreign_model `Remote`; did you mean `bank`?") in found
    assert (
        96,
        17,
        "key field `amout` is not a field of foreign model `Remote`; did you mean `amount`?",
    ) in found


def test_integration_uses_and_call_listing():
    action = ir.IntegrationAction(
        name="fetch",
        surface="payment_list",
        service="bank",
        operation="list",
        locs={"service": at(102, 10)},
        loc=at(101, 10),
    )
    assert problems(integration_spec(actions=[action])) == []
    found = problems(integration_spec(actions=[action], services=()))
    assert found == [(102, 10, "service `bank` is not listed in `uses service` of integration `bank_import`")]
    found = problems(integration_spec(services=("bnk",)))
    assert found == [(99, 30, "unknown service `bnk` in `uses service`; did you mean `bank`?")]


def test_expressions_and_response_maps():
    response = ir.ResponseMap(
        foreign="Remote",
        entity="Payment",
        locs={"foreign": at(105, 20)},
        fields=(
            ir.Mapping(target="bank_ref", source=expr("foreign", "ref_id"), loc=at(106, 7)),
            ir.Mapping(target="amont", source=expr("foreign", "amout", line=107), loc=at(107, 7)),
        ),
    )
    action = ir.IntegrationAction(
        name="fetch",
        surface="payment_list",
        service="bank",
        operation="list",
        response=response,
        params=(
            ir.Mapping(target="a", source=expr("form", "bank_ref", line=103)),
            ir.Mapping(target="b", source=expr("frm", "x", line=104)),
            ir.Mapping(target="c", source=expr("foreign", "ref_id", line=108)),
            ir.Mapping(target="d", source=expr("current_user", "name", line=109)),
            ir.Mapping(target="e", source=expr("form", "bank_rf", line=110)),
            ir.Mapping(target="f", source=expr("entity", "amount", line=111)),
            ir.Mapping(target="g", source=ir.Expression(literal=ir.Value(kind="string", value="x"))),
        ),
    )
    found = problems(integration_spec(actions=[action]))
    assert (
        104,
        20,
        (
            "`frm.x`: an expression starts with form, entity, current_user or foreign, not `frm`; "
            "did you mean `form`?"
        ),
    ) in found
    assert (107, 7, "entity `Payment` has no field `amont`; did you mean `amount`?") in found
    assert (107, 20, "foreign model `Remote` has no field `amout`; did you mean `amount`?") in found
    assert (
        108,
        20,
        "`foreign.ref_id`: `foreign` (the response record) exists only inside `map response`",
    ) in found
    assert any(
        line == 109 and "only `current_user.id`, `.username` and `.email`" in m for line, _, m in found
    )
    assert (110, 20, "surface `payment_list` has no field `bank_rf`; did you mean `bank_ref`?") in found
    assert len(found) == 6  # entity.amount and the literal are fine
    unlisted = problems(integration_spec(actions=[action], foreign_models=()))
    assert any(line == 105 and "not listed in `uses foreign_model`" in m for line, _, m in unlisted)


def test_syncs():
    def sync(**kw):
        base = {
            "name": "nightly",
            "mode": "scheduled",
            "schedule": "30 1 * * *",
            "service": "bank",
            "operation": "list",
            "foreign": "Remote",
            "entity": "Payment",
            "loc": at(120, 8),
            "locs": {"mode": at(121, 11), "schedule": at(122, 15)},
            "match": (ir.MatchPair(foreign_field="ref_id", entity_field="bank_ref"),),
        }
        base.update(kw)
        return ir.Sync(**base)

    assert problems(integration_spec(syncs=[sync()])) == []
    assert only(integration_spec(syncs=[sync(schedule=None)])) == (
        121,
        11,
        'sync `nightly` has `mode: scheduled` but no `schedule: "<cron>"` line',
    )
    for schedule, text in [
        ("30 1 * *", "has 5 fields"),
        ("61 1 * * *", "minute `61` is out of range 0-59"),
        ("0 0 * foo *", "`foo` is not a valid cron month"),
        ("0 0 * * mon-fri", None),
        ("*/0 * * * *", "a cron step (`/N`) must be at least 1"),
        ("0 9-5 * * *", "a cron range must go from low to high"),
        ("*/15 0-6,22 1 jan *", None),
    ]:
        found = problems(integration_spec(syncs=[sync(schedule=schedule)]))
        if text is None:
            assert found == [], schedule
        else:
            assert len(found) == 1 and found[0][:2] == (122, 15) and text in found[0][2], (schedule, found)
    pair = ir.MatchPair(
        foreign_field="ref",
        entity_field="bank_rf",
        locs={"foreign_field": at(124, 7), "entity_field": at(124, 15)},
    )
    found = problems(integration_spec(syncs=[sync(match=(pair,))]))
    assert found == [
        (124, 7, "foreign model `Remote` has no field `ref`; did you mean `ref_id`?"),
        (124, 15, "entity `Payment` has no field `bank_rf`; did you mean `bank_ref`?"),
    ]


def test_integration_outcome_from_another_surface_is_a_warning():
    action = ir.IntegrationAction(name="fetch", surface="payment_list", service="bank", operation="list")
    outcome = ir.Outcome(
        kind="integration", target="bank_import", action="fetch", loc=at(60, 20), locs={"action": at(60, 45)}
    )
    other = S(
        "payment_view",
        "Payment",
        "view",
        "bank_ref",
        line=70,
        actions=[ir.SurfaceAction(name="go", trigger="click", outcome=outcome)],
    )
    the_spec = integration_spec(actions=[action]).model_copy(update={"surfaces": (PAYMENT_LIST, other)})
    assert problems(the_spec) == []
    line, col, message = only(the_spec, "warning")
    assert (line, col) == (60, 45) and "which runs when surface `payment_list` is submitted" in message
    own = other.model_copy(update={"name": "payment_list", "mode": "list"})
    assert validate(integration_spec(actions=[action]).model_copy(update={"surfaces": (own,)})) == []


def test_fields_a_form_cannot_hold_are_warnings():
    code = E(
        "Code",
        F("code", T("str", max_length=5), line=2, pk=True),
        F("made", T("date"), line=3, auto_add=True),
    )
    found = problems(
        spec(entities=[code], surfaces=[S("code_edit", "Code", "edit", "code", "made")]), "warning"
    )
    assert found == [
        (
            52,
            11,
            (
                "field `code` is the primary key, which is set once, on create; the edit form of surface "
                "`code_edit` leaves it out"
            ),
        ),
        (
            53,
            11,
            "field `made` is filled automatically (auto_add); the edit form of surface `code_edit` leaves it out",
        ),
    ]
    assert (
        problems(spec(entities=[code], surfaces=[S("code_new", "Code", "create", "code")]), "warning") == []
    )
    found = problems(
        spec(entities=[ITEM], surfaces=[S("item_new", "Item", "create", "name", "id")]), "warning"
    )
    assert found == [
        (
            53,
            11,
            (
                "field `id` is a generated primary key (uuid pk); the create form of surface "
                "`item_new` leaves it out"
            ),
        )
    ]


def test_names_unique_inside_surfaces_and_integrations():
    section = ir.Section(name="main", fields=(ir.SurfaceField(name="name"),), loc=at(51, 11))
    again = section.model_copy(update={"loc": at(55, 11), "fields": (ir.SurfaceField(name="notes"),)})
    go = ir.SurfaceAction(
        name="go", trigger="click", outcome=ir.Outcome(kind="surface", target="items"), loc=at(57, 10)
    )
    surface = S("items", "Item", "list", line=50).model_copy(
        update={"sections": (section, again), "actions": (go, go.model_copy(update={"loc": at(59, 10)}))}
    )
    found = problems(spec(entities=[ITEM], surfaces=[surface]))
    assert (55, 11, "section `main` is defined twice in surface `items` (first at line 51)") in found
    assert (59, 10, "action `go` is defined twice in surface `items` (first at line 57)") in found
    action = ir.IntegrationAction(
        name="nightly", surface="payment_list", service="bank", operation="list", loc=at(101, 10)
    )
    sync = ir.Sync(
        name="nightly",
        mode="event_driven",
        service="bank",
        operation="list",
        foreign="Remote",
        entity="Payment",
        loc=at(110, 8),
    )
    found = problems(integration_spec(actions=[action], syncs=[sync]))
    assert found == [
        (110, 8, "action or sync `nightly` is defined twice in integration `bank_import` (first at line 101)")
    ]
