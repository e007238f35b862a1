"""The migrations hook and the app's roles, on the hand-written Django project: a change of
``<app>/access.py``'s ``ROLES`` adds one ``SyncRoles`` (to the new migration, or in one of its
own) that keeps the groups in step both ways; unchanged roles, or none, add nothing; a removed
role whose group has people in it is refused like any stored data, unless allowed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dazzle.ir import App, Location, Role
from generators.django.access import AccessGenerator
from generators.django.render import render
from hooks.django.data_loss import data_loss
from hooks.django.migrations import MigrationsHook
from tests.hooks.test_migrations import migration_files
from tests.hooks.test_projects import (
    APP,
    MODELS_V1,
    SPEC_V1,
    DirectCommit,
    context,
    manage,
    models_artifact,
    rows,
    write_project,
)

OPERATIONS = render(AccessGenerator().template_dir(), "app/migration_operations.py.j2", app=APP)


def write_roles(out: Path, *roles: str | tuple[str, str]) -> None:
    """``access.py`` with these roles (a name, or a name and title), and the operations module,
    as the access generator writes them."""
    pairs = tuple(r if isinstance(r, tuple) else (r, r.title()) for r in roles)
    (out / APP / "access.py").write_text(f"ROLES = {pairs!r}\n")
    (out / APP / "migration_operations.py").write_text(OPERATIONS)


def groups(out: Path) -> list[str]:
    return [name for (name,) in rows(out, "select name from auth_group order by name")]


def migrate(out: Path, *target: str) -> None:
    done = manage(out, "migrate", *target, "--noinput")
    assert done.returncode == 0, done.stderr


def text(out: Path, name: str) -> str:
    return migration_files(out)[name].decode()


@pytest.fixture
def ctx(tmp_path):
    ctx = context(tmp_path)
    write_project(ctx.output_dir)
    return ctx


@pytest.fixture(scope="module")
def with_roles(tmp_path_factory):
    """A project whose 0001 migration the hook made with roles agent and manager (made once
    for the module: each Django start costs a second or more)."""
    ctx = context(tmp_path_factory.mktemp("roles"))
    write_project(ctx.output_dir)
    write_roles(ctx.output_dir, "agent", "manager")
    result = MigrationsHook().run(ctx)
    assert result.severity == "info", result.message
    return ctx.output_dir, result.message


@pytest.fixture
def migrated(tmp_path, with_roles):
    """A fresh copy of that project, migrated."""
    ctx = context(tmp_path)
    shutil.copytree(with_roles[0], ctx.output_dir)
    migrate(ctx.output_dir)
    return ctx


def test_the_roles_join_the_first_migration_and_migrate_makes_their_groups(with_roles, tmp_path):
    out, message = with_roles
    assert list(migration_files(out)) == ["0001_initial.py"]
    initial = text(out, "0001_initial.py")
    assert "shop.migration_operations.SyncRoles(" in initial and 'roles=["agent", "manager"]' in initial
    assert '("auth", "0012_' in initial  # the Group table exists first
    assert "Create model Item" in message and "add role agent, manager" in message
    copy = Path(shutil.copytree(out, tmp_path / "copy"))
    migrate(copy)
    assert groups(copy) == ["agent", "manager"]
    done = manage(copy, "makemigrations", "--check", "--dry-run")  # Django reads back what was written
    assert done.returncode == 0 and "No changes detected" in done.stdout


def test_unchanged_roles_write_nothing_even_reordered_or_retitled(migrated):
    out = migrated.output_dir
    before = migration_files(out)
    assert MigrationsHook().run(migrated).message == ""
    write_roles(out, ("manager", "Team lead"), "agent")
    assert MigrationsHook().run(migrated).message == ""
    assert migration_files(out) == before


def test_a_role_change_alone_is_a_migration_of_its_own_and_reverses(migrated):
    out = migrated.output_dir
    write_roles(out, "agent", "auditor")
    result = MigrationsHook().run(migrated)
    assert result.severity == "warning", result.message  # manager's group goes (nobody in it)
    assert result.message.startswith("new migration shop/migrations/0002_roles.py:\n    ")
    assert "add role auditor; remove role manager" in result.message
    assert "role `manager` is removed: its group is deleted (nobody is in it" in result.message
    roles = text(out, "0002_roles.py")
    assert 'roles=["agent", "auditor"]' in roles and 'previous=["agent", "manager"]' in roles
    assert '("shop", "0001_initial")' in roles and '("auth", "0012_' in roles
    assert "initial = True" not in roles
    migrate(out)
    assert groups(out) == ["agent", "auditor"]
    migrate(out, APP, "0001")
    assert groups(out) == ["agent", "manager"]
    migrate(out, APP, "zero")
    assert groups(out) == []
    migrate(out)
    assert groups(out) == ["agent", "auditor"]
    assert MigrationsHook().run(migrated).message == ""  # the last SyncRoles is what counts


def test_a_role_change_with_a_model_change_joins_that_migration(migrated):
    out = migrated.output_dir
    write_roles(out, "agent", "manager", "auditor")
    (out / APP / "models.py").write_text(MODELS_V1 + "    notes = models.TextField(null=True, blank=True)\n")
    result = MigrationsHook().run(migrated)
    assert result.severity == "info", result.message
    assert list(migration_files(out)) == ["0001_initial.py", "0002_item_notes.py"]
    made = text(out, "0002_item_notes.py")
    assert "AddField" in made and 'roles=["agent", "manager", "auditor"]' in made
    assert '("auth", "0012_' in made
    migrate(out)
    assert groups(out) == ["agent", "auditor", "manager"]


def test_roles_added_to_an_app_without_them(ctx):
    out = ctx.output_dir
    assert MigrationsHook().run(ctx).severity == "info"
    write_roles(out, "agent")
    result = MigrationsHook().run(ctx)
    assert result.severity == "info", result.message
    assert list(migration_files(out)) == ["0001_initial.py", "0002_roles.py"]
    assert 'roles=["agent"]' in text(out, "0002_roles.py") and "previous" not in text(out, "0002_roles.py")
    migrate(out)
    assert groups(out) == ["agent"]


def test_an_app_with_roles_and_no_models_gets_an_initial_roles_migration(ctx):
    out = ctx.output_dir
    (out / APP / "models.py").write_text("")
    write_roles(out, "agent")
    result = MigrationsHook().run(ctx)
    assert result.severity == "info", result.message
    assert list(migration_files(out)) == ["0001_roles.py"]
    assert "initial = True" in text(out, "0001_roles.py")
    migrate(out)
    assert groups(out) == ["agent"]


@pytest.mark.parametrize("access", [None, "ROLES = ()\n", "DEFAULT = None\n"])
def test_no_roles_no_sync_roles(ctx, access):
    """A 0.1 project (no access.py), one without roles, one whose access.py has no ``ROLES``:
    the migrations are exactly Django's."""
    out = ctx.output_dir
    if access is not None:
        (out / APP / "access.py").write_text(access)
        (out / APP / "migration_operations.py").write_text(OPERATIONS)
    result = MigrationsHook().run(ctx)
    assert result.severity == "info" and "role" not in result.message
    initial = text(out, "0001_initial.py")
    assert "SyncRoles" not in initial and "migration_operations" not in initial and "auth" not in initial


def test_a_removed_role_with_people_in_it_is_refused_unless_allowed(migrated):
    out = migrated.output_dir
    people = (
        "from django.contrib.auth.models import Group, User\n"
        "for name in ('ann', 'bob'):\n"
        "    User.objects.create_user(name).groups.add(Group.objects.get(name='manager'))\n"
    )
    done = manage(out, "shell", "-c", people)
    assert done.returncode == 0, done.stderr
    before = migration_files(out)
    write_roles(out, "agent")
    result = MigrationsHook().run(migrated)
    assert result.severity == "error"
    assert (
        "role `manager` is gone from the spec, and deleting its group would take everyone out of it "
        "(2 people are in it)" in result.message
    )
    assert "build with `--allow-data-loss` to delete the group anyway" in result.message
    assert migration_files(out) == before

    migrated.options["allow_data_loss"] = True
    allowed = MigrationsHook().run(migrated)
    assert allowed.severity == "warning" and "dropped, as --allow-data-loss asks" in allowed.message
    migrate(out)
    assert groups(out) == ["agent"] and rows(out, "select count(*) from auth_user_groups") == [(0,)]


def test_a_removed_role_over_a_database_that_cannot_be_read_is_refused(migrated):
    out = migrated.output_dir
    (out / "db.sqlite3").write_bytes(b"this is not a database")
    write_roles(out, "agent")
    result = MigrationsHook().run(migrated)
    assert result.severity == "error"
    assert "(the local database could not be read)" in result.message
    assert "could not read the local database" in result.message


APP_LINE = Location("dsl/app.dsl", 1, 5)
SPEC = SPEC_V1.model_copy(update={"app": App(name=APP, roles=(Role(name="agent"),), loc=APP_LINE)})
REMOVED = {"change": "remove_role", "role": "manager", "table": "auth_user_groups"}


def judged(people: int, allowed: bool = False):
    """(refusals, warnings) for role manager removed with ``people`` in its group."""
    return data_loss(SPEC, models_artifact(SPEC), {"data_loss": [dict(REMOVED, rows=people)]}, allowed)


@pytest.mark.parametrize(("people", "said"), [(1, "(1 person is in it)"), (3, "(3 people are in it)")])
def test_a_removed_role_is_refused_naming_its_people(people, said):
    refused, warnings = judged(people)
    assert warnings == [] and len(refused) == 1
    assert (
        refused[0].message.startswith("role `manager` is gone from the spec") and said in refused[0].message
    )
    assert refused[0].loc == APP_LINE  # the app's line, where its roles are
    refused, warnings = judged(people, allowed=True)
    assert refused == [] and warnings[0].message.endswith(f"{said}: dropped, as --allow-data-loss asks")


def test_a_removed_role_nobody_is_in_is_a_warning():
    refused, warnings = judged(0)
    assert refused == [] and [w.severity for w in warnings] == ["warning"]
    assert warnings[0].message == (
        "role `manager` is removed: its group is deleted (nobody is in it in the local database)"
    )


class Staged(DirectCommit):
    """A pending commit that writes or removes some files (``changes``: path → bytes or None)."""

    def __init__(self, output_dir: Path, changes: dict[str, bytes | None]):
        super().__init__(output_dir)
        self.changes = changes

    def content(self, path: str) -> bytes | None:
        return self.changes[path] if path in self.changes else super().content(path)

    def changed(self) -> list[str]:
        return sorted(self.changes)


def test_the_task_depends_on_the_access_module_as_the_commit_will_leave_it(ctx):
    hook, out = MigrationsHook(), ctx.output_dir
    models, access = out / APP / "models.py", out / APP / "access.py"
    assert hook.inputs(ctx) == [models]  # a 0.1 project
    ctx.pending = Staged(out, {f"{APP}/access.py": b"ROLES = ()\n"})
    assert hook.inputs(ctx) == [models, access]  # about to be written (the first build)
    write_roles(out, "agent")
    ctx.pending = None
    assert hook.inputs(ctx) == [models, access]
    ctx.pending = Staged(out, {f"{APP}/access.py": None})
    assert hook.inputs(ctx) == [models]  # about to be removed
    assert hook.spec_key(SPEC) == []  # the roles reach the task through access.py, not the spec
