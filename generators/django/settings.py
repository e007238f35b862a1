"""The ``settings`` generator: ``config/settings.py``.

Everything machine-specific (SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL, ...) is read from
the environment or a ``.env`` file at run time, so the file depends only on the app package and
the ``[build]`` options: ``login_required`` adds Django's ``LoginRequiredMiddleware``; the
``django_api`` stack adds Django REST framework, drf-spectacular and their settings.

The user's places come first or last: ``templates/`` and ``static/`` (next to ``manage.py``)
lead ``TEMPLATES`` ``DIRS`` and ``STATICFILES_DIRS``, and ``settings_extra.py`` is
star-imported at the end (the ``customization`` generator writes them once).
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


class SettingsSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str  # the app package
    login_required: bool
    api: bool = False  # the django_api stack is on: DRF, drf-spectacular and their settings
    api_title: str = ""  # the schema's title and version (only with ``api``)
    api_version: str = ""


def api_settings(spec: AppSpec) -> dict:
    if not naming.api_enabled(spec):
        return {}
    return {"api": True, "api_title": f"{spec.app.label} API", "api_version": spec.version or "0.1.0"}


class SettingsGenerator(DjangoGenerator):
    name = "settings"
    doc = "config/settings.py: environment-driven settings, whitenoise, login_required"
    slice_model = SettingsSlice
    templates = "templates/settings"

    def slice(self, spec: AppSpec) -> SettingsSlice:
        return SettingsSlice(
            app=naming.app_package(spec.app.name),
            login_required=spec.config.build.login_required,
            **api_settings(spec),
        )

    def generate(self, slice: SettingsSlice, artifacts: Mapping[str, Any]) -> Generated:
        files = render_tree(
            self.template_dir(),
            slice.app,
            login_required=slice.login_required,
            api=slice.api,
            api_title=slice.api_title,
            api_version=slice.api_version,
            api_prefix=naming.API_PREFIX,
            project_package=naming.PROJECT_PACKAGE,
            **naming.CUSTOM_PLACES,
        )
        return Generated(files=files)
