"""The ``views`` generator: ``<app>/views.py`` — class-based views for the pages the surfaces ask for.

Per entity: a List (paginated, ordered, ``?q=`` search over its text columns), Detail, Create,
Update and Delete (confirmation) view, each only where a surface asks for it (``naming.
entity_pages``); a view per custom surface; and the home page. Where a create or edit form goes
after a submit is decided here: a surface action ``on submit -> surface X`` leads to X's page,
otherwise the record's detail page (or the list, or home).

Each view's first base is the user's mixin of its name in ``<app>/mixins.py``
(``CaseListViewMixin``), looked up by name and an empty class when absent: that file is the
user's and never regenerated, so views added later must work without one.

Views hold no text from the spec: messages use the models' ``verbose_name``, so a title change
re-renders templates and models, never this file.

Artifact (read by ``urls``), plain data: the view classes it wrote, names that never clash —

- ``home``: the home page's view class;
- ``entities``: entity name → {page (list, create, detail, update, delete) → view class}, for
  the entities with pages, in spec order;
- ``customs``: custom surface name → its view class, in spec order.
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec, Entity, Surface
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming, sorting
from generators.django.base import DjangoGenerator
from generators.django.render import py_literal, render
from generators.django.spec_index import indexed
from generators.django.wiring import (
    Redirect,
    RelatedList,
    ViewBinding,
    entity_page,
    prefill_fields,
    related_lists,
    surface_page,
    view_bindings,
)


class FlowTarget(BaseModel):
    """A surface action ``on submit -> experience X [step Y]``: where the saved form goes."""

    experience: str
    step: str | None = None


class RelatedView(BaseModel):
    """What a view page's ``lists.Related`` needs: see ``wiring.related_lists``."""

    key: str
    model: str  # the child's model class
    field: str  # its reference back to the record shown (attribute)
    related_fields: tuple[str, ...] = ()  # references of its columns: fetched in the same query
    order: tuple[str, ...] = ()  # its list surface's `sort:` (else its model's ordering)


class EntityViews(BaseModel):
    name: str
    names: naming.EntityNames
    pages: tuple[str, ...]
    bindings: dict[str, tuple[ViewBinding, ...]] = {}  # page → the integration actions its surface runs
    flows: dict[str, FlowTarget] = {}  # create/update page → the flow its submit enters
    search_fields: tuple[str, ...] = ()
    related_fields: tuple[str, ...] = ()  # refs shown in the list: fetched with select_related
    sort_columns: dict[str, str] = {}  # ?sort= value → order path (sorting.sortable_columns)
    default_sort: tuple[str, ...] = ()  # the list surface's `sort:` line
    filterset: str | None = None  # its FilterSet class in lists.py
    detail_related: tuple[str, ...] = ()  # refs shown on the view page: fetched with select_related
    related_lists: tuple[RelatedView, ...] = ()  # records of other entities shown on the view page
    prefill_fields: tuple[str, ...] = ()  # refs a "new" link may fill in (wiring.prefill_fields)
    create_success: Redirect | None = None
    update_success: Redirect | None = None
    delete_success: Redirect | None = None
    delete_refused: Redirect | None = None


class ViewsSlice(BaseModel):
    app: str
    entities: tuple[EntityViews, ...] = ()
    customs: tuple[str, ...] = ()  # custom surface names
    custom_names: dict[str, naming.CustomNames] = {}
    custom_bindings: dict[str, tuple[ViewBinding, ...]] = {}
    custom_flows: dict[str, FlowTarget] = {}


HOME = Redirect(url_name="home")
HOME_VIEW = "HomeView"


def submit_outcome(spec: AppSpec, surface: Surface | None, entity: str) -> Redirect | None:
    """Where a surface action ``on submit -> surface X`` leads. Outcomes naming experiences
    (``flow_target``) or integrations (``surface_bindings``) are wired separately."""
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


def flow_target(spec: AppSpec, surface: Surface | None) -> FlowTarget | None:
    """The experience a surface's ``on submit`` action enters, if any (and if it exists)."""
    for action in surface.actions if surface is not None else ():
        if (
            action.trigger == "submit"
            and action.outcome.kind == "experience"
            and spec.experience(action.outcome.target) is not None
        ):
            return FlowTarget(experience=action.outcome.target, step=action.outcome.step)
    return None


def bindings_source(bindings) -> str:
    """Python source of a view's ``bindings`` tuple."""
    # Labels stay out of views.py (they live in the templates): results are titled by the action.
    items = [
        f"integrations.Binding({py_literal(b.name)}, {py_literal(b.trigger)}, {py_literal(b.action)})"
        for b in bindings
    ]
    return "(" + "".join(f"\n        {item}," for item in items) + "\n    )"


def first_page(spec: AppSpec, entity: str, pages: tuple[str, ...], order: tuple[str, ...]) -> Redirect:
    for name in order:
        if name in pages:
            return entity_page(spec, entity, name)
    return HOME


def joined_refs(entity: Entity, surface: Surface | None, leave_out: str | None = None) -> tuple[str, ...]:
    """Attributes of the references a surface shows: fetched in the page's query."""
    if surface is None:
        return ()
    attrs = naming.field_attrs(entity)
    return tuple(
        dict.fromkeys(
            attrs[f.name]
            for f in surface.fields
            if f.name != leave_out
            and entity.field(f.name) is not None
            and entity.field(f.name).type.kind in naming.RELATION_KINDS
        )
    )


def related_view(spec: AppSpec, found: RelatedList) -> RelatedView:
    child = spec.entity(found.child)
    listing = spec.surface_for(found.child, "list")
    return RelatedView(
        key=found.key,
        model=naming.app_names(spec).entities[found.child].model,
        field=naming.field_attrs(child)[found.field],
        related_fields=joined_refs(child, listing, leave_out=found.field),
        order=sorting.default_order(spec, child, listing),
    )


def parent_page(spec: AppSpec, entity: Entity) -> Redirect | None:
    """The page of the record a new one belongs to (its first required reference to an entity
    with a view page): where a record without pages of its own goes once saved."""
    attrs = naming.field_attrs(entity)
    for field in entity.fields:
        if field.type.kind == "ref" and field.is_required and spec.surface_for(field.type.ref or "", "view"):
            page = entity_page(spec, field.type.ref, "detail")
            return page.model_copy(update={"via": attrs[field.name]})
    return None


def entity_views(spec: AppSpec, entity: Entity) -> EntityViews | None:
    surfaces = spec.surfaces_of(entity.name)
    pages = naming.entity_pages(s.mode for s in surfaces)
    if not pages:
        return None
    listing = spec.surface_for(entity.name, "list")
    search = naming.search_attrs(entity, [f.name for f in listing.fields]) if listing is not None else ()
    names_ = naming.app_names(spec).entities[entity.name]
    listed = {}
    if listing is not None:
        listed = {
            "sort_columns": sorting.sortable_columns(spec, entity, listing),
            "default_sort": sorting.default_order(spec, entity, listing),
            "filterset": naming.filterset_class(names_.model) if listing.filters else None,
        }
    name, attrs = entity.name, naming.field_attrs(entity)
    by_page = {naming.SURFACE_PAGES[s.mode]: s for s in surfaces if s.mode in naming.SURFACE_PAGES}
    bindings = {p: view_bindings(spec, s) for p, s in by_page.items()}
    flows = {p: flow_target(spec, by_page.get(p)) for p in ("create", "update")}
    return EntityViews(
        name=name,
        names=naming.app_names(spec).entities[name],
        pages=pages,
        bindings={p: b for p, b in bindings.items() if b},
        flows={p: f for p, f in flows.items() if f is not None},
        search_fields=search,
        related_fields=joined_refs(entity, listing),
        detail_related=joined_refs(entity, spec.surface_for(name, "view")),
        related_lists=tuple(related_view(spec, r) for r in related_lists(spec, name)),
        prefill_fields=tuple(attrs[f] for f in prefill_fields(spec, name)) if "create" in pages else (),
        **listed,
        create_success=(
            submit_outcome(spec, spec.surface_for(name, "create"), name)
            or (
                first_page(spec, name, pages, ("detail", "list")) if {"detail", "list"} & set(pages) else None
            )
            or parent_page(spec, entity)
            or HOME
        )
        if "create" in pages
        else None,
        update_success=(
            submit_outcome(spec, spec.surface_for(name, "edit"), name)
            or first_page(spec, name, pages, ("detail", "list", "update"))
        )
        if "update" in pages
        else None,
        delete_success=first_page(spec, name, pages, ("list",)) if "delete" in pages else None,
        delete_refused=first_page(spec, name, pages, ("detail", "update")) if "delete" in pages else None,
    )


class ViewsGenerator(DjangoGenerator):
    name = "views"
    doc = "Class-based views for the pages the surfaces ask for, and the home page."
    slice_model = ViewsSlice
    templates = "templates/views"

    def slice(self, spec: AppSpec) -> ViewsSlice:
        spec = indexed(spec)
        found = (entity_views(spec, e) for e in spec.entities)
        customs = [s for s in spec.surfaces if s.mode == "custom"]
        names = naming.app_names(spec)
        return ViewsSlice(
            app=names.app,
            entities=tuple(v for v in found if v is not None),
            customs=tuple(s.name for s in customs),
            custom_names={s.name: names.customs[s.name] for s in customs},
            custom_bindings={s.name: found for s in customs if (found := view_bindings(spec, s))},
            custom_flows={s.name: flow_target(spec, s) for s in customs if flow_target(spec, s) is not None},
        )

    def generate(self, slice: ViewsSlice, artifacts) -> Generated:
        app = slice.app
        entities = [
            {
                "views": v,
                "model": v.names.model,
                "view": {p: v.names.view(p) for p in v.pages},
                "form": {
                    p: v.names.form("create" if p == "create" else "edit") for p in ("create", "update")
                },
                "template": {p: v.names.template(app, p) for p in v.pages},
                "bindings": {p: bindings_source(b) for p, b in v.bindings.items()},
                "context_object": v.names.context_object,
            }
            for v in slice.entities
        ]
        custom_views = {s: slice.custom_names[s].view for s in slice.customs}
        customs = [
            {
                "view": custom_views[s],
                "form": slice.custom_names[s].form,
                "template": f"{app}/{slice.custom_names[s].template}",
                "url_name": slice.custom_names[s].url,
                "bindings": bindings_source(slice.custom_bindings[s]) if s in slice.custom_bindings else None,
                "submit_runs": any(b.trigger == "submit" for b in slice.custom_bindings.get(s, ())),
                "flow": slice.custom_flows.get(s),
            }
            for s in slice.customs
        ]
        found = slice.entities
        handed = {
            "home": HOME_VIEW,
            "entities": {e["views"].name: e["view"] for e in entities},
            "customs": custom_views,
        }
        content = render(
            self.template_dir(),
            "app/views.py.j2",
            app=app,
            entities=entities,
            customs=customs,
            home_view=HOME_VIEW,
            home_template=f"{app}/home.html",
            mixin_class=naming.mixin_class,
            mixins_module=naming.MIXINS_MODULE,
            views_extra=naming.VIEWS_EXTRA_MODULE,
            any_list=any("list" in v.pages for v in found),
            any_form=any(v.create_success or v.update_success for v in found),
            any_delete=any(v.delete_success for v in found),
            any_bindings=any(v.bindings for v in found) or bool(slice.custom_bindings),
            any_flows=any(v.flows for v in found) or bool(slice.custom_flows),
        )
        return Generated(files=[GeneratedFile(f"{app}/views.py", content)], artifacts=handed)
