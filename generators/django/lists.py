"""The ``lists`` generator: ``<app>/lists.py`` — what list pages, related lists and references
share: the ``ListPage`` view mixin (search, filters, sorting by any column, pagination), the
``RelatedLists`` and ``Prefill`` mixins of view and create pages, the ``LookupSelect``
widget and its lookup endpoint (``LookupView``, the ``lookup`` URL), and one django-filter
``FilterSet`` per list surface with a ``filter:`` line.

The slice holds no text from the spec: filters are labelled by the models' verbose names, so a
label edit never re-renders this file. Its artifact names the FilterSet classes (for views).

Decisions where the reference is silent (docs/lists.md): a ``date``/``datetime`` filter is a
from–to range (``<field>_after``/``<field>_before``), a ``bool`` filter is any/yes/no; a
reference whose target holds more than ``LOOKUP_ALL`` records the person may read becomes a
search box; choices and lookups offer only the records the person may read.
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec, Entity
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import render
from generators.django.spec_index import indexed

ANY = '"Any"'
LOOKUP_KINDS = ("str", "email")  # what a lookup searches in: short texts


class ListFilters(BaseModel):
    model: str
    class_name: str
    filters: tuple[tuple[str, str, str | None, str | None], ...]  # (attr, kind, choices class, target model)


class Lookup(BaseModel):
    key: str
    model: str
    fields: tuple[str, ...]


class ListsSlice(BaseModel):
    app: str
    filtersets: tuple[ListFilters, ...] = ()
    lookups: tuple[Lookup, ...] = ()


def filter_line(attr: str, kind: str, choices: str | None, target: str | None) -> str:
    """The declaration of one filter in a FilterSet."""
    if kind == "enum":
        call = f"django_filters.ChoiceFilter(choices=models.{choices}.choices, empty_label={ANY})"
    elif kind == "bool":
        call = "django_filters.BooleanFilter(widget=forms.Select(choices=ANY_YES_NO))"
    elif kind in ("date", "datetime"):
        call = 'django_filters.DateFromToRangeFilter(widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}))'
    else:
        model = "get_user_model()" if kind == "user" else f"models.{target}"
        call = (
            f"django_filters.ModelChoiceFilter(queryset=readable_by_request({model}), "
            f"widget=LookupSelect, empty_label={ANY})"
        )
    return f"{attr} = {call}"


def entity_filters(spec: AppSpec, entity: Entity, names: naming.AppNames) -> ListFilters | None:
    listing = spec.surface_for(entity.name, "list")
    if listing is None or not listing.filters:
        return None
    attrs = naming.field_attrs(entity)
    own = names.entities[entity.name]
    found = []
    for item in listing.filters:
        field = entity.field(item.field)
        if field is None:
            continue
        kind = field.type.kind
        target = (
            names.entities[field.type.ref].model
            if kind == "ref" and field.type.ref in names.entities
            else None
        )
        found.append((attrs[field.name], kind, own.choices.get(field.name), target))
    return ListFilters(model=own.model, class_name=naming.filterset_class(own.model), filters=tuple(found))


def lookups(spec: AppSpec, names: naming.AppNames) -> tuple[Lookup, ...]:
    """A lookup for every entity a ``ref`` points at, searching its short text fields."""
    targets = {f.type.ref for e in spec.entities for f in e.fields if f.type.kind == "ref"}
    out = []
    for entity in spec.entities:
        if entity.name in targets and entity.name in names.entities:
            attrs = naming.field_attrs(entity)
            fields = tuple(attrs[f.name] for f in entity.fields if f.type.kind in LOOKUP_KINDS)
            model = names.entities[entity.name].model
            out.append(Lookup(key=model, model=model, fields=fields))
    return tuple(out)


class ListsGenerator(DjangoGenerator):
    name = "lists"
    doc = "Sorting, filters (django-filter), related lists and reference lookups of the pages."
    slice_model = ListsSlice
    templates = "templates/lists"

    def slice(self, spec: AppSpec) -> ListsSlice:
        spec = indexed(spec)
        names = naming.app_names(spec)
        found = (entity_filters(spec, e, names) for e in spec.entities)
        return ListsSlice(
            app=names.app, filtersets=tuple(f for f in found if f is not None), lookups=lookups(spec, names)
        )

    def generate(self, slice: ListsSlice, artifacts) -> Generated:
        filtersets = [
            {
                "class_name": f.class_name,
                "model": f.model,
                "lines": [filter_line(*item) for item in f.filters],
                "attrs": [item[0] for item in f.filters],
            }
            for f in slice.filtersets
        ]
        content = render(
            self.template_dir(),
            "app/lists.py.j2",
            app=slice.app,
            filtersets=filtersets,
            lookups=[(lk.key, lk.model, lk.fields) for lk in slice.lookups],
        )
        return Generated(files=[GeneratedFile(f"{slice.app}/lists.py", content)])
