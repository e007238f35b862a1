"""The ``django_api`` stack's own rule for ``dazzle check``: it adds the API to the project the
``django`` stack builds (``<app>/api/`` uses the models, the rules and the list filters of
that project), so it cannot build alone."""

from __future__ import annotations

from collections.abc import Iterator

from dazzle.ir import AppSpec
from dazzle.ir.diagnostics import Diagnostic
from dazzle.plugins import StackCheck

CONFIG_FILE = "dazzle.toml"


class NeedsDjango(StackCheck):
    name = "needs_django"
    stack = "django_api"

    def check(self, spec: AppSpec) -> Iterator[Diagnostic]:
        stacks = spec.config.build.stacks
        if "django" not in stacks:
            listed = ", ".join(f'"{s}"' for s in ("django", *stacks))
            yield Diagnostic(
                "[build] stack in dazzle.toml: the `django_api` stack adds a REST API to the project "
                "the `django` stack builds, and cannot build without it",
                file=CONFIG_FILE,
                hint=f"write stack = [{listed}]",
            )
