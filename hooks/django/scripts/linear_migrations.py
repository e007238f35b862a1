"""Migrations in linear time: Django's autodetector, minus its quadratic steps.

Imported by ``makemigrations.py`` (Django and the standard library only, like it). At a few
hundred models most of the time of making migrations went into four places of Django 5.2 that
compare everything with everything; each is replaced here by a step that gives the same result
(``tests/hooks/test_linear_optimizer.py`` holds them to Django's own):

- ``linear_optimizer``: the optimizer (a migration that only creates models is written in its
  optimal form; others go to Django's optimizer only when two operations concern one model);
- ``indexed_autodetector``: the sort of the operations, and the index step;
- ``steady_swappable_names``: the "is this model swappable" lookups while models are rendered.

With a Django whose internals differ, each falls back to Django's own step.
"""


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

        original = Apps.__dict__.get("get_swappable_settings_name")
        self.original = original if hasattr(original, "cache_clear") else None
        if self.original is None:
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

        if self.original is not None:
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
    """The lower-case names an operation changes: its model (``model_name`` of a field or index
    operation, ``name`` of a model operation) and any old and new name it has (a RenameModel's
    models; a RenameField's fields, which only make ``distinct_models`` more careful)."""
    names = {op.model_name} if hasattr(op, "model_name") else {getattr(op, "name", None)}
    names |= {getattr(op, "old_name", None), getattr(op, "new_name", None)}
    return {name.lower() for name in names if isinstance(name, str)}


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
