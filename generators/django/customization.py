"""The ``customization`` generator: the places made for the user's own code, written once.

Every file it writes is ``user_owned``: the engine creates it when it is missing (the first
build, or after the user deleted it) and never overwrites, merges or removes it. The generated
code picks each one up, so most customization needs no edit of a generated file:

- ``config/settings_extra.py``: star-imported at the end of ``config/settings.py``;
- ``<app>/urls_extra.py``: included by ``config/urls.py`` before every generated route;
- ``<app>/views_extra.py``: the user's own views (routed from ``urls_extra.py``; nothing
  generated imports it, so it may subclass the generated views);
- ``<app>/mixins.py``: a class named after a generated view or form plus ``Mixin`` is mixed
  into it (``views.py`` and ``forms.py`` look the names up, so a missing one is no error);
- ``templates/README.md`` and ``static/.gitkeep``: the folders listed first in ``TEMPLATES``
  ``DIRS`` and in ``STATICFILES_DIRS``, where a file replaces the generated one of its name.

The module and folder names are ``naming``'s. The skeletons' examples name a real page of the
app, its first list page (else the home page), which it reads from the ``views`` artifact. Its
own artifact is empty.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import render


class CustomizationSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str  # the app package: where the modules go, and what the examples are called


def example_page(app: str, views: dict) -> dict:
    """The page the skeletons' examples use: the app's first list page, else the home page."""
    for entity, pages in views["entities"].items():
        if "list" in pages:
            form = next(
                (mode for page, mode in (("create", "create"), ("update", "edit")) if page in pages), None
            )
            return {
                "view": pages["list"],
                "path": naming.url_segment(entity) + "/",
                "url_name": naming.url_name(entity, "list"),
                "template": naming.template_name(app, entity, "list"),
                "form": naming.form_class(entity, form) if form else None,
            }
    home = {"path": "", "url_name": "home", "template": f"{app}/home.html", "form": None}
    return {"view": views["home"], **home}


class CustomizationGenerator(DjangoGenerator):
    name = "customization"
    doc = "The places for your own code, written once: settings_extra, urls_extra, mixins, templates/..."
    slice_model = CustomizationSlice
    templates = "templates/customization"
    reads = ("views",)

    def slice(self, spec: AppSpec) -> CustomizationSlice:
        return CustomizationSlice(app=naming.app_package(spec.app.name))

    def generate(self, slice: CustomizationSlice, artifacts) -> Generated:
        app = slice.app
        targets = {  # template → the file it becomes
            "config/settings_extra.py.j2": f"{naming.PROJECT_PACKAGE}/{naming.SETTINGS_EXTRA_MODULE}.py",
            "app/urls_extra.py.j2": f"{app}/{naming.URLS_EXTRA_MODULE}.py",
            "app/views_extra.py.j2": f"{app}/{naming.VIEWS_EXTRA_MODULE}.py",
            "app/mixins.py.j2": f"{app}/{naming.MIXINS_MODULE}.py",
            "templates/README.md.j2": f"{naming.TEMPLATES_DIR}/README.md",
            "static/.gitkeep.j2": f"{naming.STATIC_DIR}/.gitkeep",
        }
        context = {
            "app": app,
            "example": example_page(app, artifacts["views"]),
            "mixin": naming.mixin_class,
            "project_package": naming.PROJECT_PACKAGE,
            "settings_extra": naming.SETTINGS_EXTRA_MODULE,
            "urls_extra": naming.URLS_EXTRA_MODULE,
            "views_extra": naming.VIEWS_EXTRA_MODULE,
            "mixins": naming.MIXINS_MODULE,
            "templates_dir": naming.TEMPLATES_DIR,
            "static_dir": naming.STATIC_DIR,
        }
        return Generated(
            files=[
                GeneratedFile(target, render(self.template_dir(), source, **context), user_owned=True)
                for source, target in targets.items()
            ]
        )
