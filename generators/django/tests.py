"""The ``tests`` generator: ``<app>/tests/`` — Django test modules that walk every entity
through the pages its surfaces define: one ``test_<module>.py`` per DSL module with the page
tests of its entities, ``test_site.py`` (home, custom pages, access rules) and ``support.py``
(made values, a ``make_<entity>()`` helper per entity, the signed-in test case). One file per
module keeps an edit small: a label changed in one module rewrites (and has ruff format) that
module's file only.

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

import re

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
                name=entity.name, module=entity.module, pages=pages, create_fields=forms.get("create"), edit_fields=forms.get("edit"),
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
        pages = public_pages(slice.plans) + list(slice.customs)
        folder = f"{slice.app}/tests"
        files = [
            GeneratedFile(f"{folder}/__init__.py", self.render_tests("__init__.py.j2")),
            GeneratedFile(f"{folder}/support.py", self.render_tests(
                "support.py.j2", makers=makers, uses_uuid="uuid." in repr(makers))),
            GeneratedFile(f"{folder}/test_site.py", self.render_tests(
                "test_site.py.j2", app=slice.app, makers=makers, login_required=slice.login_required,
                customs=slice.customs, public_pages=[py_literal(name) for name in pages],
                linked_pages=[py_literal(name) for name in pages if name != "home"],
                admin_pages=[py_literal(f"admin:{slice.app}_{naming.model_class(e.name).lower()}_changelist")
                             for e in slice.entities])),
        ]
        shared = {maker.name for maker in makers} | SUPPORT_NAMES
        for module, file_name in module_files(slice.plans).items():
            classes = [planner.pages_tests(plan) for plan in slice.plans if plan.module == module]
            body = self.render_tests("classes.py.j2", classes=classes)
            files.append(GeneratedFile(f"{folder}/{file_name}", self.render_tests(
                "test_module.py.j2", module=module, body=body,
                stdlib=[name for name in STDLIB if f"{name}." in body],
                uses_timezone="timezone." in body,
                app_modules=[name for name in ("forms", "models") if f"{name}." in body],
                support_names=sorted(set(_NAMES.findall(body)) & shared))))
        return Generated(files=files)

    def render_tests(self, template: str, **values) -> str:
        return render(self.template_dir(), f"app/tests/{template}", **values)


# What support.py defines besides the makers, and the modules generated code may use.
SUPPORT_NAMES = frozenset({"SERIAL", "SignedInTestCase", "as_local", "form_errors", "unique_date",
                           "unique_decimal", "unique_email", "unique_moment", "unique_text"})
STDLIB = ("datetime", "decimal", "uuid")
_NAMES = re.compile(r"\b(?:make_\w+|unique_\w+|SERIAL|SignedInTestCase|as_local|form_errors)\b")


def module_files(plans) -> dict[str, str]:
    """DSL module → the name of its test file (``test_<module>.py``, dots as underscores; a
    second module that would get the same name gets a number)."""
    files: dict[str, str] = {}
    for plan in plans:
        if plan.module in files:
            continue
        stem = f"test_{plan.module.replace('.', '_') or 'pages'}"
        name, n = f"{stem}.py", 2
        while name in files.values():
            name, n = f"{stem}_{n}.py", n + 1
        files[plan.module] = name
    return files


def public_pages(plans) -> list[str]:
    """URL names that need no record: home, lists, create pages."""
    names = ["home"]
    for plan in plans:
        names += [naming.url_name(plan.name, p) for p in ("list", "create") if p in plan.pages]
    return names
