"""The ``static`` generator: ``<app>/static/<app>/style.css`` — one hand-written, responsive
stylesheet — and ``lookup.js``, the search-as-you-type of references with many choices
(``lists.LookupSelect``); neither needs anything from the network, so the app works offline."""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import render


class StaticSlice(BaseModel):
    app: str  # the stylesheet's path is all it depends on


class StaticGenerator(DjangoGenerator):
    name = "static"
    doc = "The app's stylesheet and its reference lookup script."
    slice_model = StaticSlice
    templates = "templates/static"

    def slice(self, spec: AppSpec) -> StaticSlice:
        return StaticSlice(app=naming.app_package(spec.app.name))

    def generate(self, slice: StaticSlice, artifacts) -> Generated:
        folder = f"{slice.app}/static/{slice.app}"
        css = render(self.template_dir(), "app/static/app/style.css.j2", title_comment=f"{slice.app} styles")
        js = render(self.template_dir(), "app/static/app/lookup.js.j2", title_comment=f"{slice.app} lookups")
        return Generated(
            files=[GeneratedFile(f"{folder}/style.css", css), GeneratedFile(f"{folder}/lookup.js", js)]
        )
