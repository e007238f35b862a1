"""The app's roles are groups its migrations keep in step (REFERENCE §Access control), end to
end with the real CLI on the todo example: the first build's migration makes them, each change
of roles on a rebuild is one new migration, ``migrate`` both ways keeps the groups in step,
Django finds nothing left to write; a removed role with people in it is refused unless
``--allow-data-loss``; unchanged roles, a label edit or a spec without roles write nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.generated_app import dazzle, manage
from tests.support import EXAMPLES

pytestmark = pytest.mark.slow

APP_LINE = 'app todo "Todo List"\n'
ROLES = '  roles: agent "Support agent", manager "Team manager"\n'


def todo(tmp_path: Path, app_line: str = APP_LINE) -> Path:
    """A copy of the todo example whose app line is ``app_line``."""
    project = Path(shutil.copytree(EXAMPLES / "todo", tmp_path / "todo"))
    for path in (project, *project.rglob("*")):  # the examples may be read-only in the repo
        path.chmod(path.stat().st_mode | 0o200)
    edit(project, APP_LINE, app_line)
    return project


def edit(project: Path, old: str, new: str) -> None:
    dsl = project / "dsl" / "app.dsl"
    text = dsl.read_text()
    assert old in text, f"{old!r} is not in {dsl}"
    dsl.write_text(text.replace(old, new, 1))


def build(project: Path, *options: str) -> list[str]:
    """``dazzle build``, which must succeed; the tasks it ran."""
    done = dazzle(project, "build", *options)
    assert done.returncode == 0, f"dazzle build failed:\n{done.stdout}\n{done.stderr}"
    return json.loads((project / ".dazzle" / "last_run.json").read_text())["executed"]


def migration_files(out: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((out / "todo" / "migrations").glob("0*.py"))}


def groups(out: Path) -> list[str]:
    with sqlite3.connect(out / "db.sqlite3") as db:
        return [name for (name,) in db.execute("select name from auth_group order by name")]


def nothing_left_to_write(out: Path) -> None:
    assert "No changes detected" in manage(out, "makemigrations", "--check", "--dry-run")


def test_the_roles_are_groups_the_migrations_keep_in_step(tmp_path):
    project = todo(tmp_path, APP_LINE.replace("\n", ":\n") + ROLES)
    out = project / "build"
    build(project)
    assert list(migration_files(out)) == ["0001_initial.py"]
    initial = migration_files(out)["0001_initial.py"]
    assert "todo.migration_operations.SyncRoles(" in initial and 'roles=["agent", "manager"]' in initial
    manage(out, "migrate", "--noinput")
    assert groups(out) == ["agent", "manager"]
    nothing_left_to_write(out)

    # Nothing changed, or only a label: Django is not even started.
    assert "pre_commit:migrations" not in build(project)
    edit(project, '"Todo List"', '"Todo Board"')
    assert "pre_commit:migrations" not in build(project)
    # A role's new title is in access.py: the hook runs, and writes nothing.
    edit(project, '"Team manager"', '"Team lead"')
    assert "pre_commit:migrations" in build(project)
    assert list(migration_files(out)) == ["0001_initial.py"]

    edit(project, 'manager "Team lead"', 'manager "Team lead", auditor')
    build(project)
    assert list(migration_files(out)) == ["0001_initial.py", "0002_roles.py"]
    assert migration_files(out)["0001_initial.py"] == initial  # never rewritten
    manage(out, "migrate", "--noinput")
    assert groups(out) == ["agent", "auditor", "manager"]
    nothing_left_to_write(out)

    # Someone is put into the manager role; removing it would take them out: refused.
    people = (
        "from django.contrib.auth.models import Group, User\n"
        "User.objects.create_user('ann').groups.add(Group.objects.get(name='manager'))\n"
    )
    manage(out, "shell", "-c", people)
    edit(project, ', manager "Team lead"', "")
    before = (migration_files(out), (out / "todo" / "access.py").read_text())
    done = dazzle(project, "build")
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert (
        "role `manager` is gone from the spec, and deleting its group would take everyone out of it "
        "(1 person is in it)" in said
    )
    assert "build with `--allow-data-loss` to delete the group anyway" in said
    assert "no generated file was changed" in said
    assert (migration_files(out), (out / "todo" / "access.py").read_text()) == before

    build(project, "--allow-data-loss")
    assert list(migration_files(out)) == ["0001_initial.py", "0002_roles.py", "0003_roles.py"]
    third = migration_files(out)["0003_roles.py"]
    assert 'roles=["agent", "auditor"]' in third and 'previous=["agent", "manager", "auditor"]' in third
    manage(out, "migrate", "--noinput")
    assert groups(out) == ["agent", "auditor"]
    nothing_left_to_write(out)

    # Backwards, each step gives the groups back as they were.
    manage(out, "migrate", "todo", "0002", "--noinput")
    assert groups(out) == ["agent", "auditor", "manager"]
    manage(out, "migrate", "todo", "0001", "--noinput")
    assert groups(out) == ["agent", "manager"]
    manage(out, "migrate", "todo", "zero", "--noinput")
    assert groups(out) == []
    manage(out, "migrate", "--noinput")
    assert groups(out) == ["agent", "auditor"]
    build(project)  # unchanged roles after all that: nothing new
    assert len(migration_files(out)) == 3


def test_a_spec_without_roles_gets_no_sync_roles(tmp_path):
    project = todo(tmp_path)
    out = project / "build"
    build(project)
    assert "ROLES = ()" in (out / "todo" / "access.py").read_text()
    edit(project, "  due: date\n", "  due: date\n  effort: int default=1\n")
    build(project)
    made = migration_files(out)
    assert list(made) == ["0001_initial.py", "0002_item_effort.py"]
    for name, text in made.items():
        assert "SyncRoles" not in text and "migration_operations" not in text, name
        assert '"auth"' not in text, name  # no dependency a 0.1 project did not have
    manage(out, "migrate", "--noinput")
    assert groups(out) == []
    nothing_left_to_write(out)
