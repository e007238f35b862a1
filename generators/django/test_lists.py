"""What the generated list tests check (used by the ``tests`` generator), worked out from the
spec (REFERENCE §Lists and related records), not from the generated views:

- every column of a list sorts both ways (one order the exact reverse of the other: the key
  breaks ties in the same direction), and a ``sort:`` line is the order of an unsorted list;
- each ``filter:`` field narrows the list to the matching record;
- a view page lists the records that refer to it (and not another's), with a "new" link that
  fills the reference in, and the create page it opens returns to the record once saved;
- list pages, view pages with related lists and admin changelists make as many queries with
  50 rows as with one.

Sources are Python snippets for the template: rows are made by the ``make_<entity>()`` helpers
of ``support.py``, with every reference a page shows filled in, so that a query per row shows.
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec, Entity, Surface
from generators.django import naming, sorting
from generators.django.test_values import TestPlanner
from generators.django.wiring import related_lists

ROOM = 1000
"""Distinct made values a unique field needs for the query counts' rows (50 a test, and more)."""


def made_values(field) -> int:
    """How many distinct values ``support.py`` makes for a field (see ``test_values.made_value``)."""
    kind = field.type.kind
    if kind in ("bool", "enum"):
        return 1  # unique ones are "few"; others always get the same value
    if kind == "str":
        return 10 ** min(field.type.max_length or 0, 9)
    if kind == "decimal":
        whole = (field.type.max_digits or 0) - (field.type.decimal_places or 0)
        return 10 ** min(whole, 9) if whole >= 1 else 10 ** (field.type.decimal_places or 0)
    return 10**9


COMPARED_KINDS = ("str", "email", "int", "decimal", "date", "datetime", "bool")
"""Types whose made values Python orders as the database does (made texts are digits)."""


class QueryCase(BaseModel):
    test: str  # the test method's name
    url: str  # source of the page's URL (``parent`` is made first when ``parent`` is set)
    make: str  # source making one more row
    parent: str | None = None
    admin: bool = False


class SortCase(BaseModel):
    test: str
    url_name: str
    make: str
    columns: tuple[str, ...]
    compared: tuple[str, ...] = ()  # columns whose stored values compare as the database sorts them
    model: str
    default: tuple[str, ...] = ()  # the `sort:` line's order paths


class FilterCase(BaseModel):
    test: str
    url_name: str
    model: str
    make: str
    attr: str
    first: str  # source of the wanted row's value
    second: str  # another value
    query: str  # source of the GET parameters that ask for ``first``


class RelatedCase(BaseModel):
    test: str
    key: str
    parent_make: str
    parent_url: str  # URL name of the parent's view page
    child_make: str  # source making a child of the row ``parent``
    child_model: str
    attr: str  # the child's reference to the parent
    create_url: str | None = None
    setup: tuple[str, ...] = ()  # lines before the POST data
    items: tuple[str, ...] = ()  # the POST data's items
    in_form: bool = False  # the create form shows the reference


class ListsPlan(BaseModel):
    queries: tuple[QueryCase, ...] = ()
    sorts: tuple[SortCase, ...] = ()
    filters: tuple[FilterCase, ...] = ()
    related: tuple[RelatedCase, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.queries or self.sorts or self.filters or self.related)


def _shown_refs(entity: Entity, surfaces: list[Surface | None], skip: str | None = None) -> list[str]:
    names = []
    for surface in surfaces:
        for f in surface.fields if surface is not None else ():
            field = entity.field(f.name)
            if field is not None and field.type.kind in naming.RELATION_KINDS and f.name != skip:
                names.append(f.name)
    return list(dict.fromkeys(names))


class ListsPlanner:
    def __init__(self, spec: AppSpec, planner: TestPlanner):
        self.spec, self.planner = spec, planner
        self.names = naming.app_names(spec)

    def make(self, entity: Entity, fill: list[str], given: dict[str, str] | None = None) -> str:
        """A ``make_<entity>(...)`` call with the references ``fill`` names made too."""
        attrs = naming.field_attrs(entity)
        args = dict(given or {})
        for name in fill:
            field = entity.field(name)
            if attrs[name] in args or field is None:
                continue
            if field.type.kind == "user":
                args[attrs[name]] = "new_user()"
            elif field.type.ref != entity.name and field.type.ref in self.names.entities:
                target = self.spec.entity(field.type.ref)
                if target is not None and self.planner.makeable(target):
                    args[attrs[name]] = f"{self.names.entities[target.name].maker}()"
        keywords = ", ".join(f"{k}={v}" for k, v in args.items() if k.isidentifier())
        return f"{self.names.entities[entity.name].maker}({keywords})"

    def plan(self) -> ListsPlan:
        queries, sorts, filters, related = [], [], [], []
        app = self.names.app
        for entity in self.spec.entities:
            if entity.name not in self.names.entities or not self.many(entity):
                continue
            own = self.names.entities[entity.name]
            listing = self.spec.surface_for(entity.name, "list")
            view = self.spec.surface_for(entity.name, "view")
            row = self.make(entity, _shown_refs(entity, [listing, view]))
            stem = own.stem
            admin_url = f'reverse("admin:{app}_{own.model_name}_changelist")'
            queries.append(
                QueryCase(test=f"test_{stem}_admin_changelist", url=admin_url, make=row, admin=True)
            )
            if listing is not None:
                queries.append(
                    QueryCase(test=f"test_{stem}_list", url=f'reverse("{own.url("list")}")', make=row)
                )
                sorts.append(self.sort_case(entity, listing, row))
                filters += self.filter_cases(entity, listing, row)
            for found in related_lists(self.spec, entity.name):
                case = self.related_case(entity, found)
                if case is not None:
                    related.append(case)
                field = self.spec.entity(found.child).field(found.field)
                if case is not None and not (
                    field.unique or field.unique_nullable
                ):  # else one child a parent
                    queries.append(
                        QueryCase(
                            test=f"test_{stem}_detail_with_{found.key}",
                            parent=self.make(entity, _shown_refs(entity, [view])),
                            url=f'reverse("{own.url("detail")}", args=[parent.pk])',
                            make=case.child_make,
                        )
                    )
        return ListsPlan(
            queries=tuple(queries), sorts=tuple(sorts), filters=tuple(filters), related=tuple(related)
        )

    def many(self, entity: Entity) -> bool:
        """Whether ``ROWS`` rows and more can be made: not when a unique field (or every field
        of a unique constraint) has too few made values — a bool, an enum, a ``str(2)``."""
        maker = self.planner.maker(entity)
        if maker is None or maker.few:
            return False
        if any((f.unique or f.unique_nullable or f.pk) and made_values(f) < ROOM for f in entity.fields):
            return False
        return all(
            any(made_values(entity.field(name)) >= ROOM for name in c.fields if entity.field(name))
            for c in entity.constraints
            if c.kind == "unique"
        )

    def sort_case(self, entity: Entity, listing: Surface, row: str) -> SortCase:
        own = self.names.entities[entity.name]
        return SortCase(
            test=f"test_{own.stem}_list_sorts",
            url_name=own.url("list"),
            make=row,
            model=own.model,
            columns=tuple(sorting.sortable_columns(self.spec, entity, listing)),
            compared=tuple(
                naming.field_attrs(entity)[f.name]
                for f in listing.fields
                if entity.field(f.name) is not None and entity.field(f.name).type.kind in COMPARED_KINDS
            ),
            default=sorting.default_order(self.spec, entity, listing),
        )

    def filter_cases(self, entity: Entity, listing: Surface, row: str) -> list[FilterCase]:
        own = self.names.entities[entity.name]
        attrs = naming.field_attrs(entity)
        out = []
        for item in listing.filters:
            field = entity.field(item.field)
            if field is None:
                continue
            attr, kind = attrs[field.name], field.type.kind
            if kind == "enum":
                if len(field.type.enum_values) < 2:
                    continue
                first, second = (repr(v) for v in field.type.enum_values[:2])
                query = f"{{{attr!r}: first}}"
            elif kind == "bool":
                first, second, query = "True", "False", f'{{{attr!r}: "true"}}'
            elif kind == "date":
                first, second = "datetime.date(2021, 1, 1)", "datetime.date(2020, 1, 1)"
                query = f'{{"{attr}_after": "2020-06-01"}}'
            elif kind == "datetime":
                first = "timezone.make_aware(datetime.datetime(2021, 1, 1, 12))"
                second = "timezone.make_aware(datetime.datetime(2020, 1, 1, 12))"
                query = f'{{"{attr}_after": "2020-06-01"}}'
            elif kind == "user":
                first, second, query = "new_user()", "new_user()", f"{{{attr!r}: str(first.pk)}}"
            else:
                target = self.spec.entity(field.type.ref or "")
                if (
                    target is None
                    or not self.planner.makeable(target)
                    or target.name not in self.names.entities
                ):
                    continue
                maker = self.names.entities[target.name].maker
                first, second, query = f"{maker}()", f"{maker}()", f"{{{attr!r}: str(first.pk)}}"
            out.append(
                FilterCase(
                    test=f"test_{own.stem}_list_filters_by_{attr}",
                    url_name=own.url("list"),
                    model=own.model,
                    make=row,
                    attr=attr,
                    first=first,
                    second=second,
                    query=query,
                )
            )
        return out

    def related_case(self, parent: Entity, found) -> RelatedCase | None:
        child = self.spec.entity(found.child)
        if child is None or not self.many(child):
            return None
        names = self.names.entities
        attrs = naming.field_attrs(child)
        attr = attrs[found.field]
        listing = self.spec.surface_for(child.name, "list")
        child_make = self.make(child, _shown_refs(child, [listing], skip=found.field), {attr: "parent"})
        create = self.spec.surface_for(child.name, "create")
        values = {}
        if create is not None:
            fields = naming.form_field_names(child, "create", [f.name for f in create.fields])
            form = self.planner.form(child, fields, "valid")
            values = {
                "create_url": names[child.name].url("create"),
                "setup": tuple(form.setup),
                "items": tuple(form.items),
                "in_form": found.field in fields,
            }
        return RelatedCase(
            test=f"test_{names[parent.name].stem}_shows_{found.key}",
            key=found.key,
            parent_make=f"{names[parent.name].maker}()",
            parent_url=names[parent.name].url("detail"),
            child_make=child_make,
            child_model=names[child.name].model,
            attr=attr,
            **values,
        )


def lists_plan(spec: AppSpec, planner: TestPlanner) -> ListsPlan:
    return ListsPlanner(spec, planner).plan()
