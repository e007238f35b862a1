"""pre_commit hook ``migrations``: migrations that only ever grow, made before the new models
are committed — so a change the data cannot take is refused while nothing has changed yet.

It runs Django's autodetector for the generated app (``scripts/makemigrations.py``, with the
interpreter ``interpreter.django_python`` finds) on a copy of the output folder as the pending
commit will leave it (``HookContext.pending.materialize``), answers its questions from the spec
and hands the new migration files to the commit (``pending.add``):

- a field with ``was <old>`` is a rename (``RenameField``), any other vanished field is dropped;
- a new required field without a default, or an optional field made required, is an error
  that names the entity and field and says what to add to the spec;
- a ``was`` rename Django cannot apply (the type changed too) is an error, not a silent drop;
- the app's roles (``<app>/access.py``'s ``ROLES``) are groups the migrations keep in step: a
  change of roles adds a ``SyncRoles`` operation (to the new migration, or in one of its own);
- stored data is never dropped silently (REFERENCE 0.2): a removed field or entity, a rename
  without ``was``, a type that cannot hold the stored values or a removed role whose group has
  people in it is refused when the project's local database (``database.local_database_url``)
  holds data there — naming the field or role and suggesting ``was`` for a field — unless the
  build runs with ``--allow-data-loss``; without data it is a warning.

A refusal fails the hook's task, so the commit does not run: no generated file changes. Existing
migration files are never rewritten or deleted. What it hands the script (the app package and
the ``was`` renames) and the model and field names it points a problem at are the ``models``
generator's decisions, read from its artifact (``reads``). The task depends on the app's
``models.py`` and ``access.py`` (their staged versions: what is about to change) and on that
artifact — on the spec not at all (``spec_key``), so a label edit does not start Django (a
label is in neither file; a role's title and the ``permit`` rules are in ``access.py``, so their
edits do, and write nothing). It targets a stamp listing the app's migrations (``provision``
depends on it).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from dazzle.ir import AppSpec, EntityField
from dazzle.ir.diagnostics import Diagnostic
from dazzle.plugins import Hook, HookContext, HookResult
from dazzle.util.faults import checkpoint
from dazzle.util.files import sha256
from hooks.django.data_loss import data_loss
from hooks.django.generated_models import (
    MODELS,
    access_modules,
    app_package,
    models_artifact,
    models_modules,
    spec_field,
    spec_location,
)
from hooks.django.interpreter import django_python, failure_text, run_script
from hooks.format_code import format_new_files
from hooks.support import stamp_path, write_if_changed

DEFAULT_EXAMPLES = {"str": '""', "text": '""', "email": '""', "int": "0", "decimal": "0", "bool": "false"}


def default_example(f: EntityField) -> str:
    """The field's line with a default added, or an alternative when its type takes none."""
    kind = f.type.kind
    value = f.type.enum_values[0] if kind == "enum" and f.type.enum_values else DEFAULT_EXAMPLES.get(kind)
    if value is not None:
        return f"`{f.name}: {f.type.written} required default={value}`"
    if kind in ("date", "datetime"):
        return f"`{f.name}: {kind} auto_add` (a date takes no default)"
    return "none: this type takes no default, so make the field optional"


def describe_problems(spec: AppSpec, models: dict, report: dict) -> list[Diagnostic]:
    """What only the spec can fix, pointing at the field's line in the DSL (``models``: the
    models artifact, which names the entity and field behind a model and attribute)."""
    found = []
    for item in report.get("not_null", []):
        entity, f = spec_field(spec, models, item["model"], item["field"])
        name = f.name if f else item["field"]
        if item["change"] == "add":
            what = f"new required field `{name}` has no default, and the rows already stored need a value"
        else:
            what = f"field `{name}` became required without a default, and stored rows may have no value"
        found.append(
            Diagnostic(
                f"entity {entity.name if entity else item['model']}: {what}",
                loc=spec_location(entity, f),
                hint=f"add a default, e.g. {default_example(f) if f else '`default=`'}, "
                f"or make the field optional (drop `required`)",
            )
        )
    for item in report.get("lost_renames", []):
        entity, f = spec_field(spec, models, item["model"], item["field"])
        name, old = (f.name, f.was) if f else (item["field"], item["old"])
        found.append(
            Diagnostic(
                f"entity {entity.name if entity else item['model']}: `{name} ... was {old}` cannot be a "
                f"rename because the field's type or options changed too; Django would drop the column "
                f"and its data",
                loc=spec_location(entity, f, "was"),
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


def migrations_listing(folder: Path) -> str:
    """One line per migration file with its hash: what ``provision`` must apply."""
    lines = []
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        if path.name != "__init__.py":
            lines.append(f"{sha256(path.read_bytes())}  {path.name}")
    return "".join(line + "\n" for line in lines)


def run_makemigrations(ctx: HookContext, python: Path, project_dir: Path) -> dict | HookResult:
    """The script's report for the project in ``project_dir`` (a copy of the output folder as
    the commit will leave it, or the folder itself)."""
    try:
        models = models_artifact(ctx)
    except LookupError as exc:  # a models generator that hands on nothing: a plugin mismatch
        return HookResult(str(exc), severity="error")
    args = [str(project_dir), models["app"], json.dumps(models["renames"], sort_keys=True)]
    done = run_script(python, "makemigrations", args, cwd=project_dir)
    return _report(done, python, "makemigrations")


def count_stored(ctx: HookContext, changes: list[dict]) -> dict:
    """``datacheck.py`` run in the output folder as it is now — its settings, its database — on
    the changes that could drop data: ``{"changes": [... with rows]}`` or ``{"database_error"}``.
    Before the first commit there is no project yet, and nothing stored."""
    out = ctx.output_dir
    python = django_python(out) if changes else None
    if python is None or not (out / "manage.py").is_file():
        return {"changes": [dict(c, rows=0) for c in changes]}
    done = run_script(python, "datacheck", [str(out), json.dumps(changes)], cwd=out)
    report = _report(done, python, "the data check")
    if isinstance(report, HookResult):
        return {"database_error": report.message}
    return report


def _report(done, python: Path, what: str) -> dict | HookResult:
    if done.returncode != 0:
        return HookResult(f"{what} failed (with {python}):\n{failure_text(done)}", severity="error")
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return HookResult(f"{what} printed no report (with {python}):\n{failure_text(done)}", "error")


def make_migrations(ctx: HookContext, python: Path, project_dir: Path) -> tuple[HookResult, list[str]]:
    """Make the app's new migrations in ``project_dir`` with ``python`` (also used by
    ``provision``, on the output folder itself). Returns the result and the new files."""
    report = run_makemigrations(ctx, python, project_dir)
    if isinstance(report, HookResult):
        return report, []
    models = models_artifact(ctx)
    problems = describe_problems(ctx.spec, models, report)
    if problems:
        rendered = "\n\n".join(p.render(ctx.project_dir) for p in problems)
        return HookResult(f"no migration was written:\n{rendered}", severity="error"), []
    stored = count_stored(ctx, report.get("data_loss", []))
    report = {**report, "data_loss": stored.get("changes", report.get("data_loss", []))}
    if "database_error" in stored:
        report["database_error"] = stored["database_error"]
    refused, warnings = data_loss(ctx.spec, models, report, allowed=bool(ctx.options.get("allow_data_loss")))
    if refused:
        rendered = "\n\n".join(p.render(ctx.project_dir) for p in refused)
        return HookResult(f"refused: the change would drop stored data\n{rendered}", severity="error"), []
    written = report["written"]
    format_new_files(ctx, project_dir, written)
    notes = "".join(f"\n  {w.severity}: {w.message}" for w in warnings)
    if not written:
        return HookResult(notes.strip(), severity="warning" if warnings else "info"), []
    ops = "".join(f"\n    {op}" for op in report["operations"])
    message = f"new migration {', '.join(written)}:{ops}{notes}"
    return HookResult(
        message, severity="warning" if warnings else "info", artifacts={"written": written}
    ), written


class MigrationsHook(Hook):
    name = "migrations"
    phase = "pre_commit"
    stack = "django"
    needs_spec = True
    reads = (MODELS,)
    doc = "Make new migrations before the models change (renames from `was`; stored data never dropped silently)."

    def spec_key(self, spec: AppSpec) -> list:
        # Nothing: what the script is given besides models.py and access.py comes from the
        # models artifact (a file_dep through `reads`). The spec only locates a problem for its
        # message, which matters on a run that fails, and a failed task runs again.
        return []

    def inputs(self, ctx: HookContext) -> list[Path]:
        out = ctx.output_dir
        return [*models_modules(out, ctx.pending), *access_modules(out, ctx.pending)]

    def targets(self, ctx: HookContext) -> list[Path]:
        return [stamp_path(ctx, self.name)]

    def run(self, ctx: HookContext) -> HookResult:
        try:
            app = app_package(ctx)
        except LookupError as exc:  # a models generator that hands on nothing: a plugin mismatch
            return HookResult(str(exc), severity="error")
        python = django_python(ctx.output_dir)
        if python is None:
            listing = migrations_listing(ctx.output_dir / app / "migrations")
            write_if_changed(stamp_path(ctx, self.name), listing or "no migrations yet\n")  # up to date
            return HookResult(
                "no Python with Django found (neither the project's .venv nor this one); "
                "build with --provision, or install Django, to make migrations",
                severity="warning",
                skipped=True,
            )
        scratch = ctx.state_dir / "tmp" / f"candidate-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            candidate = ctx.pending.materialize(scratch, suffixes=(".py", ".env"))  # what Django imports
            checkpoint("migrations:candidate")
            result, written = make_migrations(ctx, python, candidate)
            checkpoint("migrations:made")
            for rel in written:
                ctx.pending.add(rel, (candidate / rel).read_bytes())
            listing = migrations_listing(candidate / app / "migrations")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if result.severity != "error":
            write_if_changed(stamp_path(ctx, self.name), listing or "no migrations yet\n")
        return result
