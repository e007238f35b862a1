"""The ``integrations`` generator: ``<app>/integrations.py`` and one sync command per ``sync``.

``integrations.py`` holds the action runner, the sync runner, the page mixin that wires a
surface's button, form or page load to its actions, and the HMAC webhook view of event-driven
syncs; its ``ACTIONS`` and ``SYNCS`` tables are rendered from the spec, with every expression
turned into a ``(root, attribute, ...)`` source over the generated names.
``<app>/management/commands/sync_<integration>_<sync>.py`` runs a sync from the command line.
How each surface runs its actions is ``wiring.surface_bindings``' (the views and templates
generators ask it too). The client objects called are the ``services`` generator's: it reads
that generator's artifact (``clients``).

Artifact (read by ``urls`` and ``deployment``), plain data:

- ``module``: ``"integrations"``, the module of the app holding the webhook view;
- ``webhook_view``: the view class of every webhook, called with ``sync=<integration>.<sync>``;
- ``webhook_prefix``: the first path segment every webhook route takes (``"webhooks"``);
- ``webhooks``: one dict per event-driven sync, in spec order: ``sync`` (its key), ``path``
  (``/webhooks/<integration>/<sync>/``), ``url_name`` and ``secret_env`` (the variable holding
  its shared secret);
- ``scheduler``: the management command that runs the scheduled syncs (the Procfile worker);
- ``schedules``: ``(cron, command)`` of every scheduled sync, the command being its own.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from dazzle.ir import AppSpec, Expression, Integration, IntegrationAction, Surface
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import py_literal, render
from generators.django.spec_index import indexed
from generators.django.wiring import action_key

SCHEDULER_COMMAND = "run_syncs"  # the Procfile worker: runs the scheduled syncs
MODULE = "integrations"
WEBHOOK_VIEW = "SyncWebhookView"
WEBHOOK_PREFIX = naming.WEBHOOKS_PREFIX


class ActionSpec(BaseModel):
    key: str
    title: str
    service: str  # its client object is the services generator's (its artifact's ``clients``)
    operation: str
    params: str  # Python source of the (parameter, source) pairs
    foreign: str | None = None
    model: str | None = None
    mapping: str = "()"
    match: tuple[str, ...] = ()
    updates_shown_record: bool = False


class SyncSpec(BaseModel):
    key: str
    integration: str
    sync: str
    command: str  # its management command
    title: str
    service: str
    operation: str
    foreign: str
    model: str
    fields: tuple[tuple[str, str], ...]
    match: tuple[str, ...]
    secret_env: str
    schedule: str | None = None


class IntegrationsSlice(BaseModel):
    app: str
    actions: tuple[ActionSpec, ...] = ()
    syncs: tuple[SyncSpec, ...] = ()
    inline_operations: tuple[tuple[str, str], ...] = ()  # (service, operation) of inline-spec services
    webhooks: tuple[tuple[str, str], ...] = ()  # (integration, sync) of event-driven syncs
    sync_names: dict[str, naming.SyncNames] = {}  # "<integration>.<sync>" → its names


def inline_operations(spec: AppSpec) -> tuple[tuple[str, str], ...]:
    """(service, operation) of every call to a service whose document ships in ``specs/``."""
    calls = [c for i in spec.integrations for c in (*i.actions, *i.syncs)]
    inline = {s.name for s in spec.services if s.spec_kind == "inline"}
    return tuple(dict.fromkeys((c.service, c.operation) for c in calls if c.service in inline))


def webhook_path(integration: str, sync: str) -> str:
    """``/webhooks/<integration>/<sync>/`` with ``_`` as ``-``: the route urls.py gives the sync's
    webhook view (through the artifact)."""
    return f"/{WEBHOOK_PREFIX}/{integration.replace('_', '-')}/{sync.replace('_', '-')}/"


def form_attrs(spec: AppSpec, surface: Surface | None) -> dict[str, str]:
    """Surface field name → the key its form's values are found under."""
    if surface is None:
        return {}
    entity = spec.entity(surface.entity) if surface.entity else None
    if surface.mode == "custom":
        return naming.custom_field_attrs(entity, [f.name for f in surface.fields])
    return naming.field_attrs(entity) if entity is not None else {}


def source(spec: AppSpec, expr: Expression, surface: Surface | None) -> str:
    """Python source of an expression's ``(root, ...)`` tuple."""
    if expr.literal is not None:
        return py_literal(("literal", expr.literal.python))
    root, rest = expr.path[0], list(expr.path[1:])
    if root == "form" and rest:
        rest[0] = form_attrs(spec, surface).get(rest[0], rest[0])
    elif root == "entity" and rest and surface is not None and surface.entity:
        entity = spec.entity(surface.entity)
        rest[0] = naming.field_attrs(entity).get(rest[0], rest[0]) if entity else rest[0]
    return py_literal((root, *rest))


def pairs_source(pairs: list[tuple[str, str]]) -> str:
    inner = ", ".join(f"({py_literal(a)}, {b})" for a, b in pairs)
    return f"({inner},)" if len(pairs) == 1 else f"({inner})"


def action_spec(spec: AppSpec, integration: Integration, action: IntegrationAction) -> ActionSpec:
    surface = spec.surface(action.surface)
    service = spec.service(action.service)
    out = ActionSpec(
        key=action_key(integration.name, action.name),
        title=f"{integration.label}: {naming.choice_label(action.name)}",
        service=action.service,
        operation=action.operation,
        params=pairs_source([(m.target, source(spec, m.source, surface)) for m in action.params]),
    )
    response = action.response
    entity = spec.entity(response.entity) if response else None
    foreign = spec.foreign_model(response.foreign) if response else None
    if response is None or entity is None or foreign is None or service is None:
        return out
    attrs = naming.field_attrs(entity)
    model = naming.app_names(spec).entities[entity.name].model
    mapped = [m for m in response.fields if m.target in attrs]
    unique = [
        m.target
        for m in mapped
        if entity.field(m.target).unique
        or entity.field(m.target).unique_nullable
        or entity.field(m.target).pk
    ]
    if not unique:  # a composite unique constraint whose fields are all mapped
        targets = {m.target for m in mapped}
        unique = next(
            (list(c.fields) for c in entity.constraints if c.kind == "unique" and set(c.fields) <= targets),
            [],
        )
    return out.model_copy(
        update={
            "foreign": naming.app_names(spec).foreign[foreign.name],
            "model": model,
            "mapping": pairs_source([(attrs[m.target], source(spec, m.source, surface)) for m in mapped]),
            "match": tuple(attrs[name] for name in unique),
            "updates_shown_record": surface is not None
            and surface.entity == entity.name
            and surface.mode in ("view", "edit"),
        }
    )


def sync_spec(spec: AppSpec, integration: Integration, sync) -> SyncSpec | None:
    entity, foreign = spec.entity(sync.entity), spec.foreign_model(sync.foreign)
    if entity is None or foreign is None:
        return None
    attrs = naming.field_attrs(entity)
    fields = {p.foreign_field: attrs[p.entity_field] for p in sync.match if p.entity_field in attrs}
    for field in foreign.fields:
        target = entity.field(field.name)
        if target is not None and not target.pk and field.name not in fields:
            fields[field.name] = attrs[field.name]
    names = naming.app_names(spec)
    key = action_key(integration.name, sync.name)
    return SyncSpec(
        key=key,
        integration=integration.name,
        sync=sync.name,
        command=names.syncs[key].command,
        title=f"{integration.label}: {naming.choice_label(sync.name)}",
        service=sync.service,
        operation=sync.operation,
        foreign=names.foreign[foreign.name],
        model=names.entities[entity.name].model,
        fields=tuple(fields.items()),
        match=tuple(attrs[p.entity_field] for p in sync.match if p.entity_field in attrs),
        secret_env=names.syncs[key].secret_env,
        schedule=sync.schedule if sync.mode == "scheduled" else None,
    )


def webhook_routes(slice: IntegrationsSlice) -> list[dict[str, str]]:
    """The artifact's ``webhooks``: what urls.py routes and the README documents of each."""
    routes = []
    for integration, sync in slice.webhooks:
        names = slice.sync_names[action_key(integration, sync)]
        routes.append(
            {
                "sync": action_key(integration, sync),
                "path": webhook_path(integration, sync),
                "url_name": names.url,
                "secret_env": names.secret_env,
            }
        )
    return routes


def handed_on(slice: IntegrationsSlice) -> dict[str, Any]:
    """The artifact (see the module's doc)."""
    return {
        "module": MODULE,
        "webhook_view": WEBHOOK_VIEW,
        "webhook_prefix": WEBHOOK_PREFIX,
        "webhooks": webhook_routes(slice),
        "scheduler": SCHEDULER_COMMAND,
        "schedules": [(s.schedule, s.command) for s in slice.syncs if s.schedule],
    }


class IntegrationsGenerator(DjangoGenerator):
    name = "integrations"
    doc = "Integration actions, syncs (management commands) and webhook views."
    slice_model = IntegrationsSlice
    templates = "templates/integrations"
    reads = ("services",)

    def slice(self, spec: AppSpec) -> IntegrationsSlice:
        spec = indexed(spec)
        names = naming.app_names(spec)
        syncs = (sync_spec(spec, i, s) for i in spec.integrations for s in i.syncs)
        return IntegrationsSlice(
            app=names.app,
            actions=tuple(action_spec(spec, i, a) for i in spec.integrations for a in i.actions),
            syncs=tuple(s for s in syncs if s is not None),
            inline_operations=inline_operations(spec),
            webhooks=tuple(
                (i.name, s.name) for i in spec.integrations for s in i.syncs if s.mode == "event_driven"
            ),
            sync_names=names.syncs,
        )

    def generate(self, slice: IntegrationsSlice, artifacts) -> Generated:
        handed = handed_on(slice)
        if not slice.actions and not slice.syncs:
            return Generated(artifacts=handed)
        clients = artifacts["services"]["clients"]
        folder, app = self.template_dir(), slice.app
        files = [
            GeneratedFile(
                f"{app}/integrations.py",
                render(
                    folder,
                    "app/integrations.py.j2",
                    actions=[{**a.model_dump(), "client": clients[a.service]} for a in slice.actions],
                    syncs=[{**s.model_dump(), "client": clients[s.service]} for s in slice.syncs],
                ),
            )
        ]
        if slice.inline_operations or slice.webhooks:
            # Two services may share a client name: each (client, operation) is tested once.
            operations = tuple(dict.fromkeys((clients[s], op) for s, op in slice.inline_operations))
            files.append(
                GeneratedFile(
                    f"{app}/test_integrations.py",
                    render(
                        folder,
                        "app/test_integrations.py.j2",
                        inline_operations=operations,
                        webhooks=[(w["path"], w["secret_env"]) for w in handed["webhooks"]],
                    ),
                )
            )
        if slice.syncs:
            files += [
                GeneratedFile(f"{app}/management/__init__.py", ""),
                GeneratedFile(f"{app}/management/commands/__init__.py", ""),
            ]
        if handed["schedules"]:
            files.append(
                GeneratedFile(
                    f"{app}/management/commands/{SCHEDULER_COMMAND}.py",
                    render(folder, "app/management/commands/run_syncs.py.j2", schedules=handed["schedules"]),
                )
            )
        for s in slice.syncs:
            command = s.command
            text = render(
                folder,
                "app/management/commands/sync.py.j2",
                command=command,
                key=s.key,
                integration=s.integration,
                sync=s.sync,
                service=s.service,
                operation=s.operation,
                foreign=s.foreign,
                model=s.model,
                schedule=s.schedule,
                match_text=", ".join(s.match),
                help=f"{s.title}: upsert {s.foreign} records into {s.model}",
            )
            files.append(GeneratedFile(f"{app}/management/commands/{command}.py", text))
        return Generated(files=files, artifacts=handed)
