"""The base class of the ``django_api`` generators: the stack's name, and source files that
include the helper modules of this stack and of the Django stack a generator imports (its
output follows ``generators.django.naming``, so a change there re-runs it)."""

from __future__ import annotations

from pathlib import Path

from dazzle.plugins import Generator
from generators.django.base import helper_modules

PACKAGES = ("generators.django", "generators.django_api")


class DjangoApiGenerator(Generator):
    stack = "django_api"

    @classmethod
    def source_files(cls) -> list[Path]:
        return sorted(set(super().source_files()) | set(helper_modules(cls.__module__, PACKAGES)))
