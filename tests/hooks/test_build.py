"""The hooks inside real builds of the todo example (`dazzle build`, the engine, the Django
generators): secrets that survive rebuilds, migrations that grow, a no-op build that runs no
hook, and — slow, with pip — a provisioned project whose admin login works."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dazzle.ir import HooksConfig, ProjectConfig
from dazzle.plugins.registry import hooks as all_hooks
from dazzle.plugins.selection import selected_hooks
from hooks.django.interpreter import project_env
from hooks.support import hook_enabled
from tests.hooks.test_projects import context
from tests.hooks.test_provision import admin_login, free_port
from tests.support import EXAMPLES

DAZZLE = [sys.executable, "-c", "from dazzle.cli import main; raise SystemExit(main())"]
HOOKS = {
    "pre_build:check_environment",
    "post_build:gitignore",
    "post_build:env_file",
    "post_build:admin_credentials",
    "pre_commit:migrations",
    "post_build:instructions",
}


def dazzle_build(project: Path, *options: str) -> tuple[subprocess.CompletedProcess, dict]:
    done = subprocess.run(
        [*DAZZLE, "build", *options, str(project)], check=False, capture_output=True, text=True, timeout=900
    )
    last_run = project / ".dazzle" / "last_run.json"
    assert last_run.is_file(), f"the build did not run:\n{done.stdout}\n{done.stderr}"
    return done, json.loads(last_run.read_text())


def edit(project: Path, old: str, new: str) -> None:
    dsl = project / "dsl" / "app.dsl"
    text = dsl.read_text()
    assert old in text
    dsl.write_text(text.replace(old, new, 1))


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def migrations(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "todo" / "migrations").glob("0*.py"))}


@pytest.fixture
def todo(tmp_path):
    return Path(shutil.copytree(EXAMPLES / "todo", tmp_path / "todo"))


@pytest.mark.slow
def test_hooks_across_rebuilds_of_the_todo_example(todo):
    out = todo / "build"
    done, run = dazzle_build(todo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert HOOKS <= set(run["executed"]) and "post_build:provision" not in run["executed"]
    secrets = {name: (out / name).read_bytes() for name in (".env", ".admin_credentials")}
    for name in secrets:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert "manage.py runserver" in done.stdout
    assert list(migrations(out)) == ["0001_initial.py"]

    done, run = dazzle_build(todo)
    assert run["executed"] == [] and "runserver" not in done.stdout  # no-op: no hook, no guide

    edit(todo, "  due: date\n", "  due: date\n  effort: int default=1\n")
    done, run = dazzle_build(todo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {"pre_commit:migrations", "post_build:instructions"} <= set(run["executed"])
    assert not {"post_build:env_file", "post_build:admin_credentials"} & set(run["executed"])
    first = migrations(out)
    assert list(first) == ["0001_initial.py", "0002_item_effort.py"]

    edit(todo, "  effort: int default=1\n", "  work: int default=1 was effort\n")
    done, run = dazzle_build(todo)
    assert done.returncode == 0, done.stdout + done.stderr
    now = migrations(out)
    assert {k: now[k] for k in first} == first  # old migrations untouched
    assert "migrations.RenameField" in now["0003_rename_effort_item_work.py"].decode()

    edit(todo, "  work: int default=1 was effort\n", "  work: int default=1\n  size: int required\n")
    before = tree(out)
    done, run = dazzle_build(todo)
    assert done.returncode != 0
    assert "entity Item: new required field `size` has no default" in done.stdout + done.stderr
    assert "|   size: int required\n" in done.stdout + done.stderr  # the line, with a caret under it
    assert "no generated file was changed" in done.stdout + done.stderr
    assert tree(out) == before  # never half-applied: models.py is not ahead of the database
    assert {name: (out / name).read_bytes() for name in secrets} == secrets


@pytest.mark.slow
def test_provisioned_todo_runs_and_the_admin_login_works(todo):
    out = todo / "build"
    done, run = dazzle_build(todo, "--provision")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "post_build:provision" in run["executed"]
    assert ".venv/bin/python manage.py runserver" in done.stdout
    credentials = dict(
        line.split("=", 1) for line in (out / ".admin_credentials").read_text().splitlines() if "=" in line
    )
    port = free_port()
    server = subprocess.Popen(
        [".venv/bin/python", "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=out,
        env=project_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/admin/login/")
                break
            except OSError:
                time.sleep(0.2)
        assert not admin_login(base, credentials["username"], "wrong-password")
        assert admin_login(base, credentials["username"], credentials["password"])
    finally:
        server.terminate()
        server.wait(timeout=10)

    done, run = dazzle_build(todo, "--provision")
    assert done.returncode == 0 and run["executed"] == []


@pytest.mark.slow
def test_disabled_hooks_do_not_run_and_the_rest_still_orders(todo):
    toml = todo / "dazzle.toml"
    toml.write_text(toml.read_text() + '\n[hooks]\ndisable = ["format_code", "migrations", "instructions"]\n')
    done, run = dazzle_build(todo)
    assert done.returncode == 0, done.stdout + done.stderr
    executed = set(run["executed"])
    assert not {"pre_commit:migrations", "post_build:instructions"} & executed
    assert {"post_build:env_file", "post_build:admin_credentials", "post_build:gitignore"} <= executed
    assert "runserver" not in done.stdout and migrations(todo / "build") == {}


@pytest.mark.parametrize(
    ("disable", "enable", "provision"),
    [
        ((), (), False),
        (("format_code", "migrations"), (), False),
        ((), ("provision",), False),
        (("env_file",), (), True),
    ],
)
def test_hooks_agree_with_the_engine_on_what_runs(tmp_path, disable, enable, provision):
    """Hooks list another hook's target as an input only when that hook runs (doit rejects an
    input nothing produces), so their rule must be the engine's."""

    config = ProjectConfig(hooks=HooksConfig(disable=disable, enable=enable))
    ctx = context(tmp_path, config=config, options={"provision": provision})
    running = {h.name for h in selected_hooks(config, provision)}
    assert {h.name for h in all_hooks() if hook_enabled(ctx, h.name, h.opt_in)} == running
