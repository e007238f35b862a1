"""Validation of surfaces (entity, mode, sections, fields, a list's `sort:` and `filter:` lines,
actions and their outcomes) and of experiences (start, steps, transitions, reachability).
"""

from __future__ import annotations

from dazzle import ir
from dazzle.ir.diagnostics import did_you_mean
from dazzle.semantics.validate.report import Report, suffix

ONE_PER_ENTITY = ("list", "view", "create", "edit")
FORM_MODES = ("create", "edit")


def check_outcome(report: Report, outcome: ir.Outcome) -> None:
    if outcome.kind == "surface":
        report.exists(report.surfaces, "surface", outcome.target, outcome.loc, "outcome")
    elif outcome.kind == "experience":
        experience = report.experiences.get(outcome.target)
        if (
            report.exists(report.experiences, "experience", outcome.target, outcome.loc, "outcome")
            and outcome.step
        ):
            steps = [s.name for s in experience.steps]
            if outcome.step not in steps:
                report.unknown(
                    "step", outcome.step, steps, outcome.where("step"), f"experience `{experience.name}`"
                )
    elif outcome.kind == "integration":
        integration = report.integrations.get(outcome.target)
        if report.exists(report.integrations, "integration", outcome.target, outcome.loc, "outcome"):
            # An outcome may also name a sync (0.2): it runs the sync now.
            runnable = [a.name for a in integration.actions] + [s.name for s in integration.syncs]
            if outcome.action is None:
                report.error(
                    f"an integration outcome needs `action <name>` after `{outcome.target}`", outcome.loc
                )
            elif outcome.action not in runnable:
                report.unknown(
                    "action or sync" if integration.syncs else "action",
                    outcome.action,
                    runnable,
                    outcome.where("action"),
                    f"integration `{integration.name}`",
                )


def _check_fields(report: Report, surface: ir.Surface, fields, entity: ir.Entity | None) -> None:
    report.unique(surface.sections, "section", f"surface `{surface.name}`")
    report.unique(surface.actions, "action", f"surface `{surface.name}`")
    report.unique(fields, "field", f"surface `{surface.name}`")
    if entity is None or surface.mode == "custom":
        return
    entity_fields = report.fields_of(entity)
    for field in fields:
        entity_field = entity_fields.get(field.name)
        if entity_field is None:
            report.error(
                f"entity `{entity.name}` has no field `{field.name}` (surface `{surface.name}`)"
                + suffix(did_you_mean(field.name, entity_fields)),
                field.loc,
            )
        elif surface.mode in FORM_MODES and _not_editable(entity_field, surface.mode):
            report.warning(
                f"field `{field.name}` {_not_editable(entity_field, surface.mode)}; "
                f"the {surface.mode} form of surface `{surface.name}` leaves it out",
                field.loc,
            )


def _check_list_lines(report: Report, surface: ir.Surface, entity: ir.Entity | None) -> None:
    """A list surface's `sort:` and `filter:` lines (0.2): fields of its entity, each once a line,
    filters of the kinds a list can offer (``ir.FILTER_KINDS``)."""
    for word, items in (("sort", surface.sort), ("filter", surface.filters)):
        if not items:
            continue
        where = f"the `{word}:` line of surface `{surface.name}`"
        if surface.mode != "list":
            report.error(
                f"`{word}:` is a line of list surfaces; surface `{surface.name}` has mode {surface.mode}",
                surface.where(word),
                hint="remove the line, or move it to a list surface",
            )
            continue
        if entity is None:  # no entity, or an unknown one: reported already
            continue
        entity_fields = report.fields_of(entity)
        first: dict[str, ir.Location | None] = {}
        for item in items:
            if item.field in first:
                earlier = first[item.field]
                column = f" (first at column {earlier.column})" if earlier is not None else ""
                report.error(f"field `{item.field}` is given twice in {where}{column}", item.loc)
                continue
            first[item.field] = item.loc
            field = entity_fields.get(item.field)
            if field is None:
                report.error(
                    f"entity `{entity.name}` has no field `{item.field}` ({where})"
                    + suffix(did_you_mean(item.field, entity_fields)),
                    item.loc,
                )
            elif word == "filter" and field.type.kind not in ir.FILTER_KINDS:
                written = field.type.written
                article = "an" if written[0] in "aeio" else "a"  # an int, an email; a uuid
                report.error(
                    f"`{item.field}` is {article} {written} field; `filter:` takes "
                    f"{', '.join(ir.FILTER_KINDS[:-1])} and {ir.FILTER_KINDS[-1]} fields ({where})",
                    item.loc,
                )


def _not_editable(field: ir.EntityField, mode: str) -> str | None:
    """Why a form cannot hold the field, or None when it can."""
    if field.auto_add or field.auto_update:
        return f"is filled automatically ({'auto_add' if field.auto_add else 'auto_update'})"
    if field.pk and field.has_default:
        return f"is a generated primary key ({field.type.kind} pk)"
    if field.pk and mode == "edit":
        return "is the primary key, which is set once, on create"
    return None


def check_surface(report: Report, surface: ir.Surface, claimed: dict[tuple[str, str], ir.Surface]) -> None:
    entity = None
    if surface.entity is None:
        if surface.mode != "custom":
            report.error(
                f"surface `{surface.name}` (mode: {surface.mode}) needs `uses entity <Entity>`",
                surface.loc,
                hint="only `mode: custom` surfaces may stand without an entity",
            )
    elif report.exists(report.entities, "entity", surface.entity, surface.where("entity"), "`uses entity`"):
        entity = report.entities[surface.entity]
    fields = surface.fields  # a computed property: taken once
    _check_fields(report, surface, fields, entity)
    _check_list_lines(report, surface, entity)
    if entity is not None and surface.mode in ONE_PER_ENTITY:
        key = (entity.name, surface.mode)
        if key in claimed:
            report.error(
                f"entity `{entity.name}` already has a {surface.mode} surface (`{claimed[key].name}`); "
                f"an entity has at most one surface of each of the modes list, view, create and edit",
                surface.where("mode"),
            )
        else:
            claimed[key] = surface
    if entity is not None and surface.mode == "create":
        listed = {f.name for f in fields}
        for field in entity.fields:
            if field.is_required and not field.has_default and field.name not in listed:
                report.warning(
                    f"create surface `{surface.name}` leaves out `{field.name}`, a required field of "
                    f"entity `{entity.name}` without a default",
                    surface.loc,
                    hint=f"the generated form adds `{field.name}` after the surface's own fields",
                )
    for action in surface.actions:
        check_outcome(report, action.outcome)
        _check_integration_surface(report, surface, action.outcome)


def _check_integration_surface(report: Report, surface: ir.Surface, outcome: ir.Outcome) -> None:
    """An integration action reads the form of its `when surface`; run from another surface,
    its `form.` expressions would read the wrong form."""
    if outcome.kind != "integration" or outcome.target not in report.integrations:
        return
    action = report.integrations[outcome.target].action(outcome.action or "")
    if action is not None and action.surface != surface.name:
        report.warning(
            f"surface `{surface.name}` runs action `{action.name}` of integration `{outcome.target}`, "
            f"which runs when surface `{action.surface}` is submitted",
            outcome.where("action"),
            hint=f"change its `when surface` line, or run it from surface `{action.surface}`",
        )


def check_surfaces(report: Report) -> None:
    claimed: dict[tuple[str, str], ir.Surface] = {}
    for surface in report.spec.surfaces:
        check_surface(report, surface, claimed)


# ---------------------------------------------------------------- experiences


def _check_step(report: Report, experience: ir.Experience, step: ir.Step, steps: list[str]) -> None:
    kind_loc = step.where("kind")
    if step.kind == "surface":
        if step.surface is None:
            report.error(f"step `{step.name}` (kind: surface) needs a `surface <name>` line", kind_loc)
        if step.integration is not None:
            report.error(
                f"step `{step.name}` is a surface step; it names no integration", step.where("integration")
            )
    elif step.kind == "integration":
        if step.integration is None or step.action is None:
            report.error(
                f"step `{step.name}` (kind: integration) needs an `integration <name> action <action>` line",
                kind_loc,
            )
        if step.surface is not None:
            report.error(
                f"step `{step.name}` is an integration step; it names no surface", step.where("surface")
            )
    else:
        for part in ("surface", "integration"):
            if getattr(step, part) is not None:
                report.error(
                    f"step `{step.name}` is a process step: it has only `on success`/`on failure` transitions, "
                    f"no `{part}`",
                    step.where(part),
                )
    if step.surface is not None:
        report.exists(report.surfaces, "surface", step.surface, step.where("surface"), f"step `{step.name}`")
    if (
        step.integration is not None
        and report.exists(
            report.integrations,
            "integration",
            step.integration,
            step.where("integration"),
            f"step `{step.name}`",
        )
        and step.action is not None
    ):
        actions = [a.name for a in report.integrations[step.integration].actions]
        if step.action not in actions:
            report.unknown(
                "action", step.action, actions, step.where("action"), f"integration `{step.integration}`"
            )
    for transition in ("on_success", "on_failure"):
        target = getattr(step, transition)
        if target is not None and target not in steps:
            words = transition.replace("_", " ")
            report.unknown("step", target, steps, step.where(transition), f"`{words}` of step `{step.name}`")


def check_experience(report: Report, experience: ir.Experience) -> None:
    report.unique(experience.steps, "step", f"experience `{experience.name}`")
    steps = [s.name for s in experience.steps]
    if experience.start not in steps:
        report.unknown("step", experience.start, steps, experience.where("start"), "`start at`")
    for step in experience.steps:
        _check_step(report, experience, step, steps)
    reached = _reachable(experience)
    if experience.start in steps:
        for step in experience.steps:
            if step.name not in reached:
                report.warning(
                    f"step `{step.name}` of experience `{experience.name}` cannot be reached from "
                    f"the start step `{experience.start}`",
                    step.loc,
                )


def _reachable(experience: ir.Experience) -> set[str]:
    by_name = {s.name: s for s in reversed(experience.steps)}
    reached: set[str] = set()
    todo = [experience.start]
    while todo:
        name = todo.pop()
        if name in reached or name not in by_name:
            continue
        reached.add(name)
        step = by_name[name]
        todo.extend(t for t in (step.on_success, step.on_failure) if t is not None)
    return reached


def check_experiences(report: Report) -> None:
    for experience in report.spec.experiences:
        check_experience(report, experience)
