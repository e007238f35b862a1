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
from generators.django.test_values import EntityPlan, TestPlanner, maker_name


class PageSet(BaseModel):
    """The pages of one entity (what the site tests need of it)."""

    name: str
    pages: tuple[str, ...]


class SiteTests(BaseModel):
    """support.py and test_site.py: every entity (for its maker and admin pages), the pages."""

    app: str
    login_required: bool
    entities: tuple[Entity, ...]
    pages: tuple[PageSet, ...]  # of the entities with pages
    customs: tuple[str, ...] = ()  # URL names of custom surfaces' pages


class ModuleTests(BaseModel):
    """test_<module>.py: the page tests of one DSL module's entities."""

    app: str
    module: str
    file: str
    entities: tuple[Entity, ...]  # the module's entities and every entity their tests reach
    plans: tuple[EntityPlan, ...]


class TestsItem(BaseModel):
    """One task's slice: the site part or one module's part."""

    site: SiteTests | None = None
    module: ModuleTests | None = None


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
    doc = "Django test modules that drive every entity through its surfaces' pages."
    per_item = True
    slice_model = TestsItem
    templates = "templates/tests"

    def slice(self, spec: AppSpec) -> dict[str, TestsItem]:
        spec = indexed(spec)
        escaped: dict[str, str] = {}
        plans = []
        for entity in spec.entities:
            surfaces = {s.mode: s for s in spec.surfaces_of(entity.name)}
            pages = naming.entity_pages(surfaces)
            if not pages:
                continue
            names = {
                mode: [f.name for f in surfaces[mode].fields]
                for mode in ("create", "edit", "list")
                if mode in surfaces
            }
            forms = {
                mode: naming.form_field_names(entity, mode, names[mode])
                for mode in ("create", "edit")
                if mode in names
            }
            plans.append(
                EntityPlan(
                    name=entity.name,
                    module=entity.module,
                    pages=pages,
                    create_fields=forms.get("create"),
                    edit_fields=forms.get("edit"),
                    search=naming.search_attrs(entity, names["list"]) if "list" in names else (),
                    # Labels come from the first surface of a mode (``surface_for``), forms from the last.
                    list_labels=labels(spec.surface_for(entity.name, "list"), escaped),
                    view_labels=labels(spec.surface_for(entity.name, "view"), escaped),
                )
            )
        # Titles and module names are not read: keep them out so that a title change re-runs nothing.
        entities = {e.name: e.replace(title=None, module="") for e in spec.entities}
        app = naming.app_package(spec.app.name)
        items = {
            "site": TestsItem(
                site=SiteTests(
                    app=app,
                    login_required=spec.config.build.login_required,
                    entities=tuple(entities.values()),
                    pages=tuple(PageSet(name=plan.name, pages=plan.pages) for plan in plans),
                    customs=tuple(
                        naming.surface_url_name(s.name) for s in spec.surfaces if s.mode == "custom"
                    ),
                )
            )
        }
        referrers: dict[str, set[str]] = {}
        for entity in entities.values():
            for f in entity.fields:
                if f.type.kind == "ref":
                    referrers.setdefault(f.type.ref or "", set()).add(entity.name)
        for module, file_name in module_files(plans).items():
            own = [plan for plan in plans if plan.module == module]
            reached = reached_entities([plan.name for plan in own], entities, referrers)
            items[file_name.removesuffix(".py")] = TestsItem(
                module=ModuleTests(
                    app=app,
                    module=module,
                    file=file_name,
                    plans=tuple(own),
                    entities=tuple(e for name, e in entities.items() if name in reached),
                )
            )
        return items

    def generate(self, slice: TestsItem, artifacts) -> Generated:
        if slice.site is not None:
            return Generated(files=self.site_files(slice.site))
        assert slice.module is not None
        return Generated(files=[self.module_file(slice.module)])

    def site_files(self, site: SiteTests) -> list[GeneratedFile]:
        planner = TestPlanner({e.name: e for e in site.entities})
        makers = [maker for maker in map(planner.maker, site.entities) if maker]
        pages = public_pages(site.pages) + list(site.customs)
        folder = f"{site.app}/tests"
        return [
            GeneratedFile(f"{folder}/__init__.py", self.render_tests("__init__.py.j2")),
            GeneratedFile(
                f"{folder}/support.py",
                self.render_tests("support.py.j2", makers=makers, uses_uuid="uuid." in repr(makers)),
            ),
            GeneratedFile(
                f"{folder}/{SITE_FILE}",
                self.render_tests(
                    "test_site.py.j2",
                    app=site.app,
                    makers=makers,
                    login_required=site.login_required,
                    customs=site.customs,
                    public_pages=[py_literal(name) for name in pages],
                    linked_pages=[py_literal(name) for name in pages if name != "home"],
                    admin_pages=[
                        py_literal(f"admin:{site.app}_{naming.model_class(e.name).lower()}_changelist")
                        for e in site.entities
                    ],
                ),
            ),
        ]

    def module_file(self, part: ModuleTests) -> GeneratedFile:
        planner = TestPlanner({e.name: e for e in part.entities})
        # The makers live in support.py, made from every entity: name only those this file calls.
        shared = {maker_name(e.name) for e in part.entities} | SUPPORT_NAMES
        body = self.render_tests("classes.py.j2", classes=[planner.pages_tests(plan) for plan in part.plans])
        return GeneratedFile(
            f"{part.app}/tests/{part.file}",
            self.render_tests(
                "test_module.py.j2",
                module=part.module,
                body=body,
                stdlib=[name for name in STDLIB if f"{name}." in body],
                uses_timezone="timezone." in body,
                app_modules=[name for name in ("forms", "models") if f"{name}." in body],
                support_names=sorted(set(_NAMES.findall(body)) & shared),
            ),
        )

    def render_tests(self, template: str, **values) -> str:
        return render(self.template_dir(), f"app/tests/{template}", **values)


# What support.py defines besides the makers, and the modules generated code may use.
SUPPORT_NAMES = frozenset(
    {
        "SERIAL",
        "SignedInTestCase",
        "as_local",
        "form_errors",
        "unique_date",
        "unique_decimal",
        "unique_email",
        "unique_moment",
        "unique_text",
    }
)
STDLIB = ("datetime", "decimal", "uuid")
SITE_FILE = "test_site.py"
_NAMES = re.compile(r"\b(?:make_\w+|" + "|".join(sorted(SUPPORT_NAMES)) + r")\b")  # what a body may use


def reached_entities(
    names: list[str], entities: dict[str, Entity], referrers: dict[str, set[str]]
) -> set[str]:
    """``names`` and every entity their tests reach: the entities that refer to them
    (``referrers``: a referenced row's delete is refused), and whatever any of those refers to,
    transitively (made rows and form input need the rows they point at)."""
    reached = set(names)
    for name in names:
        reached.update(referrers.get(name, ()))
    queue = list(reached)
    while queue:
        entity = entities.get(queue.pop())
        for f in entity.fields if entity is not None else ():
            if f.type.kind == "ref" and f.type.ref not in reached:
                reached.add(f.type.ref or "")
                queue.append(f.type.ref or "")
    return reached


def module_files(plans) -> dict[str, str]:
    """DSL module → the name of its test file (``test_<module>.py``, dots as underscores; a
    module that would get the name of another's file, or of ``test_site.py``, gets a number)."""
    files: dict[str, str] = {}
    for plan in plans:
        if plan.module in files:
            continue
        stem = f"test_{plan.module.replace('.', '_') or 'pages'}"
        name, n = f"{stem}.py", 2
        while name in files.values() or name == SITE_FILE:
            name, n = f"{stem}_{n}.py", n + 1
        files[plan.module] = name
    return files


def public_pages(plans) -> list[str]:
    """URL names that need no record: home, lists, create pages."""
    names = ["home"]
    for plan in plans:
        names += [naming.url_name(plan.name, p) for p in ("list", "create") if p in plan.pages]
    return names
