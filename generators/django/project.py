"""The ``project`` generator: the Django project skeleton.

Writes ``manage.py``, the project package (``config/``: ``__init__``, ``urls``, ``wsgi``,
``asgi`` — ``settings.py`` has its own generator), and the app package's ``__init__``,
``apps.py`` and ``migrations/__init__.py``. It reads only the app's name and title. The root
URLconf includes the user's ``<app>/urls_extra.py`` before everything generated, and the
AppConfig registers a system check that warns of a class in ``<app>/mixins.py`` named after no
generated view or form (after a rename in the spec it would silently apply to nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec
from dazzle.plugins import Generated
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import render_tree


class ProjectSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str  # the app package
    title: str  # the app's title, for the admin site and the AppConfig
    api: bool = False  # the django_api stack is on: /api/ leads to <app>/api/urls.py


class ProjectGenerator(DjangoGenerator):
    name = "project"
    doc = "manage.py, the config package (urls, wsgi, asgi) and the app package skeleton"
    slice_model = ProjectSlice
    templates = "templates/project"

    def slice(self, spec: AppSpec) -> ProjectSlice:
        return ProjectSlice(
            app=naming.app_package(spec.app.name), title=spec.app.label, api=naming.api_enabled(spec)
        )

    def generate(self, slice: ProjectSlice, artifacts: Mapping[str, Any]) -> Generated:
        files = render_tree(
            self.template_dir(),
            slice.app,
            title=slice.title,
            api=slice.api,
            api_prefix=naming.API_PREFIX,
            project_package=naming.PROJECT_PACKAGE,
            config_class=naming.app_config_class(slice.app),
            **naming.CUSTOM_PLACES,
        )
        return Generated(files=files)
