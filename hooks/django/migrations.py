"""post_build hook ``migrations``: migrations that only ever grow, made when the models change.

Runs Django's autodetector for the generated app (``scripts/makemigrations.py``, with the
interpreter ``interpreter.django_python`` finds) and answers its questions from the spec:

- a field with ``was <old>`` is a rename (``RenameField``), any other vanished field is dropped;
- a new required field without a default, or an optional field made required, is an error
  that names the entity and field and says what to add to the spec — nothing is written;
- a ``was`` rename Django cannot apply (the type changed too) is an error, not a silent drop.

Existing migration files are never rewritten or deleted. What it hands the script (the app
package and the ``was`` renames) and the model and field names it points a problem at are the
``models`` generator's decisions, read from its artifact (``reads``). The task depends on the
app's ``models.py`` and on that artifact — on the spec not at all (``spec_key``), so a label
edit does not start Django. It targets a stamp listing the app's migrations (``provision``
depends on it).
"""

from __future__ import annotations

import json
from pathlib import Path

from dazzle.ir import AppSpec, Entity, EntityField, FieldType, Location
from dazzle.ir.diagnostics import Diagnostic
from dazzle.plugins import Hook, HookContext, HookResult
from dazzle.util.files import sha256
from hooks.django.generated_models import MODELS, app_folder, locate, models_artifact, models_modules
from hooks.django.interpreter import django_python, failure_text, run_script
from hooks.format_code import format_new_files
from hooks.support import stamp_path, write_if_changed


def _locate(spec: AppSpec, models: dict, model: str, attr: str) -> tuple[Entity | None, EntityField | None]:
    """The entity and field (with their source locations) behind a model and attribute."""
    entity_name, field_name = locate(models, model, attr)
    entity = spec.entity(entity_name) if entity_name is not None else None
    if entity is None:
        return None, None
    return entity, entity.field(field_name) if field_name is not None else None


def type_text(t: FieldType) -> str:
    """A field type as the DSL writes it."""
    if t.kind == "str" and t.max_length is not None:
        return f"str({t.max_length})"
    if t.kind == "decimal" and t.max_digits is not None:
        return f"decimal({t.max_digits},{t.decimal_places or 0})"
    if t.kind == "enum":
        return f"enum[{','.join(t.enum_values)}]"
    if t.kind == "ref":
        return f"ref {t.ref}"
    return t.kind


DEFAULT_EXAMPLES = {"str": '""', "text": '""', "email": '""', "int": "0", "decimal": "0", "bool": "false"}


def default_example(f: EntityField) -> str:
    """The field's line with a default added, or an alternative when its type takes none."""
    kind = f.type.kind
    value = f.type.enum_values[0] if kind == "enum" and f.type.enum_values else DEFAULT_EXAMPLES.get(kind)
    if value is not None:
        return f"`{f.name}: {type_text(f.type)} required default={value}`"
    if kind in ("date", "datetime"):
        return f"`{f.name}: {kind} auto_add` (a date takes no default)"
    return "none: this type takes no default, so make the field optional"


def describe_problems(spec: AppSpec, models: dict, report: dict) -> list[Diagnostic]:
    """What only the spec can fix, pointing at the field's line in the DSL (``models``: the
    models artifact, which names the entity and field behind a model and attribute)."""
    found = []
    for item in report.get("not_null", []):
        entity, f = _locate(spec, models, item["model"], item["field"])
        name = f.name if f else item["field"]
        if item["change"] == "add":
            what = f"new required field `{name}` has no default, and the rows already stored need a value"
        else:
            what = f"field `{name}` became required without a default, and stored rows may have no value"
        found.append(
            Diagnostic(
                f"entity {entity.name if entity else item['model']}: {what}",
                loc=_where(entity, f),
                hint=f"add a default, e.g. {default_example(f) if f else '`default=`'}, "
                f"or make the field optional (drop `required`)",
            )
        )
    for item in report.get("lost_renames", []):
        entity, f = _locate(spec, models, item["model"], item["field"])
        name, old = (f.name, f.was) if f else (item["field"], item["old"])
        found.append(
            Diagnostic(
                f"entity {entity.name if entity else item['model']}: `{name} ... was {old}` cannot be a "
                f"rename because the field's type or options changed too; Django would drop the column "
                f"and its data",
                loc=_where(entity, f, "was"),
                hint="rename it first keeping the old type, build, then change the type",
            )
        )
    if report.get("conflicts"):
        found.append(
            Diagnostic(
                f"the app's migrations have several latest migrations ({', '.join(report['conflicts'])})",
                file=f"{models['app']}/migrations",
                hint="merge them with `python manage.py makemigrations --merge` in the output folder",
            )
        )
    return found


def _where(entity: Entity | None, f: EntityField | None, part: str | None = None) -> Location | None:
    if f is not None:
        return f.where(part)
    return entity.loc if entity is not None else None


def migrations_listing(folder: Path) -> str:
    """One line per migration file with its hash: what ``provision`` must apply."""
    lines = []
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        if path.name != "__init__.py":
            lines.append(f"{sha256(path.read_bytes())}  {path.name}")
    return "".join(line + "\n" for line in lines)


def make_migrations(ctx: HookContext, python: Path) -> HookResult:
    """Make the app's new migrations with ``python`` (also used by ``provision``, which reads the
    models artifact too)."""
    try:
        models = models_artifact(ctx)
    except LookupError as exc:  # a models generator that hands on nothing: a plugin mismatch
        return HookResult(str(exc), severity="error")
    renames = json.dumps(models["renames"], sort_keys=True)
    done = run_script(
        python, "makemigrations", [str(ctx.output_dir), models["app"], renames], cwd=ctx.output_dir
    )
    if done.returncode != 0:
        return HookResult(f"makemigrations failed (with {python}):\n{failure_text(done)}", severity="error")
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return HookResult(f"makemigrations printed no report (with {python}):\n{failure_text(done)}", "error")
    problems = describe_problems(ctx.spec, models, report)
    if problems:
        rendered = "\n\n".join(p.render(ctx.project_dir) for p in problems)
        return HookResult(f"no migration was written:\n{rendered}", severity="error")
    if not report["written"]:
        return HookResult()
    format_new_files(ctx, [ctx.output_dir / rel for rel in report["written"]])
    ops = "".join(f"\n    {op}" for op in report["operations"])
    return HookResult(
        f"new migration {', '.join(report['written'])}:{ops}", artifacts={"written": report["written"]}
    )


class MigrationsHook(Hook):
    name = "migrations"
    phase = "post_build"
    stack = "django"
    needs_spec = True
    reads = (MODELS,)
    doc = "Make new migrations when the models change (renames from `was`, never rewriting old ones)."

    def spec_key(self, spec: AppSpec) -> list:
        # Nothing: what the script is given besides models.py comes from the models artifact (a
        # file_dep through `reads`). The spec only locates a problem for its message, which
        # matters on a run that fails, and a failed task runs again.
        return []

    def inputs(self, ctx: HookContext) -> list[Path]:
        return [*models_modules(ctx.output_dir)]

    def targets(self, ctx: HookContext) -> list[Path]:
        return [stamp_path(ctx, self.name)]

    def run(self, ctx: HookContext) -> HookResult:
        try:
            folder = app_folder(ctx)
        except LookupError as exc:  # a models generator that hands on nothing: a plugin mismatch
            return HookResult(str(exc), severity="error")
        python = django_python(ctx.output_dir)
        if python is None:
            result = HookResult(
                "no Python with Django found (neither the project's .venv nor this one); "
                "build with --provision, or install Django, to make migrations",
                severity="warning",
                skipped=True,
            )
        else:
            result = make_migrations(ctx, python)
        if result.severity != "error":
            listing = migrations_listing(folder / "migrations")
            write_if_changed(stamp_path(ctx, self.name), listing or "no migrations yet\n")
        return result
