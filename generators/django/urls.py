"""The ``urls`` generator: ``<app>/urls.py`` — the home page, each entity's pages, custom surfaces.

URL names are stable and plain (no namespace): ``home``, ``<entity>-list|create|detail|update|
delete`` (``naming.url_name``) and ``surface-<name>`` for custom surfaces. Fixed paths come
before parameterised ones, and keys use a typed converter (``<uuid:pk>``, ``<int:pk>``), so a
malformed id is a 404 rather than a server error.

The view classes are the ``views`` generator's, the flow routes the ``experiences``' and the
webhook routes the ``integrations``': it reads their artifacts, so editing one of those
generators re-renders this file only when what it hands on changes. Its own artifact is empty.
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import py_literal, render
from generators.django.spec_index import indexed

# Suffix after the entity's segment for each page; ``None`` marks pages keyed by the record.
_PAGE_PATHS = {
    "list": "",
    "create": "new/",
    "detail": "<{conv}:pk>/",
    "update": "<{conv}:pk>/edit/",
    "delete": "<{conv}:pk>/delete/",
}


class EntityRoutes(BaseModel):
    name: str
    pages: tuple[str, ...]
    converter: str


class UrlsSlice(BaseModel):
    app: str
    entities: tuple[EntityRoutes, ...] = ()
    customs: tuple[str, ...] = ()


def custom_segment(surface: str, taken: set[str]) -> str:
    """A custom surface's path segment, never one an entity's pages already use."""
    segment = surface.replace("_", "-")
    while segment in taken:
        segment += "-page"
    taken.add(segment)
    return segment


class UrlsGenerator(DjangoGenerator):
    name = "urls"
    doc = "The app's URL patterns: home, each entity's pages, custom surfaces."
    slice_model = UrlsSlice
    templates = "templates/urls"
    reads = ("views", "experiences", "integrations")

    def slice(self, spec: AppSpec) -> UrlsSlice:
        spec = indexed(spec)
        routes = []
        for entity in spec.entities:
            pages = naming.entity_pages(s.mode for s in spec.surfaces_of(entity.name))
            if pages:
                routes.append(
                    EntityRoutes(name=entity.name, pages=pages, converter=naming.pk_converter(entity))
                )
        return UrlsSlice(
            app=naming.app_package(spec.app.name),
            entities=tuple(routes),
            customs=tuple(s.name for s in spec.surfaces if s.mode == "custom"),
        )

    def generate(self, slice: UrlsSlice, artifacts) -> Generated:
        views, flows, syncs = artifacts["views"], artifacts["experiences"], artifacts["integrations"]
        patterns = [("", f"views.{views['home']}.as_view()", "home")]
        # Paths the flows and webhooks own: a custom surface called `flows` moves aside.
        taken: set[str] = {flows["prefix"]} if flows["flows"] else set()
        taken |= {syncs["webhook_prefix"]} if syncs["webhooks"] else set()
        for entity in slice.entities:
            segment = naming.url_segment(entity.name)
            taken.add(segment)
            for page in entity.pages:
                path = segment + "/" + _PAGE_PATHS[page].format(conv=entity.converter)
                view = views["entities"][entity.name][page]
                patterns.append((path, f"views.{view}.as_view()", naming.url_name(entity.name, page)))
        for surface in slice.customs:
            patterns.append(
                (
                    custom_segment(surface, taken) + "/",
                    f"views.{views['customs'][surface]}.as_view()",
                    naming.surface_url_name(surface),
                )
            )
        for flow in flows["flows"]:
            view = f"{flows['module']}.{flows['view']}.as_view(flow={py_literal(flow['flow'])})"
            patterns.append((flow["path"], view, flow["url_name"]))
            patterns.append((flow["step_path"], view, flow["step_url_name"]))
        for webhook in syncs["webhooks"]:
            view = f"{syncs['module']}.{syncs['webhook_view']}.as_view(sync={py_literal(webhook['sync'])})"
            patterns.append((webhook["path"].lstrip("/"), view, webhook["url_name"]))
        modules = (
            ([flows["module"]] if flows["flows"] else [])
            + ([syncs["module"]] if syncs["webhooks"] else [])
            + ["views"]
        )
        content = render(
            self.template_dir(),
            "app/urls.py.j2",
            patterns=patterns,
            modules=modules,
            urls_extra=naming.URLS_EXTRA_MODULE,
        )
        return Generated(files=[GeneratedFile(f"{slice.app}/urls.py", content)])
