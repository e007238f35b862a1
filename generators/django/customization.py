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
app, its first list page (else the home page): its names from ``naming.app_names``, its view
class from the ``views`` artifact. Its own artifact is empty.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import render


class ExamplePage(BaseModel):
    """The page the skeletons' examples use: the app's first list page."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entity: str
    path: str
    url_name: str
    template: str
    form: str | None = None  # the entity's create (else edit) form, if it has one


class CustomizationSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str  # the app package: where the modules go, and what the examples are called
    example: ExamplePage | None = None  # None: the examples use the home page


def example_page(spec: AppSpec) -> ExamplePage | None:
    """The first entity with a list page, with the names of that page (from ``naming``)."""
    names = naming.app_names(spec)
    for entity in spec.entities:
        pages = naming.entity_pages(s.mode for s in spec.surfaces if s.entity == entity.name)
        if "list" in pages:
            own = names.entities[entity.name]
            form = next(
                (mode for page, mode in (("create", "create"), ("update", "edit")) if page in pages), None
            )
            return ExamplePage(
                entity=entity.name,
                path=own.segment + "/",
                url_name=own.url("list"),
                template=own.template(names.app, "list"),
                form=own.form(form) if form else None,
            )
    return None


def example_context(app: str, example: ExamplePage | None, views: dict) -> dict:
    """The example page as the skeletons' templates take it; its view class is the ``views``
    generator's (from its artifact)."""
    if example is None:
        return {
            "view": views["home"],
            "path": "",
            "url_name": "home",
            "template": f"{app}/home.html",
            "form": None,
        }
    return {
        "view": views["entities"][example.entity]["list"],
        "path": example.path,
        "url_name": example.url_name,
        "template": example.template,
        "form": example.form,
    }


class CustomizationGenerator(DjangoGenerator):
    name = "customization"
    doc = "The places for your own code, written once: settings_extra, urls_extra, mixins, templates/..."
    slice_model = CustomizationSlice
    templates = "templates/customization"
    reads = ("views",)

    def slice(self, spec: AppSpec) -> CustomizationSlice:
        return CustomizationSlice(app=naming.app_names(spec).app, example=example_page(spec))

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
            "example": example_context(app, slice.example, artifacts["views"]),
            "mixin": naming.mixin_class,
            "project_package": naming.PROJECT_PACKAGE,
            **naming.CUSTOM_PLACES,
        }
        return Generated(
            files=[
                GeneratedFile(target, render(self.template_dir(), source, **context), user_owned=True)
                for source, target in targets.items()
            ]
        )
