"""The base class of the ``openapi`` generators: the stack's name, and source files that
include the helper modules a generator imports from this stack, from ``django_api`` (its plan)
and from the Django stack (its naming), so that a change there re-runs it."""

from __future__ import annotations

from pathlib import Path

from dazzle.plugins import Generator
from generators.django.base import helper_modules

PACKAGES = ("generators.django", "generators.django_api", "generators.openapi")


class OpenApiGenerator(Generator):
    stack = "openapi"

    @classmethod
    def source_files(cls) -> list[Path]:
        return sorted(set(super().source_files()) | set(helper_modules(cls.__module__, PACKAGES)))
