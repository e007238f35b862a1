"""The ``deployment`` generator: what it takes to run the app outside DAZZLE.

``requirements.txt`` (Django 5.2 LTS, gunicorn, whitenoise, with version ranges),
``requirements-postgres.txt`` (adds psycopg; the app runs on SQLite without it), ``Procfile``,
``.python-version``, ``.env.example`` and a ``README.md`` for the generated app (run, test,
deploy; the title escaped for Markdown).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec
from dazzle.plugins import Generated, Generator
from generators.django import naming
from generators.django.render import render_tree

PYTHON_VERSION = "3.12"
"""Written to ``.python-version``; Django 5.2 supports Python 3.10 to 3.13."""


class DeploymentSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str
    title: str
    project: str
    version: str | None = None
    login_required: bool = True


class DeploymentGenerator(Generator):
    name = "deployment"
    stack = "django"
    doc = "requirements, Procfile, .python-version, .env.example and the app's README"
    slice_model = DeploymentSlice
    templates = "templates/deployment"

    def slice(self, spec: AppSpec) -> DeploymentSlice:
        return DeploymentSlice(
            app=naming.app_package(spec.app.name),
            title=spec.app.label,
            project=spec.name,
            version=spec.version,
            login_required=spec.config.build.login_required,
        )

    def generate(self, slice: DeploymentSlice, artifacts: Mapping[str, Any]) -> Generated:
        files = render_tree(
            self.template_dir(),
            slice.app,
            title=slice.title,
            project=slice.project,
            version=slice.version,
            login_required=slice.login_required,
            project_package=naming.PROJECT_PACKAGE,
            python_version=PYTHON_VERSION,
            django_series="5.2",
        )
        return Generated(files=files)
