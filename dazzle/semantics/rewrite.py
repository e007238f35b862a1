"""Rewrites one parsed module with resolved (global) names, for the linker.

It knows every place in the IR where a module names an entity, surface, experience, service,
foreign model or integration, and which location to report a bad name at. Nodes are copied
with ``model_copy(update=...)`` only when something changes, so locations stay attached and
a project of unqualified names costs almost nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from dazzle import ir

Resolve = Callable[[str, str, str, "ir.Location | None", str], str]
"""(module, kind, written name, location, role) → global name."""


class _Rewriter:
    def __init__(self, module: ir.Module, resolve: Resolve):
        self.module = module.name
        self._resolve = resolve

    def name(self, kind: str, written: str | None, loc: ir.Location | None, role: str) -> str | None:
        if written is None:
            return None
        return self._resolve(self.module, kind, written, loc, role)

    # ---- entities and foreign models

    def field(self, field: ir.EntityField) -> ir.EntityField:
        ftype = field.type
        if ftype.kind != "ref" or ftype.ref is None:
            return field
        loc = ftype.locs.get("ref") or field.where("type")
        target = self.name("entity", ftype.ref, loc, "ref")
        if target == ftype.ref:
            return field
        return field.model_copy(update={"type": ftype.model_copy(update={"ref": target})})

    def fields(self, fields: tuple[ir.EntityField, ...]) -> tuple[ir.EntityField, ...]:
        return tuple(self.field(f) for f in fields)

    def entity(self, entity: ir.Entity) -> ir.Entity:
        return entity.model_copy(update={"fields": self.fields(entity.fields), "module": self.module})

    def foreign_model(self, foreign: ir.ForeignModel) -> ir.ForeignModel:
        service = self.name("service", foreign.service, foreign.where("service"), "foreign_model `from`")
        return foreign.model_copy(
            update={"service": service, "fields": self.fields(foreign.fields), "module": self.module}
        )

    # ---- surfaces and experiences

    def outcome(self, outcome: ir.Outcome) -> ir.Outcome:
        target = self.name(outcome.kind, outcome.target, outcome.loc, f"`{outcome.kind}` outcome")
        return outcome if target == outcome.target else outcome.model_copy(update={"target": target})

    def surface(self, surface: ir.Surface) -> ir.Surface:
        entity = self.name("entity", surface.entity, surface.where("entity"), "`uses entity`")
        actions = tuple(
            a if (o := self.outcome(a.outcome)) is a.outcome else a.model_copy(update={"outcome": o})
            for a in surface.actions
        )
        return surface.model_copy(update={"entity": entity, "actions": actions, "module": self.module})

    def step(self, step: ir.Step) -> ir.Step:
        surface = self.name("surface", step.surface, step.where("surface"), "step `surface`")
        integration = self.name(
            "integration", step.integration, step.where("integration"), "step `integration`"
        )
        if surface == step.surface and integration == step.integration:
            return step
        return step.model_copy(update={"surface": surface, "integration": integration})

    def experience(self, experience: ir.Experience) -> ir.Experience:
        steps = tuple(self.step(s) for s in experience.steps)
        return experience.model_copy(update={"steps": steps, "module": self.module})

    def service(self, service: ir.Service) -> ir.Service:
        return service.model_copy(update={"module": self.module})

    # ---- integrations

    def action(self, action: ir.IntegrationAction) -> ir.IntegrationAction:
        surface = self.name("surface", action.surface, action.where("surface"), "`when surface`")
        service = self.name("service", action.service, action.where("service"), "`call`")
        response = action.response
        if response is not None:
            foreign = self.name(
                "foreign_model", response.foreign, response.where("foreign"), "`map response`"
            )
            entity = self.name(
                "entity", response.entity, response.where("entity"), "`map response ... -> entity`"
            )
            if foreign != response.foreign or entity != response.entity:
                response = response.model_copy(update={"foreign": foreign, "entity": entity})
        if surface == action.surface and service == action.service and response is action.response:
            return action
        return action.model_copy(update={"surface": surface, "service": service, "response": response})

    def sync(self, sync: ir.Sync) -> ir.Sync:
        update = {
            "service": self.name("service", sync.service, sync.where("service"), "sync `from`"),
            "foreign": self.name("foreign_model", sync.foreign, sync.where("foreign"), "sync `from ... as`"),
            "entity": self.name("entity", sync.entity, sync.where("entity"), "`into entity`"),
        }
        if all(getattr(sync, k) == v for k, v in update.items()):
            return sync
        return sync.model_copy(update=update)

    def integration(self, integration: ir.Integration) -> ir.Integration:
        services = tuple(
            self.name("service", s, integration.where(f"services.{i}"), "`uses service`")
            for i, s in enumerate(integration.services)
        )
        foreign_models = tuple(
            self.name("foreign_model", f, integration.where(f"foreign_models.{i}"), "`uses foreign_model`")
            for i, f in enumerate(integration.foreign_models)
        )
        return integration.model_copy(
            update={
                "services": services,
                "foreign_models": foreign_models,
                "actions": tuple(self.action(a) for a in integration.actions),
                "syncs": tuple(self.sync(s) for s in integration.syncs),
                "module": self.module,
            }
        )


def rewrite_module(module: ir.Module, resolve: Resolve) -> ir.Module:
    """``module`` with every name it writes resolved, and ``module`` set on its definitions."""
    r = _Rewriter(module, resolve)
    return module.model_copy(
        update={
            "entities": tuple(r.entity(e) for e in module.entities),
            "surfaces": tuple(r.surface(s) for s in module.surfaces),
            "experiences": tuple(r.experience(e) for e in module.experiences),
            "services": tuple(r.service(s) for s in module.services),
            "foreign_models": tuple(r.foreign_model(f) for f in module.foreign_models),
            "integrations": tuple(r.integration(i) for i in module.integrations),
        }
    )
