"""The ``admin`` generator: a registered admin per entity, columns from the list surface,
search, filters, read-only auto fields — and a slice that ignores labels and titles."""

from __future__ import annotations

import ast

from dazzle.ir import AppSpec, Section, SurfaceField
from generators.django.admin import AdminGenerator
from tests.django.web_specs import every_type, helpdesk


def admins(spec: AppSpec) -> dict[str, dict]:
    """Admin class name → {"model": registered model, option: value}."""
    gen = AdminGenerator()
    [file] = gen.generate(gen.slice(spec), {}).files
    assert file.path == f"{spec.app.name}/admin.py"
    out = {}
    for node in ast.parse(file.content).body:
        if isinstance(node, ast.ClassDef):
            [decorator] = node.decorator_list
            options = {
                ast.unparse(s.targets[0]): ast.literal_eval(s.value)
                for s in node.body
                if isinstance(s, ast.Assign)
            }
            out[node.name] = {"model": ast.unparse(decorator), **options}
    return out


def test_every_entity_is_registered():
    found = admins(every_type())
    assert {k: v["model"] for k, v in found.items()} == {
        "OwnerAdmin": "admin.register(models.Owner)",
        "ThingAdmin": "admin.register(models.Thing)",
        "BareAdmin": "admin.register(models.Bare)",  # no surface at all: still in the admin
    }


def test_options_follow_the_list_surface_and_the_field_types():
    case = admins(helpdesk())["CaseAdmin"]
    assert case["list_display"] == ["subject", "state", "severity", "customer", "owner", "opened"]
    assert case["search_fields"] == ["subject", "body"]
    # No reference filters: they would list every row of the target.
    assert case["list_filter"] == ["state", "severity", "opened", "touched"]
    assert case["list_select_related"] == ["customer", "owner"]
    assert case["autocomplete_fields"] == ["customer", "opened_by", "owner"]
    assert case["readonly_fields"] == ["id", "opened", "touched"]
    assert case["date_hierarchy"] == "opened"


def test_without_a_list_surface_the_first_fields_are_shown():
    reply = admins(helpdesk())["ReplyAdmin"]
    assert reply["list_display"] == ["case", "author", "internal"]  # no uuid key, no long text
    assert admins(every_type())["BareAdmin"]["list_display"] == ["title"]


def test_keyword_fields_use_their_safe_attributes():
    thing = admins(every_type())["ThingAdmin"]
    assert "class_field" in thing["list_display"] and "class_field" in thing["search_fields"]
    assert "type" in thing["list_filter"] and "made" in thing["readonly_fields"]


def relabel(spec: AppSpec) -> AppSpec:
    """Every surface label and every entity title changed."""
    surfaces = tuple(
        s.model_copy(
            update={
                "title": "x",
                "sections": tuple(
                    Section(
                        name=sec.name,
                        title="y",
                        fields=tuple(SurfaceField(name=f.name, label="z") for f in sec.fields),
                    )
                    for sec in s.sections
                ),
            }
        )
        for s in spec.surfaces
    )
    entities = tuple(e.model_copy(update={"title": "t"}) for e in spec.entities)
    return spec.model_copy(update={"surfaces": surfaces, "entities": entities})


def test_slice_ignores_labels_and_titles_but_not_columns():
    gen = AdminGenerator()
    spec = helpdesk()
    assert gen.slice(spec).model_dump_json() == gen.slice(relabel(spec)).model_dump_json()
    fewer = tuple(
        s.model_copy(update={"sections": s.sections[:0]}) if s.mode == "list" else s for s in spec.surfaces
    )
    assert gen.slice(spec) != gen.slice(spec.model_copy(update={"surfaces": fewer}))
