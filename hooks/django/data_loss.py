"""Stored data is never dropped silently: what the migrations hook says about changes that
would drop values from the project's local database (REFERENCE 0.2).

``scripts/makemigrations.py`` lists each such change with the rows that hold data there
(``data_loss``): a removed field, a removed entity, a field whose new type cannot hold the
stored values, a removed role whose group has people in it. With data, the change is refused —
named, located in the spec, with ``was`` suggested for what looks like a rename — unless the
build runs with ``--allow-data-loss`` (then it is a warning). Without data it is a warning. A
database that cannot be read counts as holding data: nothing is dropped on a guess.
"""

from __future__ import annotations

from dazzle.ir import AppSpec
from dazzle.ir.diagnostics import Diagnostic
from hooks.django.generated_models import spec_field, spec_location

ALLOW = "build with `--allow-data-loss` to drop them anyway"
UNREADABLE = "the local database could not be read"


def _held(item: dict, unreadable: bool, what: str) -> str:
    """What the database holds there: ``3 rows`` + ``what``, or that it could not be read."""
    rows = None if unreadable else item.get("rows")
    if rows is None:
        return UNREADABLE
    return f"{rows} row{'s' if rows != 1 else ''}{what}"


def _removed_field(spec: AppSpec, models: dict, item: dict, unreadable: bool) -> Diagnostic:
    entity, _ = spec_field(spec, models, item["model"])
    owner = entity.name if entity is not None else item["model"]
    old = item["field"]
    renamed = []
    if entity is not None:
        attrs = models["fields"].get(entity.name, {})
        by_attr = {attr.lower(): name for name, attr in attrs.items()}
        renamed = [entity.field(by_attr[a.lower()]) for a in item.get("added", ()) if a.lower() in by_attr]
    where = renamed[0].loc if renamed else (entity.loc if entity is not None else None)
    if renamed:
        new = renamed[0]
        hint = (
            f"if `{new.name}` is `{old}` renamed, say so and the values move with it: "
            f"`{new.name}: {new.type.written} was {old}`; or {ALLOW}"
        )
    else:
        hint = f"keep the field, or rename it with `was` if it was renamed; or {ALLOW}"
    return Diagnostic(
        f"entity {owner}: field `{old}` is gone from the spec, and dropping its column would lose "
        f"its stored values ({_held(item, unreadable, ' hold a value')})",
        loc=where,
        hint=hint,
    )


def _removed_entity(item: dict, unreadable: bool) -> Diagnostic:
    held = _held(item, unreadable, " stored")
    return Diagnostic(
        f"entity {item['model']} is gone from the spec, and dropping its table would lose its records ({held})",
        hint=f"keep the entity (a renamed entity is a new, empty table); or {ALLOW}",
    )


def _retyped(spec: AppSpec, models: dict, item: dict, unreadable: bool) -> Diagnostic:
    entity, field = spec_field(spec, models, item["model"], item["field"])
    held = _held(item, unreadable, f", e.g. {item.get('example')}")
    return Diagnostic(
        f"entity {entity.name if entity else item['model']}: field `{field.name if field else item['field']}` "
        f"cannot keep its stored values as {item['new']} (was {item['old']}): {held}",
        loc=spec_location(entity, field, "type"),
        hint=f"change the stored values first, or keep the old type; or {ALLOW}",
    )


def _removed_role(spec: AppSpec, item: dict, unreadable: bool) -> Diagnostic:
    people = None if unreadable else item.get("rows")
    if people is None:
        held = UNREADABLE
    else:
        held = f"{people} {'person is' if people == 1 else 'people are'} in it"
    return Diagnostic(
        f"role `{item['role']}` is gone from the spec, and deleting its group would take everyone "
        f"out of it ({held})",
        loc=spec.app.loc,
        hint="keep the role; or build with `--allow-data-loss` to delete the group anyway",
    )


def data_loss(
    spec: AppSpec, models: dict, report: dict, allowed: bool
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(refusals, warnings) for the changes in ``report["data_loss"]``."""
    unreadable = bool(report.get("database_error"))
    refused: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for item in report.get("data_loss", []):
        rows = item.get("rows")
        holds = unreadable or bool(rows)
        if item["change"] == "alter_field" and not holds:
            continue  # every stored value fits the new type
        if item["change"] == "remove_field":
            problem = _removed_field(spec, models, item, unreadable)
        elif item["change"] == "delete_model":
            problem = _removed_entity(item, unreadable)
        elif item["change"] == "remove_role":
            problem = _removed_role(spec, item, unreadable)
        else:
            problem = _retyped(spec, models, item, unreadable)
        if holds and not allowed:
            refused.append(problem)
        elif holds:
            warnings.append(
                Diagnostic(f"{problem.message}: dropped, as --allow-data-loss asks", severity="warning")
            )
        elif item["change"] == "remove_role":
            warnings.append(
                Diagnostic(
                    f"role `{item['role']}` is removed: its group is deleted (nobody is in it in the "
                    f"local database)",
                    severity="warning",
                )
            )
        else:
            what = (
                f"field `{item['field']}` of {item['model']}"
                if "field" in item
                else f"entity {item['model']}"
            )
            warnings.append(
                Diagnostic(
                    f"{what} is dropped from the database (the local database holds no data there)",
                    severity="warning",
                )
            )
    if unreadable and refused:
        refused.append(
            Diagnostic(
                f"could not read the local database: {report['database_error']}",
                hint="make it reachable (DATABASE_URL in .env or the environment) and build again",
            )
        )
    return refused, warnings
