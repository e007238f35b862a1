"""Validation of access control (0.2): the app's ``roles``, the ``permit`` blocks of entities
and the ``permit`` lines of surfaces.

Roles belong to the app, so any module's entity or surface may name them without a ``use``.
A condition may name only the app's roles, and compare with ``current_user`` only a ``user``
field of the entity it guards (a surface's: the entity it uses). A permit block gives each
operation once. ``anyone``, ``signed_in`` and ``nobody`` may be combined with anything.
"""

from __future__ import annotations

from collections.abc import Iterator

from dazzle import ir
from dazzle.ir.diagnostics import did_you_mean
from dazzle.semantics.validate.report import Report, first_at, suffix


def named_conditions(condition: ir.Condition) -> Iterator[ir.Condition]:
    """The ``role`` and ``field`` conditions inside ``condition``, in source order."""
    if condition.kind in ("and", "or"):
        for part in condition.parts:
            yield from named_conditions(part)
    elif condition.kind in ("role", "field"):
        yield condition


class AccessCheck:
    """The checks of one spec's conditions against its app's roles and its entities' fields."""

    def __init__(self, report: Report):
        self.report = report
        self.app = report.spec.app
        self.roles = list(dict.fromkeys(role.name for role in self.app.roles))
        # Without an `app` line the linker's stand-in (no location) has no roles: the missing
        # app is the error, not every role a condition names.
        self.check_roles = bool(self.roles) or self.app.loc is not None

    def run(self) -> None:
        self.report.unique(self.app.roles, "role", "the app's `roles`")
        for entity in self.report.spec.entities:
            self.entity(entity)
        for surface in self.report.spec.surfaces:
            self.surface(surface)

    def entity(self, entity: ir.Entity) -> None:
        if entity.permit is None:
            return
        first: dict[str, ir.PermitRule] = {}
        for rule in entity.permit:
            earlier = first.setdefault(rule.operation, rule)
            if earlier is not rule:
                self.report.error(
                    f"operation `{rule.operation}` is given twice in the `permit` block of entity "
                    f"`{entity.name}`{first_at(earlier.loc, rule.loc)}",
                    rule.loc,
                    hint=f"keep one `{rule.operation}:` line",
                )
            where = f"the `{rule.operation}` rule of entity `{entity.name}`"
            self.condition(rule.condition, where, entity)

    def surface(self, surface: ir.Surface) -> None:
        if surface.permit is None:
            return
        where = f"the `permit` line of surface `{surface.name}`"
        entity = self.report.entities.get(surface.entity) if surface.entity is not None else None
        if entity is not None:
            where += f" (entity `{entity.name}`)"
        for named in named_conditions(surface.permit):
            if named.kind == "role":
                self.role(named, where)
            elif entity is not None:
                self.field(named, where, entity)
            elif surface.entity is None:
                self.report.error(
                    f"surface `{surface.name}` uses no entity: `{named.name} = current_user` in its "
                    "`permit` line names no field",
                    named.where("name"),
                    hint="add `uses entity <Entity>`, or use `anyone`, `signed_in`, `nobody` or `role(<role>)`",
                )
            # else: the surface's unknown entity is reported already

    def condition(self, condition: ir.Condition, where: str, entity: ir.Entity) -> None:
        for named in named_conditions(condition):
            if named.kind == "role":
                self.role(named, where)
            else:
                self.field(named, where, entity)

    def role(self, condition: ir.Condition, where: str) -> None:
        name = condition.name or ""
        if name in self.roles or not self.check_roles:
            return
        loc = condition.where("name")
        if not self.roles:
            self.report.error(
                f"unknown role `{name}` in {where}: the app declares no roles",
                loc,
                hint=f"declare it in the app's block: `app {self.app.name}:` and an indented line "
                f"`roles: {name}`",
            )
            return
        close = did_you_mean(name, self.roles)
        self.report.error(
            f"unknown role `{name}` in {where}" + suffix(close),
            loc,
            hint=None if close else "the app's roles are " + ", ".join(f"`{r}`" for r in self.roles),
        )

    def field(self, condition: ir.Condition, where: str, entity: ir.Entity) -> None:
        name = condition.name or ""
        loc = condition.where("name")
        fields = self.report.fields_of(entity)
        users = [f.name for f in entity.fields if f.type.kind == "user"]
        field = fields.get(name)
        if field is None:
            close = did_you_mean(name, users) or did_you_mean(name, fields)
            self.report.error(f"unknown field `{name}` in {where}" + suffix(close), loc)
        elif field.type.kind != "user":
            self.report.error(
                f"`{name}` is a {field.type.written} field; only a `user` field can be compared "
                "with current_user",
                loc,
                hint=(
                    f"the user fields of entity `{entity.name}`: " + ", ".join(f"`{u}`" for u in users)
                    if users
                    else f"add a field such as `owner: user auto_add` to entity `{entity.name}`"
                ),
            )


def check_access(report: Report) -> None:
    AccessCheck(report).run()
