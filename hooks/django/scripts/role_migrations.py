"""The roles' groups in the app's migrations: which roles the migrations made, which the app
declares now, and the ``SyncRoles`` operation that takes the one to the other.

Imported by ``makemigrations.py`` (Django and the standard library only, like it). A role is a
``django.contrib.auth`` ``Group`` of its name. The app declares its roles in ``<app>.access``
(``ROLES``: (name, title) pairs; a project without it has none); its migrations make them with
``SyncRoles`` from ``<app>.migration_operations``, whose ``roles`` say what they are from that
migration on. Names matter, not their order or titles: a reordering or a new title writes no
migration.
"""

import importlib
import importlib.util

OPERATION = "SyncRoles"


def _is_sync(op, app_label):
    """A ``SyncRoles`` of the app, known by its class's name and module rather than by the
    class, so that any copy of the module (regenerated, reloaded) counts."""
    kind = type(op)
    return kind.__name__ == OPERATION and kind.__module__ == f"{app_label}.migration_operations"


def migrated_roles(loader, app_label):
    """The role names the app's migrations leave: the ``roles`` of the last ``SyncRoles`` in
    graph order up to the app's leaf ([] without one). ``loader``: a ``MigrationLoader`` whose
    app has at most one leaf (several are a conflict, reported before)."""
    leaves = loader.graph.leaf_nodes(app_label)
    found = []
    for key in loader.graph.forwards_plan(leaves[0]) if leaves else ():
        if key[0] == app_label:
            for op in loader.graph.nodes[key].operations:
                if _is_sync(op, app_label):
                    found = list(op.roles)
    return found


def declared_roles(app_label):
    """The role names of ``<app>.access.ROLES``, in its order ([] without the module or the name)."""
    module = f"{app_label}.access"
    if importlib.util.find_spec(module) is None:
        return []
    return [name for name, _title in getattr(importlib.import_module(module), "ROLES", ())]


def add_sync_roles(loader, app_label, migrations):
    """When the declared roles differ from the migrated ones, a ``SyncRoles`` from the one to
    the other: appended to the last of ``migrations`` (the autodetector's for this app, in
    order), or else in a migration of its own after the app's leaf, added to ``migrations``.
    Either depends on the auth app's leaf (the ``Group`` table). Returns the operation, or None
    when the roles are unchanged."""
    old, new = migrated_roles(loader, app_label), declared_roles(app_label)
    if set(old) == set(new):
        return None
    from django.db.migrations import Migration
    from django.db.migrations.autodetector import MigrationAutodetector

    sync = importlib.import_module(f"{app_label}.migration_operations").SyncRoles(roles=new, previous=old)
    if migrations:
        migration = migrations[-1]
    else:
        leaves = loader.graph.leaf_nodes(app_label)
        number = (MigrationAutodetector.parse_number(leaves[0][1]) or 0) + 1 if leaves else 1
        migration = Migration(f"{number:04d}_{sync.migration_name_fragment}", app_label)
        migration.dependencies = list(leaves)
        migration.initial = not leaves
        migrations.append(migration)
    for leaf in loader.graph.leaf_nodes("auth"):
        if leaf not in migration.dependencies:
            migration.dependencies.append(leaf)
    migration.operations.append(sync)
    return sync


def members_at_risk(sync):
    """For each role ``sync`` removes (None: no change), what ``datacheck.py`` needs to count
    the people in its group: the table of users' groups and its group column, and the group
    table's key and name columns."""
    removed = [name for name in sync.previous if name not in sync.roles] if sync is not None else []
    if not removed:
        return []
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    groups = get_user_model()._meta.get_field("groups")
    where = {
        "table": groups.m2m_db_table(),
        "column": groups.m2m_reverse_name(),
        "group_table": Group._meta.db_table,
        "group_key": Group._meta.pk.column,
        "group_name": Group._meta.get_field("name").column,
    }
    return [{"change": "remove_role", "role": name, **where} for name in removed]
