"""The validator: every semantic rule of the language reference, over a linked ``AppSpec``.

This module owns the project-wide rules (names unique per kind, entity names no stack can use;
each stack adds its own through a ``StackCheck`` plugin) and runs the parts: ``entities``
(fields, types, modifiers, defaults), ``surfaces`` (surfaces, outcomes, experiences) and
``integrations`` (services, foreign models, integrations). Each rule reports at the most precise
location it has.
"""

from __future__ import annotations

import builtins
import keyword

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic
from dazzle.semantics.validate.entities import check_entity
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


def _entity_name_problem(name: str) -> str | None:
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return "is a Python keyword"
    if hasattr(builtins, name):
        return "is a Python built-in name"
    # Django's model checks E023/E024: the name would collide with the query lookup syntax.
    if name.startswith("_") or name.endswith("_"):
        return "starts or ends with `_`, which Django does not allow in a model name"
    if "__" in name:
        return "contains `__`, which Django does not allow in a model name"
    return None


def _check_entity_names(report: Report) -> None:
    """Entity names become model classes of one Django app: reject those that cannot work."""
    spec = report.spec
    by_model_name: dict[str, ir.Entity] = {}
    for entity in spec.entities:
        problem = _entity_name_problem(entity.name)
        if problem:
            report.error(
                f"entity name `{entity.name}` {problem}; the generated app cannot use it",
                entity.loc,
                hint=f"rename the entity, e.g. `{entity.name.strip('_').capitalize() or 'Item'}Record`",
            )
        # Django names a model by its lower-cased class name: two such names clash in one app.
        model_name = entity.name.lower()
        other = by_model_name.get(model_name)
        if other is not None and other.name != entity.name:
            report.error(
                f"entity `{entity.name}` differs from entity `{other.name}` only in case; Django "
                "cannot have both models in one app",
                entity.loc,
            )
        by_model_name.setdefault(model_name, entity)


def validate(spec: ir.AppSpec) -> list[Diagnostic]:
    """Every error and warning of a linked spec, sorted by file and line."""
    report = Report(spec)
    _check_unique_names(report)
    _check_entity_names(report)
    for entity in spec.entities:
        check_entity(report, entity)
    check_surfaces(report)
    check_experiences(report)
    check_integrations(report)
    return sorted(report.diagnostics, key=Diagnostic.sort_key)
