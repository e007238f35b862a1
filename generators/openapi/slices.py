"""The slice of the ``openapi.document`` generator: per entity with an API, the names, fields,
rules and the one text of the spec the document shows (``document.entity_doc`` makes it).
Shared by the modules that turn it into the document (``operations``, ``components``)."""

from __future__ import annotations

from generators.django.naming import Frozen
from generators.openapi.columns import Column


class Representation(Frozen):
    fields: tuple[str, ...]  # attributes, in order
    writable: tuple[str, ...] = ()


class EntityDoc(Frozen):
    model: str  # the component names' stem
    segment: str
    pk: str  # the key's attribute: the path parameter
    actions: tuple[str, ...]
    shown: str  # the representation POST and PATCH answer with
    representations: dict[str, Representation]
    columns: dict[str, Column]  # attribute → its facts: every one a representation or filter has
    together: tuple[tuple[str, ...], ...] = ()  # the attributes of each composite unique line
    sort: tuple[str, ...] = ()  # the columns ``?sort=`` takes
    filters: tuple[str, ...] | None = None  # the list's FilterSet's filters (None: no FilterSet)
    visitors: tuple[str, ...] = ()  # the actions someone not signed in may call
    verbose_name: str | None = None  # with a key in a path: its description names the model


class DocumentSlice(Frozen):
    title: str
    version: str
    entities: tuple[EntityDoc, ...] = ()
