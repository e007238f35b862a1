"""The ``experiences`` generator: the step flows under ``/flows/<experience>/``.

Writes ``<app>/flows.py`` (the flow view, the session state and a ``FLOWS`` table rendered from
the experiences), ``<app>/templates/<app>/flow_step.html`` (one template for every surface
step, showing only what the view hands it) and — when an experience has a ``process`` step —
``<app>/processes.py``, a user-owned module with one function per process step, written once
and never overwritten; and ``<app>/test_flows.py`` (each entry URL leads to its start step).

Artifact (read by ``urls``), plain data: the routes the flow view expects —

- ``module``, ``view``: ``"flows"``, ``"FlowView"``, the module of the app and the view class
  every flow is served by (called with ``flow=<experience>``);
- ``prefix``: the first path segment every flow takes (``"flows"``);
- ``flows``: one dict per experience, in spec order: ``flow`` (its name), ``path`` (the entry
  URL, ``flows/<experience>/``), ``url_name``, ``step_path`` (``<path><str:step>/``) and
  ``step_url_name`` (the name ``flows.py`` reverses, ``<url_name>-step``).
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec, Experience, Step, Surface
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming, sorting, test_access
from generators.django.base import DjangoGenerator
from generators.django.render import render
from generators.django.spec_index import indexed
from generators.django.wiring import SURFACE_OPERATIONS

MODULE = "flows"
FLOW_VIEW = "FlowView"
PREFIX = naming.FLOWS_PREFIX


class SurfaceStepSpec(BaseModel):
    mode: str
    title: str
    model: str | None = None
    form: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    access: tuple[str, str] | None = None  # who may do the step: (key, operation) in access.py
    order: tuple[str, ...] = ()  # a list step's `sort:` line (else the model's ordering)
    joined: tuple[str, ...] = ()  # a list or view step's references: fetched in the same query


class StepSpec(BaseModel):
    name: str
    kind: str
    surface: SurfaceStepSpec | None = None
    action: str | None = None
    model: str | None = None
    process: str | None = None
    on_success: str | None = None
    on_failure: str | None = None


class FlowSpec(BaseModel):
    name: str
    title: str
    url_name: str
    step_url_name: str
    segment: str  # below ``flows/``
    test_function: str  # python_identifier(name), in the names of its tests
    start: str
    steps: tuple[StepSpec, ...]
    # (step, person, answer) for its surface steps, when the spec has `permit` rules: the
    # generated tests open each step as each kind of person (test_access.py's people).
    access: tuple[tuple[str, str, str], ...] = ()


class ExperiencesSlice(BaseModel):
    app: str
    flows: tuple[FlowSpec, ...] = ()
    guarded: bool = False  # the spec has `permit` rules


def flow_routes(flows) -> list[dict[str, str]]:
    """The artifact's ``flows`` (see the module's doc)."""
    routes = []
    for flow in flows:
        path = f"{PREFIX}/{flow.segment}/"
        routes.append(
            {
                "flow": flow.name,
                "path": path,
                "url_name": flow.url_name,
                "step_path": path + "<str:step>/",
                "step_url_name": flow.step_url_name,
            }
        )
    return routes


def surface_step(spec: AppSpec, surface: Surface) -> SurfaceStepSpec:
    entity = spec.entity(surface.entity) if surface.entity else None
    names = naming.app_names(spec)
    form = None
    if surface.mode == "custom":
        form = names.customs[surface.name].form
    elif surface.mode in ("create", "edit") and entity is not None:
        form = names.entities[entity.name].form(surface.mode)
    fields: list[tuple[str, str]] = []
    if entity is not None and surface.mode in ("view", "list"):
        attrs = naming.field_attrs(entity)
        fields = [(attrs[f.name], f.label or f.name) for f in surface.fields if f.name in attrs]
    model = names.entities[entity.name].model if entity is not None else None
    if surface.mode == "custom":
        guard = (names.customs[surface.name].view, "open")
    else:
        guard = (model, SURFACE_OPERATIONS[surface.mode]) if model is not None else None
    shown = [entity.field(f.name) for f in surface.fields] if entity is not None else []
    return SurfaceStepSpec(
        mode=surface.mode,
        title=surface.label,
        form=form,
        fields=tuple(fields),
        model=model,
        access=guard,
        order=sorting.default_order(spec, entity, surface)
        if entity is not None and surface.mode == "list"
        else (),
        joined=tuple(
            dict.fromkeys(
                naming.field_attrs(entity)[f.name]
                for f in shown
                if f is not None and f.type.kind in naming.RELATION_KINDS and surface.mode in ("view", "list")
            )
        ),
    )


def step_spec(spec: AppSpec, experience: Experience, step: Step) -> StepSpec:
    out = StepSpec(name=step.name, kind=step.kind, on_success=step.on_success, on_failure=step.on_failure)
    if step.kind == "surface" and step.surface and spec.surface(step.surface):
        return out.model_copy(update={"surface": surface_step(spec, spec.surface(step.surface))})
    if step.kind == "integration" and step.integration and step.action:
        integration = spec.integration(step.integration)
        action = integration.action(step.action) if integration else None
        surface = spec.surface(action.surface) if action else None
        entities = naming.app_names(spec).entities
        model = entities[surface.entity].model if surface is not None and surface.entity in entities else None
        return out.model_copy(update={"action": f"{step.integration}.{step.action}", "model": model})
    if step.kind == "process":
        function = naming.app_names(spec).processes[f"{experience.name}.{step.name}"]
        return out.model_copy(update={"process": function})
    return out


def step_access(spec: AppSpec, experience: Experience) -> tuple[tuple[str, str, str], ...]:
    """(step, person, answer) for every surface step of ``experience``."""
    return tuple(
        (step.name, person, answer)
        for step in experience.steps
        if step.kind == "surface" and step.surface and spec.surface(step.surface) is not None
        for person, answer in test_access.step_answers(spec, spec.surface(step.surface))
    )


class ExperiencesGenerator(DjangoGenerator):
    name = "experiences"
    doc = "Step flows of the experiences (session state), their template and the user's process module."
    slice_model = ExperiencesSlice
    templates = "templates/experiences"

    def slice(self, spec: AppSpec) -> ExperiencesSlice:
        spec = indexed(spec)
        names = naming.app_names(spec)
        ruled = test_access.guarded(spec)
        return ExperiencesSlice(
            app=names.app,
            guarded=ruled,
            flows=tuple(
                FlowSpec(
                    name=e.name,
                    title=e.label,
                    url_name=names.flows[e.name].url,
                    step_url_name=names.flows[e.name].step_url,
                    segment=names.flows[e.name].segment,
                    test_function=naming.python_identifier(e.name),
                    start=e.start,
                    steps=tuple(step_spec(spec, e, s) for s in e.steps),
                    access=step_access(spec, e) if ruled else (),
                )
                for e in spec.experiences
            ),
        )

    def generate(self, slice: ExperiencesSlice, artifacts) -> Generated:
        handed = {"module": MODULE, "view": FLOW_VIEW, "prefix": PREFIX, "flows": flow_routes(slice.flows)}
        if not slice.flows:
            return Generated(artifacts=handed)
        app, folder = slice.app, self.template_dir()
        steps = [s for f in slice.flows for s in f.steps]
        processes = [
            {"experience": f.name, "step": s.name, "function": s.process}
            for f in slice.flows
            for s in f.steps
            if s.process
        ]
        uses = {
            "access": any(s.surface for s in steps),
            "forms": any(s.surface and s.surface.form for s in steps),
            "integrations": any(s.action for s in steps),
            "models": any((s.surface and s.surface.model) or s.model for s in steps),
            "processes": bool(processes),
        }
        template = f"{app}/flow_step.html"
        flows = render(
            folder,
            "app/flows.py.j2",
            flows=[f.model_dump() for f in slice.flows],
            modules=[m for m, used in uses.items() if used] or ["models"],
            template=template,
            integration_steps=uses["integrations"],
            process_steps=bool(processes),
        )
        files = [
            GeneratedFile(f"{app}/flows.py", flows),
            GeneratedFile(
                f"{app}/templates/{template}", render(folder, "app/templates/app/flow_step.html.j2", app=app)
            ),
        ]
        tests = [
            {
                "url_name": f.url_name,
                "start": f.start,
                "function": f.test_function,
                "start_is_page": any(s.name == f.start and s.surface is not None for s in f.steps),
                "step_url_name": f.step_url_name,
                "access": f.access,
            }
            for f in slice.flows
        ]
        test_flows = render(folder, "app/test_flows.py.j2", flows=tests, guarded=slice.guarded)
        files.append(GeneratedFile(f"{app}/test_flows.py", test_flows))
        if processes:
            files.append(
                GeneratedFile(
                    f"{app}/processes.py",
                    render(folder, "app/processes.py.j2", processes=processes),
                    user_owned=True,
                )
            )
        return Generated(files=files, artifacts=handed)
