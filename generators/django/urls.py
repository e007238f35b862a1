"""The ``urls`` generator: ``<app>/urls.py`` — the home page, each entity's pages, custom surfaces.

URL names are stable and plain (no namespace): ``home``, ``<entity>-list|create|detail|update|
delete`` (``naming.url_name``) and ``surface-<name>`` for custom surfaces. Fixed paths come
before parameterised ones, and keys use a typed converter (``<uuid:pk>``, ``<int:pk>``), so a
malformed id is a 404 rather than a server error.
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.experiences import flow_segment, flow_url_name
from generators.django.integrations import webhook_path
from generators.django.render import py_literal, render
from generators.django.spec_index import indexed
from generators.django.views import HOME_VIEW, custom_view_names

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
    flows: tuple[str, ...] = ()  # experience names
    webhooks: tuple[tuple[str, str], ...] = ()  # (integration, sync) of event-driven syncs


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
            flows=tuple(e.name for e in spec.experiences),
            webhooks=tuple(
                (i.name, s.name) for i in spec.integrations for s in i.syncs if s.mode == "event_driven"
            ),
        )

    def generate(self, slice: UrlsSlice, artifacts) -> Generated:
        patterns = [("", f"views.{HOME_VIEW}.as_view()", "home")]
        # Paths the flows and webhooks own: a custom surface called `flows` moves aside.
        taken: set[str] = {"flows"} if slice.flows else set()
        taken |= {"webhooks"} if slice.webhooks else set()
        for entity in slice.entities:
            segment = naming.url_segment(entity.name)
            taken.add(segment)
            for page in entity.pages:
                path = segment + "/" + _PAGE_PATHS[page].format(conv=entity.converter)
                patterns.append(
                    (
                        path,
                        f"views.{naming.view_class(entity.name, page)}.as_view()",
                        naming.url_name(entity.name, page),
                    )
                )
        custom_views = custom_view_names({e.name: e.pages for e in slice.entities}, slice.customs)
        for surface in slice.customs:
            patterns.append(
                (
                    custom_segment(surface, taken) + "/",
                    f"views.{custom_views[surface]}.as_view()",
                    naming.surface_url_name(surface),
                )
            )
        for experience in slice.flows:
            view = f"flows.FlowView.as_view(flow={py_literal(experience)})"
            segment = "flows/" + flow_segment(experience) + "/"
            patterns.append((segment, view, flow_url_name(experience)))
            patterns.append((segment + "<str:step>/", view, flow_url_name(experience, "step")))
        for integration, sync in slice.webhooks:
            view = f"integrations.SyncWebhookView.as_view(sync={py_literal(integration + '.' + sync)})"
            route = webhook_path(integration, sync).lstrip("/")
            patterns.append((route, view, f"webhook-{integration}-{sync}".replace("_", "-")))
        modules = (
            (["flows"] if slice.flows else []) + (["integrations"] if slice.webhooks else []) + ["views"]
        )
        content = render(self.template_dir(), "app/urls.py.j2", patterns=patterns, modules=modules)
        return Generated(files=[GeneratedFile(f"{slice.app}/urls.py", content)])
