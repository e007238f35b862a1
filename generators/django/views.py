"""The ``views`` generator: ``<app>/views.py`` — class-based views for the pages the surfaces ask for.

Per entity: a List (paginated, ordered, ``?q=`` search over its text columns), Detail, Create,
Update and Delete (confirmation) view, each only where a surface asks for it (``naming.
entity_pages``); a view per custom surface; and the home page. Where a create or edit form goes
after a submit is decided here: a surface action ``on submit -> surface X`` leads to X's page,
otherwise the record's detail page (or the list, or home).

Views hold no text from the spec: messages use the models' ``verbose_name``, so a title change
re-renders templates and models, never this file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from dazzle.ir import AppSpec, Entity, Surface
from dazzle.plugins import Generated, GeneratedFile, Generator
from generators.django import naming
from generators.django.render import render, with_helpers


class Redirect(BaseModel):
    """A page to go to: a URL name, with the record's key when the page shows one record."""

    url_name: str
    with_pk: bool = False


class EntityViews(BaseModel):
    name: str
    pages: tuple[str, ...]
    search_fields: tuple[str, ...] = ()
    related_fields: tuple[str, ...] = ()  # refs shown in the list: fetched with select_related
    create_success: Redirect | None = None
    update_success: Redirect | None = None
    delete_success: Redirect | None = None
    delete_refused: Redirect | None = None


class ViewsSlice(BaseModel):
    app: str
    entities: tuple[EntityViews, ...] = ()
    customs: tuple[str, ...] = ()  # custom surface names


HOME = Redirect(url_name="home")
HOME_VIEW = "HomeView"


def custom_view_names(entities: dict[str, tuple[str, ...]], customs) -> dict[str, str]:
    """Custom surface → its view class, never the name of another view in the module (a
    surface called ``case_list`` next to an entity ``Case`` with a list page)."""
    taken = {HOME_VIEW} | {naming.view_class(e, p) for e, pages in entities.items() for p in pages}
    out = {}
    for surface in customs:
        name = naming.custom_view_class(surface)
        base, n = name[: -len("View")], 2
        while name in taken:
            name, n = f"{base}Surface{n if n > 2 else ''}View", n + 1
        taken.add(name)
        out[surface] = name
    return out


def page(entity: str, name: str) -> Redirect:
    return Redirect(url_name=naming.url_name(entity, name), with_pk=name in ("detail", "update", "delete"))


def surface_page(spec: AppSpec, surface: Surface, entity: str) -> Redirect | None:
    """The page of ``surface`` as seen from a record of ``entity`` (None: no such page)."""
    if surface.mode == "custom":
        return Redirect(url_name=naming.surface_url_name(surface.name))
    if surface.entity is None:
        return None
    name = naming.SURFACE_PAGES[surface.mode]
    if name in ("detail", "update") and surface.entity != entity:
        return None  # another entity's record: which one is unknown
    return page(surface.entity, name)


def submit_outcome(spec: AppSpec, surface: Surface | None, entity: str) -> Redirect | None:
    """Where a surface action ``on submit -> surface X`` leads. Outcomes naming experiences or
    integrations are wired by a later generator; until then the form submits as usual."""
    if surface is None:
        return None
    for action in surface.actions:
        if action.trigger == "submit" and action.outcome.kind == "surface":
            target = spec.surface(action.outcome.target)
            if target is not None:
                found = surface_page(spec, target, entity)
                if found is not None:
                    return found
    return None


def first_page(entity: str, pages: tuple[str, ...], order: tuple[str, ...]) -> Redirect:
    for name in order:
        if name in pages:
            return page(entity, name)
    return HOME


def entity_views(spec: AppSpec, entity: Entity) -> EntityViews | None:
    surfaces = spec.surfaces_of(entity.name)
    pages = naming.entity_pages(s.mode for s in surfaces)
    if not pages:
        return None
    listing = spec.surface_for(entity.name, "list")
    attrs = naming.field_attrs(entity)
    search, related = (), ()
    if listing is not None:
        names = [f.name for f in listing.fields]
        search = naming.search_attrs(entity, names)
        related = tuple(dict.fromkeys(
            attrs[n] for n in names if entity.field(n) is not None and entity.field(n).type.kind == "ref"
        ))
    name = entity.name
    return EntityViews(
        name=name,
        pages=pages,
        search_fields=search,
        related_fields=related,
        create_success=(submit_outcome(spec, spec.surface_for(name, "create"), name)
                        or first_page(name, pages, ("detail", "list"))) if "create" in pages else None,
        update_success=(submit_outcome(spec, spec.surface_for(name, "edit"), name)
                        or first_page(name, pages, ("detail", "list", "update"))) if "update" in pages else None,
        delete_success=first_page(name, pages, ("list",)) if "delete" in pages else None,
        delete_refused=first_page(name, pages, ("detail", "update")) if "delete" in pages else None,
    )


class ViewsGenerator(Generator):
    name = "views"
    stack = "django"
    doc = "Class-based views for the pages the surfaces ask for, and the home page."
    slice_model = ViewsSlice
    templates = "templates/views"

    @classmethod
    def source_files(cls) -> list[Path]:
        return with_helpers(super().source_files(), naming, render)

    def slice(self, spec: AppSpec) -> ViewsSlice:
        found = (entity_views(spec, e) for e in spec.entities)
        return ViewsSlice(
            app=naming.app_package(spec.app.name),
            entities=tuple(v for v in found if v is not None),
            customs=tuple(s.name for s in spec.surfaces if s.mode == "custom"),
        )

    def generate(self, slice: ViewsSlice, artifacts) -> Generated:
        app = slice.app
        entities = [
            {
                "views": v,
                "model": naming.model_class(v.name),
                "view": {p: naming.view_class(v.name, p) for p in v.pages},
                "form": {p: naming.form_class(v.name, "create" if p == "create" else "edit")
                         for p in ("create", "update")},
                "template": {p: naming.template_name(app, v.name, p) for p in v.pages},
            }
            for v in slice.entities
        ]
        custom_views = custom_view_names({v.name: v.pages for v in slice.entities}, slice.customs)
        customs = [
            {
                "view": custom_views[s],
                "form": naming.custom_form_class(s),
                "template": naming.custom_template_name(app, s),
                "url_name": naming.surface_url_name(s),
            }
            for s in slice.customs
        ]
        found = slice.entities
        content = render(
            self.template_dir(), "app/views.py.j2", app=app, entities=entities, customs=customs,
            home_view=HOME_VIEW, home_template=f"{app}/home.html",
            any_list=any("list" in v.pages for v in found),
            any_search=any(v.search_fields for v in found),
            any_form=any(v.create_success or v.update_success for v in found),
            any_delete=any(v.delete_success for v in found),
        )
        return Generated(files=[GeneratedFile(f"{app}/views.py", content)])
