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
from generators.django.render import py_literal, render
from generators.django.spec_index import indexed
from generators.django.test_access import AccessPlan, access_plan, visitor_pages
from generators.django.test_lists import ListsPlan, lists_plan
from generators.django.test_values import EntityPlan, TestPlanner


class PageSet(BaseModel):
    """The pages of one entity (what the site tests need of it)."""

    name: str
    pages: tuple[str, ...]


class SiteTests(BaseModel):
    """support.py and test_site.py: every entity (for its maker and admin pages), the pages."""

    app: str
    entities: tuple[Entity, ...]
    names: dict[str, naming.EntityNames]  # of every entity
    pages: tuple[PageSet, ...]  # of the entities with pages
    customs: tuple[str, ...] = ()  # URL names of custom surfaces' pages
    visitor_pages: tuple[str, ...] = ()  # URL names of pages that need no login, sorted
    access: AccessPlan | None = None  # what the spec's `permit` rules call for; None: no rules
    lists: ListsPlan = ListsPlan()  # sorting, filters, related lists, query counts


class ModuleTests(BaseModel):
    """test_<module>.py: the page tests of one DSL module's entities."""

    app: str
    module: str
    file: str
    entities: tuple[Entity, ...]  # the module's entities and every entity their tests reach
    names: dict[str, naming.EntityNames]  # of those entities
    plans: tuple[EntityPlan, ...]


class TestsItem(BaseModel):
    """One task's slice: the site part or one module's part."""

    site: SiteTests | None = None
    module: ModuleTests | None = None


def shown(surface: Surface | None, list_page: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a page of ``surface`` shows as headings: the field labels (the column heads of a
    list, the names on a detail page) and the section titles — as the templates generator lays
    them out: a list with one section has it as the table's caption, with several only those
    with columns get a heading."""
    if surface is None:
        return (), ()
    fields = tuple(f.label or f.name for f in surface.fields)
    sections = [s for s in surface.sections if not list_page or len(surface.sections) == 1 or s.fields]
    return fields, tuple(s.title or s.name for s in sections)


class TestsGenerator(DjangoGenerator):
    name = "tests"
    doc = "Django test modules that drive every entity through its surfaces' pages."
    per_item = True
    slice_model = TestsItem
    templates = "templates/tests"

    def slice(self, spec: AppSpec) -> dict[str, TestsItem]:
        spec = indexed(spec)
        names = naming.app_names(spec)
        plans = []
        for entity in spec.entities:
            surfaces = {s.mode: s for s in spec.surfaces_of(entity.name)}
            pages = naming.entity_pages(surfaces)
            if not pages:
                continue
            fields = {
                mode: [f.name for f in surfaces[mode].fields]
                for mode in ("create", "edit", "list")
                if mode in surfaces
            }
            forms = {
                mode: naming.form_field_names(entity, mode, fields[mode])
                for mode in ("create", "edit")
                if mode in fields
            }
            plans.append(
                EntityPlan(
                    name=entity.name,
                    module=entity.module,
                    pages=pages,
                    create_fields=forms.get("create"),
                    edit_fields=forms.get("edit"),
                    search=naming.search_attrs(entity, fields["list"]) if "list" in fields else (),
                    # Labels come from the first surface of a mode (``surface_for``), forms from the last.
                    **dict(
                        zip(
                            ("list_columns", "list_sections", "view_fields", "view_sections"),
                            shown(spec.surface_for(entity.name, "list"), True)
                            + shown(spec.surface_for(entity.name, "view"), False),
                        )
                    ),
                )
            )
        # Titles and module names are not read: keep them out so that a title change re-runs nothing.
        entities = {e.name: e.replace(title=None, module="") for e in spec.entities}
        app = names.app
        items = {
            "site": TestsItem(
                site=SiteTests(
                    app=app,
                    entities=tuple(entities.values()),
                    names=names.entities,
                    pages=tuple(PageSet(name=plan.name, pages=plan.pages) for plan in plans),
                    customs=tuple(names.customs[s.name].url for s in spec.surfaces if s.mode == "custom"),
                    visitor_pages=tuple(sorted(visitor_pages(spec))),
                    access=access_plan(spec),
                    lists=lists_plan(spec, TestPlanner(entities_of(spec), names.entities)),
                )
            )
        }
        referrers: dict[str, set[str]] = {}
        for entity in entities.values():
            for f in entity.fields:
                if f.type.kind == "ref":
                    referrers.setdefault(f.type.ref or "", set()).add(entity.name)
        for module, file_name in module_files(plans, names).items():
            own = [plan for plan in plans if plan.module == module]
            reached = reached_entities([plan.name for plan in own], entities, referrers)
            items[file_name.removesuffix(".py")] = TestsItem(
                module=ModuleTests(
                    app=app,
                    module=module,
                    file=file_name,
                    plans=tuple(own),
                    entities=tuple(e for name, e in entities.items() if name in reached),
                    names={name: n for name, n in names.entities.items() if name in reached},
                )
            )
        return items

    def generate(self, slice: TestsItem, artifacts) -> Generated:
        if slice.site is not None:
            return Generated(files=self.site_files(slice.site))
        assert slice.module is not None
        return Generated(files=[self.module_file(slice.module)])

    def site_files(self, site: SiteTests) -> list[GeneratedFile]:
        planner = TestPlanner({e.name: e for e in site.entities}, site.names)
        makers = [maker for maker in map(planner.maker, site.entities) if maker]
        pages = public_pages(site.pages, site.names) + list(site.customs)
        folder = f"{site.app}/tests"
        files = []
        if site.lists:
            files.append(
                GeneratedFile(
                    f"{folder}/{LISTS_FILE}", self.render_tests("test_lists.py.j2", plan=site.lists)
                )
            )
        if site.access is not None:
            files.append(
                GeneratedFile(
                    f"{folder}/{ACCESS_FILE}", self.render_tests("test_access.py.j2", plan=site.access)
                )
            )
        return files + [
            GeneratedFile(f"{folder}/__init__.py", self.render_tests("__init__.py.j2")),
            GeneratedFile(
                f"{folder}/support.py",
                self.render_tests(
                    "support.py.j2",
                    makers=makers,
                    uses_uuid="uuid." in repr(makers),
                    uses_few=any(m.few for m in makers),
                    guarded=site.access is not None,
                ),
            ),
            GeneratedFile(
                f"{folder}/{SITE_FILE}",
                self.render_tests(
                    "test_site.py.j2",
                    app=site.app,
                    makers=makers,
                    customs=site.customs,
                    login_pages=[py_literal(name) for name in pages if name not in site.visitor_pages],
                    open_pages=[py_literal(name) for name in pages if name in site.visitor_pages],
                    linked_pages=[py_literal(name) for name in pages if name != "home"],
                    admin_pages=[
                        py_literal(f"admin:{site.app}_{site.names[e.name].model_name}_changelist")
                        for e in site.entities
                    ],
                ),
            ),
        ]

    def module_file(self, part: ModuleTests) -> GeneratedFile:
        planner = TestPlanner({e.name: e for e in part.entities}, part.names)
        # The makers live in support.py, made from every entity: name only those this file calls.
        shared = {part.names[e.name].maker for e in part.entities} | SUPPORT_NAMES
        body = self.render_tests("classes.py.j2", classes=[planner.pages_tests(plan) for plan in part.plans])
        return GeneratedFile(
            f"{part.app}/tests/{part.file}",
            self.render_tests(
                "test_module.py.j2",
                # In a docstring: a file name may hold a quote or a backslash.
                module=part.module.replace("\\", "\\\\").replace('"', '\\"'),
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
        "new_user",
        "as_local",
        "form_errors",
        "texts",
        "unique_date",
        "unique_decimal",
        "unique_email",
        "unique_moment",
        "unique_text",
    }
)
STDLIB = ("datetime", "decimal", "uuid")
SITE_FILE = "test_site.py"
ACCESS_FILE = "test_access.py"
LISTS_FILE = "test_lists.py"
_NAMES = re.compile(r"\b(?:make_\w+|" + "|".join(sorted(SUPPORT_NAMES)) + r")\b")  # what a body may use


def entities_of(spec: AppSpec) -> dict[str, Entity]:
    return {e.name: e for e in spec.entities}


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


def module_files(plans, names: naming.AppNames) -> dict[str, str]:
    """DSL module → the name of its test file (``naming``: ``test_<module>.py``, dots and any
    character a module name cannot hold as underscores, a number against a clash)."""
    return {plan.module: names.test_files[plan.module] for plan in plans}


def public_pages(plans, names: dict[str, naming.EntityNames]) -> list[str]:
    """URL names that need no record: home, lists, create pages."""
    found = ["home"]
    for plan in plans:
        found += [names[plan.name].url(p) for p in ("list", "create") if p in plan.pages]
    return found
