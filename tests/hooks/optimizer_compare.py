"""Run in a Django project's folder: the app's next migrations made twice — with the linear
steps of ``hooks/django/scripts/linear_migrations.py`` and with Django's own — and how they
compare.

    python optimizer_compare.py APP_LABEL

Prints one JSON object: ``same`` (the two migrations' source text is identical),
``same_sort`` (the indexed sort with Django's optimizer makes Django's very text),
``fixed`` (Django's optimizer leaves the linear result as it is: nothing left to do),
``same_state`` (both lead to the same models), ``operations`` and ``django_operations`` (how
many each has), and ``linear`` and ``django`` (their text, for a failing test to show).
"""

import json
import os
import sys


def main(app_label):
    sys.path[0] = os.getcwd()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "compare")
    import django

    django.setup()
    import runpy

    from django.apps import apps
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.optimizer import MigrationOptimizer
    from django.db.migrations.questioner import MigrationQuestioner
    from django.db.migrations.state import ProjectState
    from django.db.migrations.writer import MigrationWriter

    script = runpy.run_path(os.environ["LINEAR_MIGRATIONS"])
    loader = MigrationLoader(None, ignore_no_migrations=True)

    def changes(detector_class):
        detector = detector_class(
            loader.project_state(),
            ProjectState.from_apps(apps),
            MigrationQuestioner(specified_apps={app_label}),
        )
        found = detector.changes(graph=loader.graph, trim_to_apps={app_label}, convert_apps={app_label})
        return found.get(app_label, [])

    indexed = script["indexed_autodetector"](MigrationAutodetector)
    with script["linear_optimizer"]():
        linear = changes(indexed)
    django_made = changes(MigrationAutodetector)
    indexed_sort = changes(indexed)  # with Django's optimizer: only the sort differs from Django's

    def text(migrations):
        return "\n".join(MigrationWriter(m).as_string().split("\n", 2)[2] for m in migrations)  # no date line

    def state(migrations):
        current = loader.project_state()
        for migration in migrations:
            for op in migration.operations:
                op.state_forwards(app_label, current)
        return {
            key: repr(sorted((n, f.deconstruct()[1:]) for n, f in m.fields.items()))
            + repr(sorted(m.options.items(), key=str))
            for key, m in current.models.items()
        }

    fixed = all(
        text([m]) == text([_with_ops(m, MigrationOptimizer().optimize(m.operations, app_label))])
        for m in linear
    )
    return {
        "same": text(linear) == text(django_made),
        "same_sort": text(indexed_sort) == text(django_made),
        "fixed": fixed,
        "same_state": state(linear) == state(django_made),
        "operations": sum(len(m.operations) for m in linear),
        "django_operations": sum(len(m.operations) for m in django_made),
        "linear": text(linear),
        "django": text(django_made),
    }


def _with_ops(migration, operations):
    import copy

    other = copy.copy(migration)
    other.operations = operations
    return other


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
