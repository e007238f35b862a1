"""Make the migrations of one app, non-interactively, answering Django's questions from the spec.

Run with the generated project's interpreter:

    python makemigrations.py PROJECT_DIR APP_LABEL RENAMES_JSON

``RENAMES_JSON`` maps a lower-case model name to {new field: [old field names]} (the spec's
``was`` modifiers). Prints one JSON object on stdout: ``written`` (new migration files, relative
to PROJECT_DIR), ``operations`` (their descriptions), and the problems that stop it from
writing anything: ``not_null`` (a required field without default that existing rows would need
a value for), ``lost_renames`` (a ``was`` rename Django could not apply, so it would drop the
column), ``conflicts`` (several leaf migrations). Existing files are never touched: a new file
is opened in exclusive-create mode.

When the roles of ``<app>.access.ROLES`` differ from the ones the app's migrations made, a
``SyncRoles`` operation takes the groups there (``role_migrations.py``): at the end of the last
new migration, or in one of its own (``0003_roles``). An app that never had roles gets none.

``data_loss`` lists every change that could drop stored values — a field removed, an entity
removed, a field whose new type may not hold what is stored, a role removed (its group and who
is in it) — with the tables and columns where ``datacheck.py``, run in the project as it is
now, counts the rows that hold data.

Only Django and the standard library are imported: the interpreter need not have DAZZLE.
"""

import json
import os
import sys

from linear_migrations import indexed_autodetector, linear_optimizer, steady_swappable_names
from role_migrations import add_sync_roles, members_at_risk


def main(project_dir, app_label, renames):
    sys.path[0] = project_dir  # the script's own folder must not shadow anything
    os.chdir(project_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Settings may insist on a key; making migrations never signs anything.
    os.environ.setdefault("SECRET_KEY", "dazzle-makemigrations-only")

    import django

    django.setup()

    from django.apps import apps
    from django.db import models
    from django.db.migrations import operations
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.questioner import MigrationQuestioner
    from django.db.migrations.state import ProjectState
    from django.db.migrations.writer import MigrationWriter
    from django.utils import timezone

    report = {
        "written": [],
        "operations": [],
        "not_null": [],
        "lost_renames": [],
        "conflicts": [],
        "data_loss": [],
    }

    class SpecQuestioner(MigrationQuestioner):
        """Answers from the spec instead of a terminal; records what only the spec can fix."""

        def ask_rename(self, model_name, old_name, new_name, field_instance):
            return old_name in renames.get(model_name.lower(), {}).get(new_name, ())

        def ask_rename_model(self, old_model_state, new_model_state):
            return False  # the language has no entity rename

        def ask_not_null_addition(self, field_name, model_name):
            report["not_null"].append({"model": model_name, "field": field_name, "change": "add"})

        def ask_not_null_alteration(self, field_name, model_name):
            report["not_null"].append({"model": model_name, "field": field_name, "change": "alter"})
            return models.NOT_PROVIDED

        def ask_auto_now_add_addition(self, field_name, model_name):
            # `auto_add` counts as a default in the spec: existing rows get the migration's time.
            return timezone.now

        def ask_merge(self, app_label):
            return False

    loader = MigrationLoader(None, ignore_no_migrations=True)
    conflicts = loader.detect_conflicts().get(app_label)
    if conflicts:
        report["conflicts"] = sorted(conflicts)
        return report

    questioner = SpecQuestioner(specified_apps={app_label})
    with linear_optimizer(), steady_swappable_names():
        old_state = loader.project_state()
        autodetector = indexed_autodetector(MigrationAutodetector)(
            old_state, ProjectState.from_apps(apps), questioner
        )
        changes = autodetector.changes(graph=loader.graph, trim_to_apps={app_label}, convert_apps={app_label})
        old_apps = old_state.apps  # the old models, rendered once (the autodetector did)
    migrations = changes.get(app_label, [])
    sync = add_sync_roles(loader, app_label, migrations)

    ops = [op for migration in migrations for op in migration.operations]
    added = {(op.model_name_lower, op.name_lower) for op in ops if isinstance(op, operations.AddField)}
    removed = {(op.model_name_lower, op.name_lower) for op in ops if isinstance(op, operations.RemoveField)}
    for model, fields in sorted(renames.items()):
        for new, olds in sorted(fields.items()):
            for old in olds:
                if (model, new.lower()) in added and (model, old.lower()) in removed:
                    report["lost_renames"].append({"model": model, "field": new, "old": old})

    report["operations"] = [op.describe() for op in ops]
    report["data_loss"] = data_at_risk(old_apps, app_label, ops, operations) + members_at_risk(sync)
    if report["not_null"] or report["lost_renames"]:
        return report

    for migration in migrations:
        writer = MigrationWriter(migration)
        os.makedirs(os.path.dirname(writer.path), exist_ok=True)
        with open(writer.path, "x", encoding="utf-8") as handle:
            handle.write(writer.as_string())
        report["written"].append(os.path.relpath(writer.path, project_dir).replace(os.sep, "/"))
    return report


def data_at_risk(old_apps, app_label, ops, operations):
    """The changes in ``ops`` that could drop stored values, with what ``datacheck.py`` needs to
    count the rows that hold some: the old table and column, and for a new type the field that
    must hold the values (its class and size)."""
    from django.db.models import CharField, TextField

    added = {}
    for op in ops:
        if isinstance(op, operations.AddField):
            added.setdefault(op.model_name_lower, []).append(op.name)
    found = []
    for op in ops:
        if isinstance(op, operations.RemoveField):
            model = old_apps.get_model(app_label, op.model_name)
            field = model._meta.get_field(op.name)
            found.append(
                {
                    "change": "remove_field",
                    "model": model.__name__,
                    "field": op.name,
                    "table": model._meta.db_table,
                    "column": field.column,
                    "text": isinstance(field, (CharField, TextField)),
                    "added": sorted(added.get(op.model_name_lower, ())),
                }
            )
        elif isinstance(op, operations.DeleteModel):
            model = old_apps.get_model(app_label, op.name)
            found.append({"change": "delete_model", "model": model.__name__, "table": model._meta.db_table})
        elif isinstance(op, operations.AlterField):
            model = old_apps.get_model(app_label, op.model_name)
            old = model._meta.get_field(op.name)
            new = op.field.clone()
            new.set_attributes_from_name(op.name)
            if _narrows(old, new):
                found.append(
                    {
                        "change": "alter_field",
                        "model": model.__name__,
                        "field": op.name,
                        "table": model._meta.db_table,
                        "column": old.column,
                        "old": old.get_internal_type(),
                        "new": new.get_internal_type(),
                        "holder": {
                            "class": f"{type(new).__module__}.{type(new).__qualname__}",
                            "options": {
                                k: getattr(new, k)
                                for k in ("max_length", "max_digits", "decimal_places")
                                if getattr(new, k, None) is not None
                            },
                        },
                    }
                )
    return found


def _narrows(old, new):
    """Could the new field refuse values the old one held (another type, fewer characters or
    digits)?"""
    if old.get_internal_type() != new.get_internal_type():
        return True
    for attr in ("max_length", "max_digits", "decimal_places"):
        a, b = getattr(old, attr, None), getattr(new, attr, None)
        if a is not None and b is not None and b < a:
            return True
    return False


if __name__ == "__main__":
    project, label, renames_json = sys.argv[1:4]
    print(json.dumps(main(os.path.abspath(project), label, json.loads(renames_json))))
