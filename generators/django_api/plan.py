"""What the REST API of a project holds, worked out once from the spec: per entity with
surfaces, its endpoint, the operations its surfaces allow and the fields of each.

The API follows the surfaces exactly as the HTML pages do (``naming.entity_pages``): a list
surface gives ``GET /api/<segment>/`` with the list's columns, a view surface
``GET /api/<segment>/<pk>/`` with the view's fields, a create surface ``POST`` with the create
form's fields (the surface's editable fields and every required one it leaves out), an edit
surface ``PATCH`` with the edit form's, and a view or edit surface ``DELETE``. Property names
are the model attributes (the field names, except where Python or Django reserve one). Every
representation starts with the key, read-only unless a create form sets it.

Read by the ``django_api`` generators (serializers, viewsets, routes, tests) and by the
``openapi`` stack, which describes the same API without Django.
"""

from __future__ import annotations

from dazzle.ir import AppSpec, Entity
from generators.django import naming, sorting

ACTIONS = {  # page (naming.entity_pages) → the viewset action that does it
    "list": "list",
    "detail": "retrieve",
    "create": "create",
    "update": "partial_update",
    "delete": "destroy",
}
OPERATIONS = {  # viewset action → the operation the access rules name
    "list": "list",
    "retrieve": "read",
    "create": "create",
    "partial_update": "update",
    "destroy": "delete",
}
ERRORS = {
    "list": (400, 401, 403, 404),
    "retrieve": (401, 403, 404),
    "create": (400, 401, 403, 415),
    "partial_update": (400, 401, 403, 404, 415),
    "destroy": (401, 403, 404, 409),
}
"""Viewset action → the error statuses it may answer (``rules.ERRORS``, and the ``openapi``
stack's document): a list answers 404 for a ``?page=`` past its last page, as a list page does;
POST and PATCH 415 for a body in a media type they do not read (JSON, forms)."""
SEARCH_PARAM = "q"  # as on the list pages
SEARCH_DOC = "Words that each appear in one of the list's text columns."
SORT_PARAM = "sort"
SORT_DOC = "A column to sort by; a leading - sorts descending."
PAGE_PARAM = "page"
OWN_SEGMENTS = ("token", "schema", "docs")
"""The API's own routes below ``/api/`` (``endpoints/app/api/urls.py.j2``): an entity whose
pages' segment is one of these (an entity ``Doc``: ``/docs/``) gets a numbered variant in the
API (``/api/docs-2/``), where a route of its own would otherwise be shadowed."""


class EntityApi(naming.Frozen):
    name: str  # the entity
    model: str  # its model class
    stem: str  # snake case: the router's basename, test names
    segment: str  # /api/<segment>/
    pk: str  # the key's attribute
    key_type: str = "int"  # int, uuid or str (``naming.pk_converter``: the pages' URL converter)
    actions: tuple[str, ...]  # list, retrieve, create, partial_update, destroy (in that order)
    list_fields: tuple[str, ...] = ()  # attributes, the key first
    detail_fields: tuple[str, ...] = ()
    create_fields: tuple[str, ...] = ()  # what POST accepts (the create form's fields)
    update_fields: tuple[str, ...] = ()  # what PATCH accepts (the edit form's)
    search_fields: tuple[str, ...] = ()  # what ?q= looks in
    sort_columns: dict[str, str] = {}  # ?sort= value → order path
    default_sort: tuple[str, ...] = ()  # the list's `sort:` line (else the model's ordering)
    filterset: str | None = None  # its FilterSet in lists.py (the list page's filters)

    @property
    def shown(self) -> str:
        """The representation POST and PATCH answer with: the view's, else the list's, else
        the create form's, else (an entity with an edit surface alone) the edit form's."""
        if "retrieve" in self.actions:
            return "detail"
        if "list" in self.actions:
            return "list"
        return "create" if "create" in self.actions else "update"

    def representation(self, kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(its fields, those a request may set) of a representation: list, detail, create,
        update. The key comes first, read-only unless the create form sets it."""
        if kind in ("list", "detail"):
            return (self.list_fields if kind == "list" else self.detail_fields), ()
        writable = self.create_fields if kind == "create" else self.update_fields
        return (writable if self.pk in writable else (self.pk, *writable)), writable

    def serializer(self, kind: str) -> str:
        """The serializer class of a representation (detail, list, create, update): its name
        less ``Serializer`` is its schema component (``CaseDetail``)."""
        return f"{self.model}{kind.capitalize()}Serializer"

    def viewset(self) -> str:
        return f"{self.model}ViewSet"


class ApiPlan(naming.Frozen):
    app: str
    entities: tuple[EntityApi, ...] = ()


def key_attr(entity: Entity) -> str:
    return naming.field_attrs(entity)[entity.pk.name] if entity.pk is not None else "id"


def shown_fields(entity: Entity, surface) -> tuple[str, ...]:
    """The key, then the attributes of a list or view surface's fields (in order, once)."""
    attrs = naming.field_attrs(entity)
    found = [key_attr(entity)]
    for item in surface.fields if surface is not None else ():
        if entity.field(item.name) is not None and attrs[item.name] not in found:
            found.append(attrs[item.name])
    return tuple(found)


def form_fields(entity: Entity, mode: str, surface) -> tuple[str, ...]:
    """The attributes of a create or edit form's fields (``naming.form_field_names``)."""
    attrs = naming.field_attrs(entity)
    return tuple(attrs[n] for n in naming.form_field_names(entity, mode, [f.name for f in surface.fields]))


def entity_api(spec: AppSpec, entity: Entity, segment: str | None = None) -> EntityApi | None:
    """The endpoint of ``entity`` (None without surfaces), at ``segment`` (default: its
    pages')."""
    pages = naming.entity_pages(s.mode for s in spec.surfaces_of(entity.name))
    if not pages:
        return None
    names = naming.app_names(spec).entities[entity.name]
    listing = spec.surface_for(entity.name, "list")
    create = spec.surface_for(entity.name, "create")
    edit = spec.surface_for(entity.name, "edit")
    listed = {}
    if listing is not None:
        listed = {
            "list_fields": shown_fields(entity, listing),
            "search_fields": naming.search_attrs(entity, [f.name for f in listing.fields]),
            "sort_columns": sorting.sortable_columns(spec, entity, listing),
            "default_sort": sorting.default_order(spec, entity, listing),
            "filterset": naming.filterset_class(names.model) if listing.filters else None,
        }
    return EntityApi(
        name=entity.name,
        model=names.model,
        stem=names.stem,
        segment=segment or names.segment,
        pk=key_attr(entity),
        key_type=naming.pk_converter(entity),
        actions=tuple(ACTIONS[p] for p in pages),
        detail_fields=shown_fields(entity, spec.surface_for(entity.name, "view"))
        if "detail" in pages
        else (),
        create_fields=form_fields(entity, "create", create) if create is not None else (),
        update_fields=form_fields(entity, "edit", edit) if edit is not None else (),
        **listed,
    )


def api_segments(spec: AppSpec) -> dict[str, str]:
    """Entity → its segment below ``/api/``: its pages' segment, unless that is one of the
    API's ``OWN_SEGMENTS``. The pages' segments are distinct already; a variant is kept apart
    from them too."""
    pages = {e: n.segment for e, n in naming.app_names(spec).entities.items()}
    taken = set(OWN_SEGMENTS)
    return naming.assign(
        list(pages),
        lambda e: naming.numbered(pages[e], then=lambda k: f"{pages[e]}-{k}"),
        taken,
        allowed=lambda e, name: name == pages[e] or name not in pages.values(),
    )


def api_plan(spec: AppSpec) -> ApiPlan:
    segments = api_segments(spec)
    found = (entity_api(spec, e, segments[e.name]) for e in spec.entities)
    return ApiPlan(app=naming.app_package(spec.app.name), entities=tuple(e for e in found if e is not None))
