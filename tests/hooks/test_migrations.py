"""The migrations hook on a hand-written Django project: migrations only ever grow, stored rows
survive, `was` becomes RenameField, and what only the spec can fix is an error naming it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dazzle.ir import HooksConfig, ProjectConfig
from hooks.django import migrations as migrations_hook
from hooks.django.migrations import MigrationsHook, default_example
from hooks.support import stamp_path
from tests.hooks.test_projects import (
    APP,
    MODELS_V1,
    SPEC_V1,
    context,
    field,
    make_spec,
    manage,
    models_artifact,
    respec,
    rows,
    write_project,
)

TITLE = field("title", "str", 4, max_length=50, required=True)
COUNT = field("count", "int", 5)


def migration_files(out: Path) -> dict[str, bytes]:
    folder = out / APP / "migrations"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("0*.py"))}


def build(ctx, models: str):
    (ctx.output_dir / APP / "models.py").write_text(models)
    return MigrationsHook().run(ctx)


@pytest.fixture
def ctx(tmp_path):
    ctx = context(tmp_path)
    write_project(ctx.output_dir)
    return ctx


@pytest.fixture(scope="module")
def initial_output(tmp_path_factory):
    """A project whose 0001 migration the hook has made, made once for the module (each
    Django start costs a second or more)."""
    ctx = context(tmp_path_factory.mktemp("initial"))
    write_project(ctx.output_dir)
    assert MigrationsHook().run(ctx).severity == "info"
    return ctx.output_dir


@pytest.fixture
def migrated(tmp_path, initial_output):
    """A fresh copy of the project after its first build (0001_initial made)."""
    ctx = context(tmp_path)
    shutil.copytree(initial_output, ctx.output_dir)
    return ctx


def test_first_run_creates_the_initial_migration_and_its_stamp(ctx):
    result = MigrationsHook().run(ctx)
    assert result.severity == "info", result.message
    assert list(migration_files(ctx.output_dir)) == ["0001_initial.py"]
    assert "Create model Item" in result.message
    assert "0001_initial.py" in stamp_path(ctx, "migrations").read_text()
    # Nothing changed: nothing new, nothing said.
    again = MigrationsHook().run(ctx)
    assert again.message == "" and list(migration_files(ctx.output_dir)) == ["0001_initial.py"]


def test_added_field_makes_0002_and_keeps_rows(migrated):
    out = migrated.output_dir
    assert manage(out, "migrate", "--noinput").returncode == 0
    rows(out, "insert into shop_item (title, count) values ('kept', 3)")
    first = migration_files(out)

    respec(migrated, make_spec(TITLE, COUNT, field("notes", "text", 6)))
    result = build(migrated, MODELS_V1 + "    notes = models.TextField(null=True, blank=True)\n")
    assert result.severity == "info", result.message
    files = migration_files(out)
    assert sorted(files) == ["0001_initial.py", "0002_item_notes.py"]
    assert files["0001_initial.py"] == first["0001_initial.py"]  # never rewritten
    assert "AddField" in files["0002_item_notes.py"].decode()

    done = manage(out, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    assert rows(out, "select title, count, notes from shop_item") == [("kept", 3, None)]


def test_was_makes_a_rename_not_drop_and_add(migrated):
    out = migrated.output_dir
    manage(out, "migrate", "--noinput")
    rows(out, "insert into shop_item (title) values ('kept')")

    respec(migrated, make_spec(field("label", "str", 4, max_length=50, required=True, was="title"), COUNT))
    result = build(migrated, MODELS_V1.replace("title = ", "label = "))
    assert result.severity == "info", result.message
    text = migration_files(out)["0002_rename_title_item_label.py"].decode()
    assert "migrations.RenameField" in text and "RemoveField" not in text and "AddField" not in text
    assert manage(out, "migrate", "--noinput").returncode == 0
    assert rows(out, "select label from shop_item") == [("kept",)]


def test_without_was_a_renamed_field_is_dropped_and_added(migrated):
    respec(migrated, make_spec(field("label", "str", 4, max_length=50), COUNT))
    models = MODELS_V1.replace(
        "title = models.CharField(max_length=50)", "label = models.CharField(max_length=50, null=True)"
    )
    result = build(migrated, models)
    text = "".join(t.decode() for t in migration_files(migrated.output_dir).values())
    assert "RemoveField" in text and "RenameField" not in text
    # no local database yet, so nothing stored is lost: said, not refused
    assert result.severity == "warning" and "field `title` of Item is dropped" in result.message
    assert "holds no data there" in result.message


LABEL = field("label", "str", 6, max_length=50)
WITHOUT_TITLE = MODELS_V1.replace(
    "title = models.CharField(max_length=50)", "label = models.CharField(max_length=50, null=True)"
)


def test_a_rename_without_was_over_stored_data_is_refused_and_was_suggested(migrated):
    out = migrated.output_dir
    assert manage(out, "migrate", "--noinput").returncode == 0
    rows(out, "insert into shop_item (title) values ('keep me')")
    before = migration_files(out)
    respec(migrated, make_spec(LABEL, COUNT))
    result = build(migrated, WITHOUT_TITLE)
    assert result.severity == "error"
    assert (
        "entity Item: field `title` is gone from the spec, and dropping its column would lose"
        in result.message
    )
    assert "(1 row hold a value)" in result.message
    assert "dsl/app.dsl:6:3" in result.message  # where `was` goes: the new field's line
    assert "`label: str(50) was title`" in result.message and "--allow-data-loss" in result.message
    assert migration_files(out) == before and rows(out, "select title from shop_item") == [("keep me",)]

    migrated.options["allow_data_loss"] = True
    allowed = build(migrated, WITHOUT_TITLE)
    assert allowed.severity == "warning" and "dropped, as --allow-data-loss asks" in allowed.message
    assert "RemoveField" in "".join(t.decode() for t in migration_files(out).values())


def test_an_entity_removed_over_stored_rows_is_refused(migrated):
    out = migrated.output_dir
    assert manage(out, "migrate", "--noinput").returncode == 0
    rows(out, "insert into shop_item (title) values ('a'), ('b')")
    respec(migrated, make_spec())
    result = build(migrated, "from django.db import models\n")
    assert result.severity == "error"
    assert (
        "entity Item is gone from the spec, and dropping its table would lose its records (2 rows stored)"
        in (result.message)
    )
    assert list(migration_files(out)) == ["0001_initial.py"]


def test_a_type_that_cannot_hold_the_stored_values_is_refused(migrated):
    out = migrated.output_dir
    assert manage(out, "migrate", "--noinput").returncode == 0
    rows(out, "insert into shop_item (title) values ('a long title')")
    respec(migrated, make_spec(field("title", "str", 4, max_length=5, required=True), COUNT))
    result = build(migrated, MODELS_V1.replace("max_length=50", "max_length=5"))
    assert result.severity == "error"
    assert (
        "field `title` cannot keep its stored values as CharField (was CharField): 1 row, e.g. 'a long title'"
        in (result.message)
    )
    rows(out, "update shop_item set title = 'short'")
    assert build(migrated, MODELS_V1.replace("max_length=50", "max_length=5")).severity == "info"


def test_a_database_that_cannot_be_read_counts_as_holding_data(migrated):
    (migrated.output_dir / "db.sqlite3").write_bytes(b"this is not a database")
    respec(migrated, make_spec(LABEL, COUNT))
    result = build(migrated, WITHOUT_TITLE)
    assert result.severity == "error" and "could not read the local database" in result.message
    assert list(migration_files(migrated.output_dir)) == ["0001_initial.py"]


def test_required_field_without_default_is_an_error_naming_entity_and_field(migrated):
    before = migration_files(migrated.output_dir)
    respec(migrated, make_spec(TITLE, COUNT, field("priority", "int", 6, required=True)))
    result = build(migrated, MODELS_V1 + "    priority = models.IntegerField()\n")
    assert result.severity == "error"
    assert (
        "dsl/app.dsl:6:3: error: entity Item: new required field `priority` has no default" in result.message
    )
    assert "hint: add a default, e.g. `priority: int required default=0`" in result.message
    # With the DSL file at hand, the offending line is shown with a caret, like any spec error.
    (migrated.project_dir / "dsl/app.dsl").write_text(
        "app shop\n\nentity Item:\n  title: str(50) required\n  count: int\n  priority: int required\n"
    )
    shown = build(migrated, MODELS_V1 + "    priority = models.IntegerField()\n").message
    assert " 6 |   priority: int required\n   |   ^" in shown and "optional" in result.message
    assert migration_files(migrated.output_dir) == before  # nothing written


def test_field_made_required_without_default_is_an_error(migrated):
    respec(migrated, make_spec(TITLE, field("count", "int", 5, required=True)))
    result = build(
        migrated, MODELS_V1.replace("models.IntegerField(null=True, blank=True)", "models.IntegerField()")
    )
    assert result.severity == "error"
    assert "entity Item: field `count` became required without a default" in result.message


def test_rename_that_also_changes_the_type_is_refused(migrated):
    respec(migrated, make_spec(TITLE, field("amount", "str", 5, max_length=9, was="count")))
    result = build(
        migrated,
        MODELS_V1.replace("count = models.IntegerField(", "amount = models.CharField(max_length=9, "),
    )
    assert result.severity == "error"
    assert "`amount ... was count` cannot be a rename" in result.message
    assert list(migration_files(migrated.output_dir)) == ["0001_initial.py"]


def test_new_auto_add_date_gets_a_one_off_default_without_asking(migrated):
    respec(migrated, make_spec(TITLE, COUNT, field("created", "datetime", 6, auto_add=True)))
    result = build(migrated, MODELS_V1 + "    created = models.DateTimeField(auto_now_add=True)\n")
    assert result.severity == "info", result.message
    text = migration_files(migrated.output_dir)["0002_item_created.py"].decode()
    assert "django.utils.timezone.now" in text and "preserve_default=False" in text


def test_no_django_is_a_skip_not_a_failure(ctx, monkeypatch):
    monkeypatch.setattr(migrations_hook, "django_python", lambda out: None)
    result = MigrationsHook().run(ctx)
    assert result.skipped and result.severity == "warning"
    assert "no Python with Django" in result.message
    assert stamp_path(ctx, "migrations").is_file()  # up to date next time: no re-run each build
    assert migration_files(ctx.output_dir) == {}


def test_broken_models_report_the_error_without_a_traceback_of_ours(ctx):
    result = build(ctx, "from django.db import models\n\nclass Item(models.Model:\n")
    assert result.severity == "error"
    assert "makemigrations failed" in result.message and "SyntaxError" in result.message
    assert not stamp_path(ctx, "migrations").exists()


def test_inputs_and_targets(ctx):
    hook = MigrationsHook()
    assert hook.phase == "pre_commit"  # before the commit: a refusal changes no file
    assert hook.inputs(ctx) == [ctx.output_dir / APP / "models.py"]
    # Declared before any artifact is read: the models module is found on disk, not named.
    ctx.artifacts.clear()
    ctx.spec = None
    assert hook.inputs(ctx) == [ctx.output_dir / APP / "models.py"]
    assert hook.targets(ctx) == [stamp_path(ctx, "migrations")]


def test_renames_come_from_the_models_artifact():
    spec = make_spec(field("label", "str", 4, max_length=50, was="title"), field("kind", "int", 5, was="id"))
    assert models_artifact(spec)["renames"] == {"item": {"label": ["title"], "kind": ["id", "id_field"]}}
    assert models_artifact(SPEC_V1)["renames"] == {}


def test_what_the_script_is_given_comes_from_the_artifact_not_the_spec(migrated, monkeypatch):
    """The app package and the renames are the models generator's decisions: the hook passes on
    what its artifact says, whatever the spec would suggest."""
    given = []
    monkeypatch.setattr(
        migrations_hook, "run_script", lambda *args, **kw: given.append(args[2]) or _no_report()
    )
    migrated.artifacts["models"] = {**models_artifact(SPEC_V1), "renames": {"item": {"a": ["b"]}}}
    MigrationsHook().run(migrated)
    assert len(given) == 1 and given[0][1:] == [APP, '{"item": {"a": ["b"]}}']


def _no_report():
    import subprocess

    return subprocess.CompletedProcess([], 0, '{"written": [], "operations": [], "data_loss": []}\n', "")


def test_a_problem_is_located_through_the_artifacts_names(migrated):
    """Django names a model and attribute; the artifact maps them back to the entity and field
    whose line the message points at (here an attribute renamed because Django reserves it)."""
    spec = make_spec(TITLE, COUNT, field("pk", "int", 6, required=True))
    respec(migrated, spec)
    assert models_artifact(spec)["fields"]["Item"]["pk"] == "pk_field"
    result = build(migrated, MODELS_V1 + "    pk_field = models.IntegerField()\n")
    assert result.severity == "error"
    assert "dsl/app.dsl:6:3: error: entity Item: new required field `pk` has no default" in result.message


@pytest.mark.parametrize(
    ("declared", "suggestion"),
    [
        (field("code", "str", 1, max_length=8, required=True), '`code: str(8) required default=""`'),
        (field("ok", "bool", 1, required=True), "`ok: bool required default=false`"),
        (field("on", "date", 1, required=True), "`on: date auto_add`"),
    ],
)
def test_default_suggestions_follow_the_field_type(declared, suggestion):
    assert default_example(declared).startswith(suggestion)


def test_new_migrations_are_formatted_when_the_formatter_is_on(migrated):
    text = migration_files(migrated.output_dir)["0001_initial.py"].decode()
    assert 'migrations.CreateModel(\n            name="Item",' in text  # ruff's double quotes


def test_new_migrations_keep_djangos_layout_when_the_formatter_is_off(tmp_path):
    ctx = context(tmp_path, config=ProjectConfig(hooks=HooksConfig(disable=("format_code",))))
    write_project(ctx.output_dir)
    MigrationsHook().run(ctx)
    assert "name='Item'" in migration_files(ctx.output_dir)["0001_initial.py"].decode()


def test_spec_key_is_nothing_the_artifact_says_it_all():
    hook = MigrationsHook()
    assert hook.reads == ("models",)
    assert hook.spec_key(SPEC_V1) == []
    renamed = make_spec(field("label", "str", 4, max_length=50, was="title"), field("count", "int", 5))
    assert hook.spec_key(renamed) == []  # the renames reach the task through the models artifact
    assert models_artifact(renamed)["renames"] != models_artifact(SPEC_V1)["renames"]


def test_without_the_models_artifact_it_fails_with_a_message_not_a_traceback(ctx):
    ctx.artifacts.pop("models")
    result = MigrationsHook().run(ctx)
    assert result.severity == "error" and "handed on no app package" in result.message
    assert not stamp_path(ctx, "migrations").exists()
