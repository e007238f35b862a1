"""How a surface connects to the rest of the app: the page it is, the flows and integration
actions its actions lead to. Shared by the generators that slice surfaces (views, templates)
so that a page's links and its view's redirects cannot disagree.

These are pure functions of the spec, asked at slice time for every surface; they decide no
name that only one generator owns. Names a generator alone decides (view classes, flow routes,
webhook routes, sync commands) come through that generator's artifact instead.
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec, Condition, Surface
from generators.django import naming

FORM_MODES = ("create", "edit", "custom")
"""Surface modes whose page is a form: an action runs on its submit."""


class Redirect(BaseModel):
    """A page to go to: a URL name, with the record's key when the page shows one record."""

    url_name: str
    with_pk: bool = False
    via: str | None = None  # the page of the record this reference attribute holds, not the record's own
    # Who may open it, as access.py names it: (model class or custom view class, operation).
    access: tuple[str, str] | None = None


SURFACE_OPERATIONS = {"list": "list", "view": "read", "create": "create", "edit": "update"}
"""The entity operation a surface's page does (a custom surface has only its own ``permit``)."""


def surface_permits(spec: AppSpec, entity: str) -> dict[str, Condition]:
    """Operation → the ``permit`` line of ``entity``'s surface that does it (at most one surface
    per mode), for the surfaces that have one."""
    return {
        SURFACE_OPERATIONS[s.mode]: s.permit
        for s in spec.surfaces_of(entity)
        if s.permit is not None and s.mode in SURFACE_OPERATIONS
    }


PAGE_OPERATIONS = {
    "list": "list",
    "detail": "read",
    "create": "create",
    "update": "update",
    "delete": "delete",
}
"""The operation (REFERENCE §Access control) each entity page does."""


def entity_page(spec: AppSpec, entity: str, name: str) -> Redirect:
    """The page ``name`` (list, detail, create, update, delete) of ``entity``."""
    names = naming.app_names(spec).entities[entity]
    return Redirect(
        url_name=names.url(name),
        with_pk=name in ("detail", "update", "delete"),
        access=(names.model, PAGE_OPERATIONS[name]),
    )


def surface_page(spec: AppSpec, surface: Surface, entity: str) -> Redirect | None:
    """The page of ``surface`` as seen from a record of ``entity`` (None: no such page)."""
    if surface.mode == "custom":
        names = naming.app_names(spec).customs[surface.name]
        return Redirect(url_name=names.url, access=(names.view, "open"))
    if surface.entity is None or surface.entity not in naming.app_names(spec).entities:
        return None
    name = naming.SURFACE_PAGES[surface.mode]
    if name in ("detail", "update") and surface.entity != entity:
        return None  # another entity's record: which one is unknown
    return entity_page(spec, surface.entity, name)


def flow_url_name(spec: AppSpec, experience: str, step: str | None = None) -> str:
    """``flow-billing`` (the entry URL) or ``flow-billing-step`` (a step, its name the argument)."""
    flow = naming.app_names(spec).flows[experience]
    return flow.step_url if step else flow.url


# ---- integration actions a surface runs


class Binding(BaseModel):
    name: str  # the button's value (``dazzle_action``)
    trigger: str  # click, submit, auto
    action: str  # "<integration>.<action>"
    label: str  # the button's text (templates only)


class ViewBinding(BaseModel):
    """What views.py needs of a binding: no text from the spec."""

    name: str
    trigger: str
    action: str


def action_key(integration: str, action: str) -> str:
    """``<integration>.<action>``: how the runner in ``integrations.py`` names an action or sync."""
    return f"{integration}.{action}"


def surface_bindings(spec: AppSpec, surface: Surface) -> tuple[Binding, ...]:
    """The integration actions a surface runs, and how: a surface action whose outcome names
    the action keeps its trigger and label; an action no surface action names runs on the
    surface's form submit, or from a button on a page without a form (list, view)."""
    out: list[Binding] = []
    named: set[str] = set()
    for sa in surface.actions:
        if sa.outcome.kind == "integration" and sa.outcome.action:
            key = action_key(sa.outcome.target, sa.outcome.action)
            named.add(key)
            # A page without a form (list, view) submits through a button of its own.
            trigger = "click" if sa.trigger == "submit" and surface.mode not in FORM_MODES else sa.trigger
            out.append(
                Binding(
                    name=sa.name, trigger=trigger, action=key, label=sa.label or naming.choice_label(sa.name)
                )
            )
    for integration in spec.integrations:
        for action in integration.actions:
            key = action_key(integration.name, action.name)
            if action.surface == surface.name and key not in named:
                trigger = "submit" if surface.mode in FORM_MODES else "click"
                out.append(
                    Binding(
                        name=f"{integration.name}__{action.name}",
                        trigger=trigger,
                        action=key,
                        label=naming.choice_label(action.name),
                    )
                )
    return tuple(out)


def view_bindings(spec: AppSpec, surface: Surface) -> tuple[ViewBinding, ...]:
    """``surface_bindings`` without the labels: the views slice stays free of spec text."""
    return tuple(
        ViewBinding(name=b.name, trigger=b.trigger, action=b.action) for b in surface_bindings(spec, surface)
    )


# ---- related records on a record's page (REFERENCE §Lists and related records)


class RelatedList(BaseModel):
    """Records of ``child`` whose ``field`` (a ``ref`` to the parent) is the record shown: a
    short list on the parent's view page, under ``key`` in its view's context."""

    key: str
    child: str  # the entity
    field: str  # its ref field back to the parent


def related_lists(spec: AppSpec, parent: str) -> tuple[RelatedList, ...]:
    """The related lists of ``parent``'s view page: one per ``ref <parent>`` field of an entity
    with a list surface, in spec order (none when the parent has no view surface)."""
    if spec.surface_for(parent, "view") is None:
        return ()
    names = naming.app_names(spec).entities
    out = []
    for child in spec.entities:
        if child.name not in names or spec.surface_for(child.name, "list") is None:
            continue
        attrs = naming.field_attrs(child)
        for field in child.fields:
            if field.type.kind == "ref" and field.type.ref == parent:
                key = f"{naming.snake(names[child.name].model)}__{attrs[field.name]}"
                out.append(RelatedList(key=key, child=child.name, field=field.name))
    return tuple(out)


def prefill_fields(spec: AppSpec, entity: str) -> tuple[str, ...]:
    """The ``ref`` fields of ``entity`` a related list's "new" link may fill in: those whose
    target lists ``entity``'s records on its page."""
    found = spec.entity(entity)
    if found is None or spec.surface_for(entity, "list") is None:
        return ()
    return tuple(
        f.name
        for f in found.fields
        if f.type.kind == "ref" and f.type.ref and spec.surface_for(f.type.ref, "view") is not None
    )
