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

Only Django and the standard library are imported: the interpreter need not have DAZZLE.
"""

import json
import os
import sys


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

    report = {"written": [], "operations": [], "not_null": [], "lost_renames": [], "conflicts": []}

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
    autodetector = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps), questioner)
    changes = autodetector.changes(graph=loader.graph, trim_to_apps={app_label}, convert_apps={app_label})
    migrations = changes.get(app_label, [])

    ops = [op for migration in migrations for op in migration.operations]
    added = {(op.model_name_lower, op.name_lower) for op in ops if isinstance(op, operations.AddField)}
    removed = {(op.model_name_lower, op.name_lower) for op in ops if isinstance(op, operations.RemoveField)}
    for model, fields in sorted(renames.items()):
        for new, olds in sorted(fields.items()):
            for old in olds:
                if (model, new.lower()) in added and (model, old.lower()) in removed:
                    report["lost_renames"].append({"model": model, "field": new, "old": old})

    report["operations"] = [op.describe() for op in ops]
    if report["not_null"] or report["lost_renames"]:
        return report

    for migration in migrations:
        writer = MigrationWriter(migration)
        os.makedirs(os.path.dirname(writer.path), exist_ok=True)
        with open(writer.path, "x", encoding="utf-8") as handle:
            handle.write(writer.as_string())
        report["written"].append(os.path.relpath(writer.path, project_dir).replace(os.sep, "/"))
    return report


if __name__ == "__main__":
    project, label, renames_json = sys.argv[1:4]
    print(json.dumps(main(os.path.abspath(project), label, json.loads(renames_json))))
