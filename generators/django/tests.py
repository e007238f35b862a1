"""The ``tests`` generator: ``<app>/tests.py`` — a Django test module that walks every entity
through the pages its surfaces define.

For each entity with pages: create a record through the create surface's form (valid input for
every field type, referenced rows made first), check that the form holds exactly the surface's
fields and ignores anything else posted, that an enum rejects a value outside it; read it
through the list (with search) and detail pages; edit it through the edit surface; delete it,
and have a referenced row refused with a message; a malformed id is a 404. Then access: pages
need a login when ``[build] login_required`` is on and are public when it is off; the admin is
staff-only.

The Python source of values and assertions is computed by ``test_values``; the template only
lays it out.
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec, Entity, Surface
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import html_text, py_literal, render
from generators.django.spec_index import indexed
from generators.django.test_values import EntityPlan, TestPlanner


class TestsSlice(BaseModel):
    app: str
    login_required: bool
    entities: tuple[Entity, ...]  # all of them: referenced rows need every entity's maker
    plans: tuple[EntityPlan, ...]  # the entities with pages
    customs: tuple[str, ...] = ()  # URL names of custom surfaces' pages


def labels(surface: Surface | None, escaped: dict[str, str]) -> tuple[str, ...]:
    """The field labels and section titles of ``surface`` as its page shows them; ``escaped``
    remembers the escaping of each text, since the same labels recur across entities."""
    if surface is None:
        return ()
    shown = [f.label or f.name for f in surface.fields] + [s.title for s in surface.sections if s.title]
    out = []
    for text in shown:
        html = escaped.get(text)
        if html is None:
            html = escaped[text] = html_text(text)
        out.append(html)
    return tuple(out)


class TestsGenerator(DjangoGenerator):
    name = "tests"
    doc = "A Django test module that drives every entity through its surfaces' pages."
    slice_model = TestsSlice
    templates = "templates/tests"

    def slice(self, spec: AppSpec) -> TestsSlice:
        spec = indexed(spec)
        escaped: dict[str, str] = {}
        plans = []
        for entity in spec.entities:
            surfaces = {s.mode: s for s in spec.surfaces_of(entity.name)}
            pages = naming.entity_pages(surfaces)
            if not pages:
                continue
            names = {mode: [f.name for f in surfaces[mode].fields] for mode in ("create", "edit", "list")
                     if mode in surfaces}
            forms = {mode: naming.form_field_names(entity, mode, names[mode]) for mode in ("create", "edit")
                     if mode in names}
            plans.append(EntityPlan(
                name=entity.name, pages=pages, create_fields=forms.get("create"), edit_fields=forms.get("edit"),
                search=naming.search_attrs(entity, names["list"]) if "list" in names else (),
                # Labels come from the first surface of a mode (``surface_for``), forms from the last.
                list_labels=labels(spec.surface_for(entity.name, "list"), escaped),
                view_labels=labels(spec.surface_for(entity.name, "view"), escaped),
            ))
        # Titles and module names are not read: keep them out so that a title change re-runs nothing.
        entities = tuple(e.model_copy(update={"title": None, "module": ""}) for e in spec.entities)
        return TestsSlice(app=naming.app_package(spec.app.name), login_required=spec.config.build.login_required,
                          entities=entities, plans=tuple(plans),
                          customs=tuple(naming.surface_url_name(s.name) for s in spec.surfaces if s.mode == "custom"))

    def generate(self, slice: TestsSlice, artifacts) -> Generated:
        planner = TestPlanner({e.name: e for e in slice.entities})
        makers = [maker for maker in map(planner.maker, slice.entities) if maker]
        classes = [planner.pages_tests(plan) for plan in slice.plans]
        # Every generated value source, to see which modules they use (repr runs at C speed).
        snippets = repr((makers, classes))
        pages = public_pages(slice.plans) + list(slice.customs)
        content = render(self.template_dir(), "app/tests.py.j2", app=slice.app, makers=makers, classes=classes,
                         login_required=slice.login_required, customs=slice.customs,
                         public_pages=[py_literal(name) for name in pages],
                         linked_pages=[py_literal(name) for name in pages if name != "home"],
                         uses_uuid="uuid." in snippets,
                         admin_pages=[py_literal(f"admin:{slice.app}_{naming.model_class(e.name).lower()}_changelist")
                                      for e in slice.entities],
                         uses_forms=any(c.create or c.edit for c in classes))
        return Generated(files=[GeneratedFile(f"{slice.app}/tests.py", content)])


def public_pages(plans) -> list[str]:
    """URL names that need no record: home, lists, create pages."""
    names = ["home"]
    for plan in plans:
        names += [naming.url_name(plan.name, p) for p in ("list", "create") if p in plan.pages]
    return names
