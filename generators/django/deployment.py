"""The ``deployment`` generator: what it takes to run the app outside DAZZLE.

``requirements.txt`` (Django 5.2 LTS, gunicorn, whitenoise, with version ranges),
``requirements-postgres.txt`` (adds psycopg; the app runs on SQLite without it), ``Procfile``,
``.python-version``, ``.env.example`` and a ``README.md`` for the generated app (run, test,
customize, deploy; the title escaped for Markdown). With integrations, the README also lists
each service's environment variables, the crontab line of each scheduled sync and the webhook
URLs, and the ``Procfile`` gains a ``worker`` that runs the scheduled syncs. Those commands, schedules and
webhook routes are the ``integrations`` generator's decisions: it reads them from that
generator's artifact (``scheduler``, ``schedules``, ``webhooks``). Its own artifact is empty.
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

AUTH_VARIABLES = {
    "api_key_header": ("API_KEY",),
    "api_key_query": ("API_KEY",),
    "jwt_static": ("TOKEN",),
    "oauth2_legacy": ("TOKEN_URL", "CLIENT_ID", "CLIENT_SECRET", "TOKEN"),
    "oauth2_pkce": ("TOKEN_URL", "CLIENT_ID", "CLIENT_SECRET", "TOKEN"),
    "none": (),
}


def service_variables(service) -> tuple[str, ...]:
    """The environment variables that configure a service's client (``services.py``)."""
    import re

    prefix = re.sub(r"[^0-9A-Za-z]+", "_", service.name).upper()
    return tuple(f"{prefix}_{suffix}" for suffix in ("BASE_URL", "SPEC_URL", *AUTH_VARIABLES[service.auth]))


PYTHON_VERSION = "3.12"
"""Written to ``.python-version``; Django 5.2 supports Python 3.10 to 3.13."""


class DeploymentSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str
    title: str
    project: str
    version: str | None = None
    login_required: bool = True
    api: bool = False  # the django_api stack is on: its packages are required
    service_settings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (service title, its variables)


class DeploymentGenerator(DjangoGenerator):
    name = "deployment"
    doc = "requirements, Procfile, .python-version, .env.example and the app's README"
    slice_model = DeploymentSlice
    templates = "templates/deployment"
    reads = ("integrations",)

    def slice(self, spec: AppSpec) -> DeploymentSlice:
        return DeploymentSlice(
            app=naming.app_package(spec.app.name),
            title=spec.app.label,
            project=spec.name,
            version=spec.version,
            login_required=spec.config.build.login_required,
            api=naming.api_enabled(spec),
            service_settings=tuple((s.label, service_variables(s)) for s in spec.services),
        )

    def generate(self, slice: DeploymentSlice, artifacts: Mapping[str, Any]) -> Generated:
        integrations = artifacts["integrations"]
        files = render_tree(
            self.template_dir(),
            slice.app,
            title=slice.title,
            project=slice.project,
            version=slice.version,
            login_required=slice.login_required,
            api=slice.api,
            project_package=naming.PROJECT_PACKAGE,
            python_version=PYTHON_VERSION,
            django_series="5.2",
            service_settings=slice.service_settings,
            schedules=integrations["schedules"],
            webhooks=[(w["path"], w["secret_env"]) for w in integrations["webhooks"]],
            scheduler=integrations["scheduler"],
            **naming.CUSTOM_PLACES,
        )
        return Generated(files=files)
