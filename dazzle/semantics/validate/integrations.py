"""Validation of services, foreign models and integrations (actions, their `call`, parameters
and response maps; syncs with their schedule and `match on` pairs) and of expressions.
"""

from __future__ import annotations

import re

from dazzle import ir
from dazzle.ir.diagnostics import did_you_mean
from dazzle.semantics.validate.entities import check_fields
from dazzle.semantics.validate.report import Report, suffix

EXPRESSION_ROOTS = ("form", "entity", "current_user", "foreign")
USER_ATTRIBUTES = ("id", "username", "email")
INLINE_SPEC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
CRON_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)
CRON_NAMES = {
    "month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "day of week": ("sun", "mon", "tue", "wed", "thu", "fri", "sat"),
}
CRON_ITEM = re.compile(r"^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:/([0-9]+))?$")


def check_service(report: Report, service: ir.Service) -> None:
    if service.spec_kind == "url" and not re.match(r"^https?://[^\s/]+", service.spec):
        report.error(
            f'service `{service.name}`: spec url "{service.spec}" is not an http(s) URL',
            service.where("spec"),
        )
    if service.spec_kind == "inline" and (not INLINE_SPEC_ID.match(service.spec) or ".." in service.spec):
        report.error(
            f'service `{service.name}`: inline spec id "{service.spec}" must be a plain name '
            "(letters, digits, `_`, `-`, `.`): it names specs/<id>.json",
            service.where("spec"),
        )
    keys = [key for key, _ in service.auth_options]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        report.error(
            f"service `{service.name}`: auth_profile option `{key}` is given twice", service.where("auth")
        )


def check_foreign_model(report: Report, foreign: ir.ForeignModel) -> None:
    report.exists(
        report.services,
        "service",
        foreign.service,
        foreign.where("service"),
        f"foreign_model `{foreign.name}`",
    )
    check_fields(report, "foreign model", foreign)
    for field in foreign.fields:
        if field.type.kind == "user":
            report.error(
                f"field `{field.name}` of foreign model `{foreign.name}` is a `user` field: a user of "
                "this app cannot come from a service's records",
                field.where("type"),
                hint="give it the type of the service's own user id, e.g. str(N) or int",
            )
    names = [f.name for f in foreign.fields]
    for i, key in enumerate(foreign.key):
        if key not in names:
            report.error(
                f"key field `{key}` is not a field of foreign model `{foreign.name}`"
                + suffix(did_you_mean(key, names)),
                foreign.where(f"key.{i}"),
            )


def _cron_problem(schedule: str) -> str | None:
    parts = schedule.split()
    if len(parts) != 5:
        return (
            "a cron schedule has 5 fields (minute hour day-of-month month day-of-week), "
            f"this one has {len(parts)}"
        )
    for text, (what, low, high) in zip(parts, CRON_FIELDS):
        names = CRON_NAMES.get(what, ())
        for item in text.split(","):
            match = CRON_ITEM.match(item)
            if not match:
                return f"`{text}` is not a valid cron {what} field"
            if match.group(2) is not None and int(match.group(2)) < 1:
                return f"`{item}`: a cron step (`/N`) must be at least 1"
            bounds = match.group(1).split("-")
            if len(bounds) == 2 and all(b.isdigit() for b in bounds) and int(bounds[0]) > int(bounds[1]):
                return f"`{item}`: a cron range must go from low to high"
            for bound in bounds:
                if bound == "*":
                    continue
                if bound.isdigit():
                    if not low <= int(bound) <= high:
                        return f"cron {what} `{bound}` is out of range {low}-{high}"
                elif bound.lower() not in names:
                    return f"`{bound}` is not a valid cron {what}"
    return None


class _IntegrationChecker:
    def __init__(self, report: Report, integration: ir.Integration):
        self.report = report
        self.integration = integration
        self.label = f"integration `{integration.name}`"

    def listed(self, kind: str, name: str, listed: tuple[str, ...], loc) -> None:
        """A service or foreign model used by an action or sync must be in the `uses` lines."""
        table = self.report.services if kind == "service" else self.report.foreign_models
        if name in table and name not in listed:
            self.report.error(
                f"{kind.replace('_', ' ')} `{name}` is not listed in `uses {kind}` of {self.label}",
                loc,
                hint=f"add it to the `uses {kind}` line",
            )

    def expression(
        self, expr: ir.Expression, surface: ir.Surface | None, foreign: ir.ForeignModel | None
    ) -> None:
        if expr.literal is not None or not expr.path:
            return
        root, rest = expr.path[0], expr.path[1:]
        loc = expr.loc
        written = ".".join(expr.path)
        if root not in EXPRESSION_ROOTS:
            self.report.error(
                f"`{written}`: an expression starts with form, entity, current_user or foreign, not `{root}`"
                + suffix(did_you_mean(root, EXPRESSION_ROOTS)),
                loc,
            )
            return
        if not rest:
            self.report.error(f"`{root}` needs a field: write `{root}.<name>`", loc)
            return
        attribute = rest[0]
        if root == "foreign":
            if foreign is _UNKNOWN_FOREIGN:
                return
            if foreign is None:
                self.report.error(
                    f"`{written}`: `foreign` (the response record) exists only inside `map response`", loc
                )
            else:
                self._attribute(
                    attribute, [f.name for f in foreign.fields], f"foreign model `{foreign.name}`", loc
                )
        elif root == "current_user":
            if attribute not in USER_ATTRIBUTES or len(rest) > 1:
                self.report.error(
                    f"`{written}`: the signed-in user has only `current_user.id`, `.username` and `.email`"
                    + suffix(did_you_mean(attribute, USER_ATTRIBUTES)),
                    loc,
                )
        elif surface is not None and root == "form":
            self._attribute(attribute, [f.name for f in surface.fields], f"surface `{surface.name}`", loc)
        elif surface is not None and root == "entity":
            entity = self.report.entities.get(surface.entity) if surface.entity else None
            if surface.entity is None:
                self.report.error(
                    f"`{written}`: surface `{surface.name}` uses no entity, so there is no `entity` record",
                    loc,
                )
            elif entity is not None:
                self._attribute(attribute, [f.name for f in entity.fields], f"entity `{entity.name}`", loc)

    def _attribute(self, name: str, names: list[str], owner: str, loc) -> None:
        if name not in names:
            self.report.error(f"{owner} has no field `{name}`" + suffix(did_you_mean(name, names)), loc)

    def action(self, action: ir.IntegrationAction) -> None:
        report = self.report
        surface = None
        if report.exists(
            report.surfaces, "surface", action.surface, action.where("surface"), "`when surface`"
        ):
            surface = report.surfaces[action.surface]
        if report.exists(report.services, "service", action.service, action.where("service"), "`call`"):
            self.listed("service", action.service, self.integration.services, action.where("service"))
        report.unique(action.params, "parameter", f"action `{action.name}`", name=lambda m: m.target)
        for param in action.params:
            self.expression(param.source, surface, None)
        response = action.response
        if response is None:
            return
        foreign = entity = None
        if report.exists(
            report.foreign_models,
            "foreign model",
            response.foreign,
            response.where("foreign"),
            "`map response`",
        ):
            foreign = report.foreign_models[response.foreign]
            self.listed(
                "foreign_model", response.foreign, self.integration.foreign_models, response.where("foreign")
            )
        if report.exists(
            report.entities, "entity", response.entity, response.where("entity"), "`map response`"
        ):
            entity = report.entities[response.entity]
        report.unique(
            response.fields,
            "mapping of field",
            f"`map response` of action `{action.name}`",
            name=lambda m: m.target,
        )
        for mapping in response.fields:
            if entity is not None:
                self._attribute(
                    mapping.target, [f.name for f in entity.fields], f"entity `{entity.name}`", mapping.loc
                )
            self.expression(mapping.source, surface, foreign if foreign is not None else _UNKNOWN_FOREIGN)

    def sync(self, sync: ir.Sync) -> None:
        report = self.report
        if sync.mode == "scheduled" and sync.schedule is None:
            report.error(
                f'sync `{sync.name}` has `mode: scheduled` but no `schedule: "<cron>"` line',
                sync.where("mode"),
            )
        if sync.schedule is not None:
            if sync.mode != "scheduled":
                report.warning(
                    f"sync `{sync.name}`: `schedule` is only used with `mode: scheduled`",
                    sync.where("schedule"),
                )
            problem = _cron_problem(sync.schedule)
            if problem:
                report.error(
                    f"sync `{sync.name}`: {problem}",
                    sync.where("schedule"),
                    hint='e.g. "30 1 * * *" (01:30 daily)',
                )
        if report.exists(
            report.services, "service", sync.service, sync.where("service"), f"sync `{sync.name}`"
        ):
            self.listed("service", sync.service, self.integration.services, sync.where("service"))
        foreign = entity = None
        if report.exists(
            report.foreign_models, "foreign model", sync.foreign, sync.where("foreign"), f"sync `{sync.name}`"
        ):
            foreign = report.foreign_models[sync.foreign]
            self.listed("foreign_model", sync.foreign, self.integration.foreign_models, sync.where("foreign"))
        if report.exists(report.entities, "entity", sync.entity, sync.where("entity"), "`into entity`"):
            entity = report.entities[sync.entity]
        for pair in sync.match:
            if foreign is not None:
                names = [f.name for f in foreign.fields]
                self._attribute(
                    pair.foreign_field, names, f"foreign model `{foreign.name}`", pair.where("foreign_field")
                )
            if entity is not None:
                names = [f.name for f in entity.fields]
                self._attribute(
                    pair.entity_field, names, f"entity `{entity.name}`", pair.where("entity_field")
                )

    def run(self) -> None:
        integration, report = self.integration, self.report
        for i, name in enumerate(integration.services):
            report.exists(
                report.services, "service", name, integration.where(f"services.{i}"), "`uses service`"
            )
        for i, name in enumerate(integration.foreign_models):
            loc = integration.where(f"foreign_models.{i}")
            report.exists(report.foreign_models, "foreign model", name, loc, "`uses foreign_model`")
        report.unique(list(integration.actions) + list(integration.syncs), "action or sync", self.label)
        for action in integration.actions:
            self.action(action)
        for sync in integration.syncs:
            self.sync(sync)


# Inside a `map` whose foreign model is unknown (already reported), `foreign.x` is not checked further.
_UNKNOWN_FOREIGN = ir.ForeignModel.trusted(name="", service="")


def check_integrations(report: Report) -> None:
    for service in report.spec.services:
        check_service(report, service)
    for foreign in report.spec.foreign_models:
        check_foreign_model(report, foreign)
    for integration in report.spec.integrations:
        _IntegrationChecker(report, integration).run()
