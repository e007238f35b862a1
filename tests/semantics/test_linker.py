"""The module linker on hand-built modules: names, uses, aliases, cycles, the app."""

from __future__ import annotations

import pytest

from dazzle import ir
from dazzle.ir.diagnostics import ProjectError
from dazzle.semantics.linker import link, link_modules


def at(file: str, line: int, column: int = 1) -> ir.Location:
    return ir.Location(file=file, line=line, column=column)


def ref_field(name: str, target: str, file: str, line: int) -> ir.EntityField:
    return ir.EntityField(
        name=name,
        type=ir.FieldType(kind="ref", ref=target, locs={"ref": at(file, line, 12)}),
        loc=at(file, line, 3),
    )


def entity(name: str, file: str, line: int, *fields: ir.EntityField) -> ir.Entity:
    fields = fields or (ir.EntityField(name="label", type=ir.FieldType(kind="str", max_length=20)),)
    return ir.Entity(name=name, fields=fields, loc=at(file, line, 8))


def module(name: str, *, uses=(), app=None, entities=(), surfaces=(), declared=True, file=None) -> ir.Module:
    file = file or f"dsl/{name.replace('.', '/')}.dsl"
    return ir.Module(
        name=name,
        file=file,
        declared=declared,
        uses=tuple(ir.Use(module=m, alias=a, loc=at(file, line, 5)) for m, a, line in uses),
        app=ir.App(name=app, loc=at(file, 3, 5)) if app else None,
        entities=tuple(entities),
        surfaces=tuple(surfaces),
        loc=at(file, 1, 8) if declared else None,
    )


CONFIG = ir.ProjectConfig()


def errors_of(modules, config=CONFIG) -> list:
    return [d for d in link_modules(modules, config)[1] if d.severity == "error"]


def staff() -> ir.Module:
    return module("staff", entities=[entity("Doctor", "dsl/staff.dsl", 5)])


def test_plain_use_resolves_unqualified_and_qualified_names():
    clinic = module(
        "clinic",
        uses=[("staff", None, 2)],
        app="clinic",
        entities=[
            entity(
                "Visit",
                "dsl/clinic.dsl",
                5,
                ref_field("doctor", "Doctor", "dsl/clinic.dsl", 6),
                ref_field("second", "staff.Doctor", "dsl/clinic.dsl", 7),
            )
        ],
    )
    spec = link([clinic, staff()], CONFIG)
    visit = spec.entity("Visit")
    assert [f.type.ref for f in visit.fields] == ["Doctor", "Doctor"]
    assert visit.module == "clinic" and spec.entity("Doctor").module == "staff"
    assert spec.modules == ("clinic", "staff")  # path order
    assert spec.name == "clinic" and spec.app.name == "clinic"
    # locations survive the rewrite
    assert visit.fields[1].type.locs["ref"] == at("dsl/clinic.dsl", 7, 12)
    assert visit.loc == at("dsl/clinic.dsl", 5, 8)


def test_aliased_use_allows_only_the_alias():
    clinic = module(
        "clinic",
        uses=[("staff", "s", 2)],
        app="clinic",
        entities=[entity("Visit", "dsl/clinic.dsl", 5, ref_field("doctor", "s.Doctor", "dsl/clinic.dsl", 6))],
    )
    assert link([clinic, staff()], CONFIG).entity("Visit").fields[0].type.ref == "Doctor"

    bare = clinic.model_copy(
        update={
            "entities": (
                entity("Visit", "dsl/clinic.dsl", 5, ref_field("doctor", "Doctor", "dsl/clinic.dsl", 6)),
            )
        }
    )
    [error] = errors_of([bare, staff()])
    assert "uses as `s`: write `s.Doctor`" in error.message
    assert error.loc == at("dsl/clinic.dsl", 6, 12)

    full = clinic.model_copy(
        update={
            "entities": (
                entity("Visit", "dsl/clinic.dsl", 5, ref_field("d", "staff.Doctor", "dsl/clinic.dsl", 6)),
            )
        }
    )
    [error] = errors_of([full, staff()])
    assert "module `staff` is used as `s`: write `s.Doctor`" in error.message


def test_names_are_not_visible_transitively():
    people = module("people", entities=[entity("Person", "dsl/people.dsl", 4)])
    staff_uses_people = module(
        "staff", uses=[("people", None, 2)], entities=[entity("Doctor", "dsl/staff.dsl", 5)]
    )
    clinic = module(
        "clinic",
        uses=[("staff", None, 2)],
        app="clinic",
        entities=[entity("Visit", "dsl/clinic.dsl", 5, ref_field("who", "Person", "dsl/clinic.dsl", 9))],
    )
    [error] = errors_of([clinic, staff_uses_people, people])
    assert "entity `Person` is defined in module `people` (dsl/people.dsl)" in error.message
    assert "does not use; add `use people`" in error.message
    assert error.loc.line == 9


def test_qualified_name_of_a_module_not_used():
    clinic = module(
        "clinic",
        app="clinic",
        entities=[entity("Visit", "dsl/clinic.dsl", 5, ref_field("d", "staff.Doctor", "dsl/clinic.dsl", 6))],
    )
    [error] = errors_of([clinic, staff()])
    assert "names module `staff`, which module `clinic` does not use; add `use staff`" in error.message


def test_misspelt_names_get_did_you_mean():
    clinic = module(
        "clinic",
        uses=[("staff", "s", 2)],
        app="clinic",
        entities=[
            entity(
                "Visit",
                "dsl/clinic.dsl",
                5,
                ref_field("a", "s.Doctr", "dsl/clinic.dsl", 6),
                ref_field("b", "ss.Doctor", "dsl/clinic.dsl", 7),
                ref_field("c", "Vist", "dsl/clinic.dsl", 8),
            )
        ],
    )
    a, b, c = errors_of([clinic, staff()])
    assert "unknown entity `s.Doctr` in ref (module `staff`); did you mean `s.Doctor`?" in a.message
    assert "unknown module `ss` in `ss.Doctor`" in b.message and "did you mean `s`?" in b.message
    assert "unknown entity `Vist` in ref; did you mean `Visit`?" in c.message


def test_unknown_module_in_use():
    clinic = module("clinic", uses=[("staf", None, 2)], app="clinic")
    [error] = errors_of([clinic, staff()])
    assert "unknown module `staf` in `use`; did you mean `staff`?" in error.message
    assert error.loc == at("dsl/clinic.dsl", 2, 5)


def test_use_cycle_is_listed_once_at_the_first_file():
    a = module("a", uses=[("b", None, 2)], app="a")
    b = module("b", uses=[("c", None, 3)])
    c = module("c", uses=[("a", None, 4)])
    [error] = errors_of([c, b, a])
    assert "cycle of `use` lines: a -> b -> c -> a" in error.message
    assert error.loc == at("dsl/a.dsl", 2, 5)


def test_duplicate_module_names_reported_at_the_second_file():
    one = module("shared", file="dsl/one.dsl", app="x")
    two = module("shared", file="dsl/two.dsl")
    [error] = errors_of([two, one])
    assert error.loc.file == "dsl/two.dsl"
    assert "module `shared`, which dsl/one.dsl already is" in error.message


def test_app_exactly_once_and_in_the_root_module():
    with_app = module("core", app="shop")
    other = module("extra", app="shop2")
    [error] = errors_of([with_app, other])
    assert "a second `app` line" in error.message and error.loc.file == "dsl/extra.dsl"

    [missing] = errors_of([module("core")])
    assert "no `app` line" in missing.message and missing.file == "dsl/core.dsl" and missing.loc is None

    rooted = ir.ProjectConfig(root="main", locs={"project.root": at("dazzle.toml", 4, 1)})
    [wrong_place] = errors_of([module("main"), module("core", app="shop")], rooted)
    assert "`app` must be in the root module `main`" in wrong_place.message

    [bad_root] = errors_of([module("core", app="shop")], ir.ProjectConfig(root="cor", locs=rooted.locs))
    assert "root names module `cor`" in bad_root.message and "did you mean `core`?" in bad_root.message
    assert bad_root.loc == at("dazzle.toml", 4, 1)


def test_project_name_overrides_the_app_name():
    spec = link([module("core", app="shop")], ir.ProjectConfig(name="store", version="2.0"))
    assert spec.name == "store" and spec.version == "2.0" and spec.app.name == "shop"


def test_link_raises_with_every_error():
    a = module("a", uses=[("nope", None, 2), ("zzz", None, 3)], app="a")
    with pytest.raises(ProjectError) as caught:
        link([a], CONFIG)
    assert [d.loc.line for d in caught.value.errors] == [2, 3]


def test_surface_outcomes_and_uses_entity_are_resolved():
    file = "dsl/ui.dsl"
    surface = ir.Surface(
        name="visit_list",
        entity="c.Visit",
        mode="list",
        actions=(
            ir.SurfaceAction(
                name="go",
                trigger="click",
                outcome=ir.Outcome(kind="surface", target="c.visit_new", loc=at(file, 9, 20)),
            ),
        ),
        locs={"entity": at(file, 5, 15)},
        loc=at(file, 4, 9),
    )
    target = ir.Surface(name="visit_new", entity="Visit", mode="create", loc=at("dsl/clinic.dsl", 20, 9))
    ui = module("ui", uses=[("clinic", "c", 2)], surfaces=[surface])
    clinic = module(
        "clinic", app="clinic", entities=[entity("Visit", "dsl/clinic.dsl", 5)], surfaces=[target]
    )
    spec = link([ui, clinic], CONFIG)
    linked = spec.surface("visit_list")
    assert linked.entity == "Visit" and linked.actions[0].outcome.target == "visit_new"
    assert linked.module == "ui"

    wrong_kind = surface.model_copy(update={"entity": "c.visit_new"})
    [error] = errors_of([module("ui", uses=[("clinic", "c", 2)], surfaces=[wrong_kind]), clinic])
    assert "`c.visit_new` in `uses entity` is a surface, not an entity" in error.message
    assert error.loc == at(file, 5, 15)


def test_linking_parsed_modules(tmp_path):
    """Through the real parser: plain and aliased uses, qualified names, locations kept."""
    from dazzle.semantics.frontend import load_project

    (tmp_path / "dsl").mkdir()
    (tmp_path / "dazzle.toml").write_text('[project]\nname = "clinic"\n', encoding="utf-8")
    (tmp_path / "dsl" / "staff.dsl").write_text(
        "entity Doctor:\n  name: str(50) required\n", encoding="utf-8"
    )
    (tmp_path / "dsl" / "rooms.dsl").write_text("entity Room:\n  number: int\n", encoding="utf-8")
    (tmp_path / "dsl" / "app.dsl").write_text(
        "use staff as s\nuse rooms\napp clinic\n\nentity Visit:\n  doctor: ref s.Doctor required\n"
        "  room: ref Room\n  other: ref rooms.Room\n",
        encoding="utf-8",
    )
    spec, warnings = load_project(tmp_path)
    assert warnings == []
    visit = spec.entity("Visit")
    assert [f.type.ref for f in visit.fields] == ["Doctor", "Room", "Room"]
    assert visit.fields[0].type.where("ref") == at("dsl/app.dsl", 6, 15)
    assert spec.modules == ("app", "rooms", "staff")
    assert [e.name for e in spec.entities] == ["Visit", "Room", "Doctor"]
    assert {e.name: e.module for e in spec.entities} == {"Visit": "app", "Room": "rooms", "Doctor": "staff"}


def test_build_spec_of_no_modules_is_an_empty_project(tmp_path):
    from dazzle.semantics.frontend import build_spec

    with pytest.raises(ProjectError) as caught:
        build_spec(tmp_path, CONFIG, [])
    [error] = caught.value.errors
    assert error.message == "empty project: no .dsl files under `./dsl`" and error.file == "./dsl"


def test_build_spec_reports_an_unresolved_name_once(tmp_path):
    """The linker and the validator both see an unknown ref; the user sees it once."""
    from dazzle.semantics.frontend import build_spec

    clinic = module(
        "clinic",
        uses=[("staff", None, 2)],
        app="clinic",
        entities=[entity("Visit", "dsl/clinic.dsl", 5, ref_field("d", "Doctr", "dsl/clinic.dsl", 6))],
    )
    with pytest.raises(ProjectError) as caught:
        build_spec(tmp_path, CONFIG, [clinic, staff()])
    [error] = caught.value.errors
    assert error.message == "unknown entity `Doctr` in ref; did you mean `Doctor`?"
