"""The Django stack's own rules for ``dazzle check``: what the generated app cannot hold.

Registered under the entry-point group ``dazzle.checks`` (``django.names``), so the front end
runs it for projects that build with Django without importing this stack.

Names are not among them: ``naming.app_names`` gives every generated name a form that works
(a model class, a URL, a reverse name in the way of another gets a variant), so no spec the
language accepts is refused for its names. What is left is data Django or its databases cannot
store: an ``int`` default beyond 64 bits, a required enum with no value a form can choose; and,
as warnings, what PostgreSQL refuses (SQLite stores it): long strings, many digits, NUL.
"""

from __future__ import annotations

from collections.abc import Iterator

from dazzle.ir import AppSpec, EntityField
from dazzle.ir.diagnostics import Diagnostic
from dazzle.plugins import StackCheck
from generators.django import reserved


class DjangoNames(StackCheck):
    name = "names"
    stack = "django"

    def check(self, spec: AppSpec) -> Iterator[Diagnostic]:
        for entity in spec.entities:
            for field in entity.fields:
                yield from field_problems(entity.name, field)


def field_problems(entity: str, field: EntityField) -> Iterator[Diagnostic]:
    t = field.type
    where = f"field `{field.name}` of entity `{entity}`"
    if t.kind == "int" and field.default is not None and isinstance(field.default.value, int):
        low, high = reserved.INT64
        if not low <= field.default.value <= high:
            yield Diagnostic(
                f"{where}: the default {field.default.text} does not fit in a 64-bit integer, the "
                "largest whole number a database column holds",
                loc=field.where("default"),
                hint=f"use a default from {low} to {high}, or a decimal field",
            )
    if t.kind == "enum" and field.is_required and t.enum_values and not any(t.enum_values):
        yield Diagnostic(
            f'{where} is required, but its only value is "": a form cannot choose it',
            loc=field.where("type"),
            hint="give the enum a value that is not empty, or make the field optional",
        )
    if t.kind == "str" and t.max_length and t.max_length > reserved.POSTGRES_VARCHAR_MAX:
        yield Diagnostic(
            f"{where}: str({t.max_length}) is longer than PostgreSQL stores in a character column "
            f"({reserved.POSTGRES_VARCHAR_MAX}); the app works on SQLite only",
            loc=field.where("type"),
            severity="warning",
            hint="use `text` for long strings",
        )
    stored = [*(t.enum_values if t.kind == "enum" else ()), *([field.default.text] if field.default else [])]
    if any("\x00" in value for value in stored):
        yield Diagnostic(
            f"{where}: a NUL character in a value the database stores; PostgreSQL cannot store it, "
            "the app works on SQLite only",
            loc=field.where("type"),
            severity="warning",
        )
    if t.kind == "decimal" and t.max_digits and t.max_digits > reserved.POSTGRES_NUMERIC_MAX:
        yield Diagnostic(
            f"{where}: decimal({t.max_digits},{t.decimal_places}) has more digits than PostgreSQL "
            f"stores ({reserved.POSTGRES_NUMERIC_MAX}); the app works on SQLite only",
            loc=field.where("type"),
            severity="warning",
        )
