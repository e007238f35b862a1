"""The Django stack's own rules for ``dazzle check``: names the generated app cannot use.

Registered under the entry-point group ``dazzle.checks`` (``django.names``), so the front end
runs it for projects that build with Django without importing this stack.
"""

from __future__ import annotations

from collections.abc import Iterator

from dazzle.ir import AppSpec
from dazzle.ir.diagnostics import Diagnostic
from dazzle.plugins import StackCheck
from generators.django import naming

# The generated models module imports these: a model class of that name would shadow it.
MODELS_MODULE_IMPORTS = ("models", "decimal", "uuid")


class DjangoNames(StackCheck):
    name = "names"
    stack = "django"

    def check(self, spec: AppSpec) -> Iterator[Diagnostic]:
        generated = {
            module: f"the `{module}` module that the generated models.py imports"
            for module in MODELS_MODULE_IMPORTS
        }
        for entity in spec.entities:
            for field in entity.fields:
                if field.type.kind == "enum":
                    generated[naming.choices_class(entity, field)] = (
                        f"the choices class of enum field `{field.name}` of entity `{entity.name}`"
                    )
        for entity in spec.entities:
            if entity.name in generated:
                yield Diagnostic(
                    f"entity name `{entity.name}` clashes with {generated[entity.name]}", loc=entity.loc
                )
