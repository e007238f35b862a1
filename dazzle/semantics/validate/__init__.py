"""The validator: every semantic rule of the language reference, over a linked ``AppSpec``.

This module owns the project-wide rules (names unique per kind, entity names no stack can use;
each stack adds its own through a ``StackCheck`` plugin) and runs the parts: ``entities``
(fields, types, modifiers, defaults), ``surfaces`` (surfaces, outcomes, experiences),
``integrations`` (services, foreign models, integrations) and ``access`` (roles and ``permit``
conditions). Each rule reports at the most precise location it has.
"""

from __future__ import annotations

import keyword

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic
from dazzle.semantics.validate.access import check_access
from dazzle.semantics.validate.entities import check_entity, check_required_cycles
from dazzle.semantics.validate.integrations import check_integrations
from dazzle.semantics.validate.report import Report, first_at
from dazzle.semantics.validate.surfaces import check_experiences, check_surfaces


def _check_unique_names(report: Report) -> None:
    """Names are unique per kind across the project; entities and foreign models share a kind."""
    spec = report.spec
    data_models = sorted(
        list(spec.entities) + list(spec.foreign_models),
        key=lambda n: (n.loc.file, n.loc.line, n.loc.column) if n.loc else ("", 0, 0),
    )
    first: dict[str, ir.Entity | ir.ForeignModel] = {}
    for node in data_models:
        other = first.setdefault(node.name, node)
        if other is node:
            continue
        word = _word(node)
        if type(other) is type(node):
            message = f"{word} `{node.name}` is defined twice"
        else:
            message = (
                f"{word} `{node.name}` has the name of {_word(other)} `{other.name}`; "
                "entities and foreign models share names"
            )
        report.error(message + first_at(other.loc, node.loc), node.loc)
    report.unique(spec.surfaces, "surface")
    report.unique(spec.experiences, "experience")
    report.unique(spec.services, "service")
    report.unique(spec.integrations, "integration")


def _word(node: ir.Node) -> str:
    return "entity" if isinstance(node, ir.Entity) else "foreign model"


def _check_entity_names(report: Report) -> None:
    """An entity name is a class name in the generated code: the reference rejects a keyword
    (``class``, ``None``), which no stack's language can use as one. Every other identifier
    works; a stack gives a name that its language or framework reserves a safe internal form
    (the Django stack: ``generators/django/naming.py``)."""
    for entity in report.spec.entities:
        if keyword.iskeyword(entity.name):
            report.error(
                f"entity name `{entity.name}` is a Python keyword; the generated app cannot use it",
                entity.loc,
                hint=f"rename the entity, e.g. `{entity.name.capitalize()}Record`",
            )


def validate(spec: ir.AppSpec) -> list[Diagnostic]:
    """Every error and warning of a linked spec, sorted by file and line."""
    report = Report(spec)
    _check_unique_names(report)
    _check_entity_names(report)
    for entity in spec.entities:
        check_entity(report, entity)
    check_required_cycles(report)
    check_surfaces(report)
    check_experiences(report)
    check_integrations(report)
    check_access(report)
    return sorted(report.diagnostics, key=Diagnostic.sort_key)
