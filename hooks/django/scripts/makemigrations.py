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

``data_loss`` lists every change that could drop stored values — a field removed, an entity
removed, a field whose new type may not hold what is stored — with the table and column where
``datacheck.py``, run in the project as it is now, counts the rows that hold data.

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

    ops = [op for migration in migrations for op in migration.operations]
    added = {(op.model_name_lower, op.name_lower) for op in ops if isinstance(op, operations.AddField)}
    removed = {(op.model_name_lower, op.name_lower) for op in ops if isinstance(op, operations.RemoveField)}
    for model, fields in sorted(renames.items()):
        for new, olds in sorted(fields.items()):
            for old in olds:
                if (model, new.lower()) in added and (model, old.lower()) in removed:
                    report["lost_renames"].append({"model": model, "field": new, "old": old})

    report["operations"] = [op.describe() for op in ops]
    report["data_loss"] = data_at_risk(old_apps, app_label, ops, operations)
    if report["not_null"] or report["lost_renames"]:
        return report

    for migration in migrations:
        writer = MigrationWriter(migration)
        os.makedirs(os.path.dirname(writer.path), exist_ok=True)
        with open(writer.path, "x", encoding="utf-8") as handle:
            handle.write(writer.as_string())
        report["written"].append(os.path.relpath(writer.path, project_dir).replace(os.sep, "/"))
    return report


class steady_swappable_names:
    """While active, the project's app registry answers ``get_swappable_settings_name`` from a
    memo that lasts.

    Django caches that answer with one ``functools.cache`` shared by every registry, and each
    model rendered into a migration state clears it (``Apps.clear_cache``); the next foreign key
    asks again and the project's registry walks all its models: quadratic in the number of
    models (6 of the 18 s of a field change at 2,000 entities). The project's own registry does
    not change while migrations are made, so its answers are kept; every other registry is
    asked as before."""

    def __enter__(self):
        from django.apps import apps as project_apps
        from django.apps.registry import Apps

        self.original = original = Apps.__dict__.get("get_swappable_settings_name")
        if original is None or not hasattr(original, "cache_clear"):
            return self  # another Django than the one this was written against
        memo = {}

        def get_swappable_settings_name(registry, to_string):
            if registry is not project_apps:
                return original(registry, to_string)
            key = to_string.lower()
            if key not in memo:
                memo[key] = original(registry, to_string)
            return memo[key]

        get_swappable_settings_name.cache_clear = original.cache_clear
        Apps.get_swappable_settings_name = get_swappable_settings_name
        return self

    def __exit__(self, *exc):
        from django.apps.registry import Apps

        if self.original is not None and hasattr(self.original, "cache_clear"):
            Apps.get_swappable_settings_name = self.original
        return False


def indexed_autodetector(base):
    """``base`` (Django's ``MigrationAutodetector``) with its operations sorted in linear time
    (and its index step made linear, see ``create_altered_indexes``).

    Django sorts an app's operations by checking each dependency of each operation against
    every operation of the app: quadratic (23 million checks, most of a first build, at 2,000
    models). Every dependency Django checks names a model, and only an operation on that model
    can meet it, so here each dependency is checked — with Django's own ``check_dependency`` —
    against the operations on its model only, in the app's order: the same graph, the same
    order (``tests/hooks/test_linear_optimizer.py`` compares the two)."""

    from django.db.migrations import autodetector

    if not all(
        hasattr(base, name) for name in ("_sort_migrations", "_resolve_dependency", "check_dependency")
    ):
        return base  # another Django than the one this was written against: its own sort
    if not hasattr(autodetector, "OperationDependency"):
        return base

    class IndexedAutodetector(base):
        def _sort_migrations(self):
            from graphlib import TopologicalSorter

            for app_label, ops in sorted(self.generated_operations.items()):
                by_model = {}
                for op in ops:
                    names = {getattr(op, "model_name_lower", None), getattr(op, "name_lower", None)}
                    for name in names - {None}:
                        by_model.setdefault(name, []).append(op)
                ts = TopologicalSorter()
                for op in ops:
                    ts.add(op)
                    for dep in op._auto_deps:
                        dep = self._resolve_dependency(dep)[0]
                        if dep.app_label != app_label:
                            continue
                        candidates = by_model.get(dep.model_name_lower, ())
                        ts.add(op, *(x for x in candidates if self.check_dependency(x, dep)))
                self.generated_operations[app_label] = list(ts.static_order())

        def create_altered_indexes(self):
            # Django walks every kept model's together-options once for each kept model:
            # quadratic (12 of the 18 s of a field change at 2,000 entities). Nothing it reads
            # changes during this step, so the walk is done once per option here.
            walked = {}
            walk = super()._get_altered_foo_together_operations

            def once(option_name):
                if option_name not in walked:
                    walked[option_name] = list(walk(option_name))
                return iter(walked[option_name])

            self._get_altered_foo_together_operations = once
            try:
                return super().create_altered_indexes()
            finally:
                del self._get_altered_foo_together_operations

    if not hasattr(base, "create_altered_indexes") or not hasattr(
        base, "_get_altered_foo_together_operations"
    ):
        del IndexedAutodetector.create_altered_indexes
    return IndexedAutodetector


class linear_optimizer:
    """While active, the autodetector's migrations are optimized in linear time.

    Django's ``MigrationOptimizer`` compares every operation with every later one: quadratic, and
    most of the time of a first migration of hundreds of models (the autodetector creates each
    model without its foreign keys, indexes and constraints, adds those one by one, and the
    optimizer folds them back). Here a migration that only creates models (with what is added
    to them) is written directly in its optimal form (``create_in_order``); any other migration
    goes through Django's optimizer unless no two of its operations concern the same model —
    the one case where it has nothing to do, as each of its reductions merges operations on one
    model.
    """

    def __enter__(self):
        from django.db.migrations import autodetector

        self.module = autodetector
        self.original = getattr(autodetector, "MigrationOptimizer", None)
        original = self.original
        if original is None:  # another Django than the one this was written against
            return self

        class LinearOptimizer(original):
            def optimize(self, operations, app_label):
                if only_creations(operations):
                    return create_in_order(operations, app_label)
                if distinct_models(operations):
                    return list(operations)
                return original().optimize(operations, app_label)

        autodetector.MigrationOptimizer = LinearOptimizer
        return self

    def __exit__(self, *exc):
        if self.original is not None:
            self.module.MigrationOptimizer = self.original
        return False


def operation_models(op):
    """The lower-case names of the models an operation changes (not those it merely points at)."""
    names = set()
    for attr in ("model_name", "name", "old_name", "new_name"):
        value = getattr(op, attr, None) if attr != "name" or not hasattr(op, "model_name") else None
        if isinstance(value, str):
            names.add(value.lower())
    return names


def distinct_models(ops):
    """True when no two operations change the same model: Django's optimizer has nothing to merge."""
    seen = set()
    for op in ops:
        names = operation_models(op)
        if not names or names & seen:
            return False
        seen |= names
    return True


def _additions():
    from django.db.migrations import operations

    return (
        operations.AddField,
        operations.AddIndex,
        operations.AddConstraint,
        operations.AlterUniqueTogether,
    )


def _model_of(op):
    return getattr(op, "model_name_lower", None) or op.name_lower


def only_creations(ops):
    """Does the migration only create models and add fields, indexes, constraints and
    ``unique_together`` to the models it creates?"""
    from django.db.migrations import operations

    created = {op.name_lower for op in ops if isinstance(op, operations.CreateModel)}
    additions = _additions()
    return bool(created) and all(
        isinstance(op, operations.CreateModel) or (isinstance(op, additions) and _model_of(op) in created)
        for op in ops
    )


def create_in_order(ops, app_label):
    """A migration of ``only_creations`` in its optimal form: one ``CreateModel`` per model with
    everything added to it folded in, each after the models its foreign keys point at (a
    depth-first order from the autodetector's). A key that closes a cycle cannot fold: it is
    added after all the models, and with it the model's indexes and constraints (they may use it)."""
    from django.db.migrations import operations

    creates, added = {}, {}
    for op in ops:
        if isinstance(op, operations.CreateModel):
            creates[op.name_lower] = op
        else:
            added.setdefault(_model_of(op), []).append(op)
    keys = {
        model: [
            (
                op,
                [t[1] for t in _related(op.field, app_label, model) if t[0] == app_label and t[1] in creates],
            )
            for op in added.get(model, ())
            if isinstance(op, operations.AddField)
        ]
        for model in creates
    }
    order, cyclic = _depth_first(creates, keys)
    later = [op for op in ops if id(op) in cyclic]
    late_models = {_model_of(op) for op in later}
    out = []
    for model in order:
        create = creates[model]
        fields, options = list(create.fields), dict(create.options)
        for op in added.get(model, ()):
            if isinstance(op, operations.AddField):
                if id(op) not in cyclic:
                    fields.append((op.name, op.field))
            elif model in late_models:
                later.append(op)
            elif isinstance(op, operations.AddIndex):
                options["indexes"] = [*options.get("indexes", []), op.index]
            elif isinstance(op, operations.AddConstraint):
                options["constraints"] = [*options.get("constraints", []), op.constraint]
            else:  # AlterUniqueTogether
                options[op.option_name] = op.option_value
        out.append(_replace(create, fields=fields, options=options))
    position = {id(op): i for i, op in enumerate(ops)}
    return out + sorted(later, key=lambda op: position[id(op)])


def _depth_first(creates, keys):
    """The created models, each after the ones its keys point at; and the ids of the AddField
    operations whose key points back at a model still being placed (a cycle)."""
    placing, placed, order, cyclic = set(), set(), [], set()
    for root in creates:
        if root in placed:
            continue
        stack = [(root, iter([(op, t) for op, targets in keys[root] for t in targets]))]
        placing.add(root)
        while stack:
            model, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                stack.pop()
                placing.discard(model)
                placed.add(model)
                order.append(model)
                continue
            op, target = edge
            if target == model or target in placed:
                continue
            if target in placing:
                cyclic.add(id(op))
                continue
            placing.add(target)
            stack.append((target, iter([(o, t) for o, targets in keys[target] for t in targets])))
    return order, cyclic


def _related(field, app_label, model_name):
    """The (app label, model name) pairs a field points at: its related model and ``through``."""
    from django.db.migrations.utils import resolve_relation

    remote = getattr(field, "remote_field", None)
    if remote is None:
        return []
    found = [resolve_relation(remote.model, app_label, model_name)]
    through = getattr(remote, "through", None)
    if through is not None:
        found.append(resolve_relation(through, app_label, model_name))
    return found


def _replace(create, **changes):
    from django.db.migrations import operations

    values = {"name": create.name, "fields": create.fields, "options": create.options}
    values.update(bases=create.bases, managers=create.managers, **changes)
    return operations.CreateModel(**values)


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
