"""The ``urls`` generator: ``<app>/urls.py`` — the home page, each entity's pages, custom surfaces.

URL names are stable and plain (no namespace): ``home``, ``<entity>-list|create|detail|update|
delete`` and ``surface-<name>`` for custom surfaces; they and the path segments come from
``naming.app_names``, so two entities never share a path or a name. Fixed paths come
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
    segment: str
    url_names: dict[str, str]  # page → URL name


class CustomRoute(BaseModel):
    name: str  # the surface
    segment: str
    url_name: str


class UrlsSlice(BaseModel):
    app: str
    entities: tuple[EntityRoutes, ...] = ()
    customs: tuple[CustomRoute, ...] = ()


class UrlsGenerator(DjangoGenerator):
    name = "urls"
    doc = "The app's URL patterns: home, each entity's pages, custom surfaces."
    slice_model = UrlsSlice
    templates = "templates/urls"
    reads = ("views", "experiences", "integrations")

    def slice(self, spec: AppSpec) -> UrlsSlice:
        spec = indexed(spec)
        names = naming.app_names(spec)
        routes = []
        for entity in spec.entities:
            pages = naming.entity_pages(s.mode for s in spec.surfaces_of(entity.name))
            if pages:
                own = names.entities[entity.name]
                routes.append(
                    EntityRoutes(
                        name=entity.name,
                        pages=pages,
                        converter=naming.pk_converter(entity),
                        segment=own.segment,
                        url_names={p: own.url(p) for p in pages},
                    )
                )
        customs = [
            CustomRoute(
                name=s.name, segment=names.customs[s.name].segment, url_name=names.customs[s.name].url
            )
            for s in spec.surfaces
            if s.mode == "custom"
        ]
        return UrlsSlice(app=names.app, entities=tuple(routes), customs=tuple(customs))

    def generate(self, slice: UrlsSlice, artifacts) -> Generated:
        views, flows, syncs = artifacts["views"], artifacts["experiences"], artifacts["integrations"]
        patterns = [("", f"views.{views['home']}.as_view()", "home")]
        for entity in slice.entities:
            for page in entity.pages:
                path = entity.segment + "/" + _PAGE_PATHS[page].format(conv=entity.converter)
                view = views["entities"][entity.name][page]
                patterns.append((path, f"views.{view}.as_view()", entity.url_names[page]))
        for surface in slice.customs:
            view = f"views.{views['customs'][surface.name]}.as_view()"
            patterns.append((surface.segment + "/", view, surface.url_name))
        # References' search-as-you-type (lists.LookupView); its segment is reserved.
        patterns.append((f"{naming.LOOKUP_PREFIX}/<str:key>/", "lists.LookupView.as_view()", "lookup"))
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
            + ["lists", "views"]
        )
        content = render(
            self.template_dir(),
            "app/urls.py.j2",
            patterns=patterns,
            modules=modules,
            urls_extra=naming.URLS_EXTRA_MODULE,
        )
        return Generated(files=[GeneratedFile(f"{slice.app}/urls.py", content)])
