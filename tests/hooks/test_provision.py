"""provision: .venv, requirements only when they change, migrations, the superuser — and a
second run that does nothing. These tests stand this interpreter in for the project's .venv;
`test_hook_build.py` provisions the todo example for real (pip from the registry) and logs into
its running admin."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

from dazzle.ir import HooksConfig, ProjectConfig
from hooks.django import provision
from hooks.django.admin_credentials import AdminCredentialsHook
from hooks.django.interpreter import project_env, venv_python
from hooks.django.provision import REQUIREMENTS_STAMP, ProvisionHook, ensure_requirements, requirements_hash
from hooks.env_file import EnvFileHook
from hooks.support import stamp_path
from tests.hooks.test_projects import APP, context, fake_venv, rows, write_project


def ready_context(tmp_path, **extra):
    """A project after the generators and the file hooks, with a stand-in .venv whose
    requirements are stamped as installed."""
    ctx = context(tmp_path, options={"provision": True}, **extra)
    out = write_project(ctx.output_dir)
    EnvFileHook().run(ctx)
    ctx.artifacts["admin_credentials"] = AdminCredentialsHook().run(ctx).artifacts
    fake_venv(out)
    (out / ".venv" / REQUIREMENTS_STAMP).write_text(requirements_hash(out / "requirements.txt") + "\n")
    return ctx


def password_works(python: Path, out: Path, username: str, password: str) -> bool:
    code = (
        "import django; django.setup(); from django.contrib.auth import authenticate; "
        f"u = authenticate(username={username!r}, password={password!r}); "
        "print(bool(u and u.is_superuser and u.is_staff))"
    )
    env = project_env({"DJANGO_SETTINGS_MODULE": "config.settings"})
    done = subprocess.run(
        [str(python), "-c", code], check=False, cwd=out, env=env, capture_output=True, text=True
    )
    return done.stdout.strip() == "True"


def test_provision_migrates_and_creates_the_superuser_once(tmp_path):
    ctx = ready_context(tmp_path)
    out = ctx.output_dir
    creds = ctx.artifacts["admin_credentials"]
    result = ProvisionHook().run(ctx)
    assert result.severity == "info", result.message
    assert "new migration shop/migrations/0001_initial.py" in result.message
    assert "applied" in result.message and f"created superuser {creds['username']}" in result.message
    assert "installed" not in result.message  # the stamp says the requirements are in
    assert rows(out, "select count(*) from shop_item") == [(0,)]
    assert password_works(venv_python(out), out, creds["username"], creds["password"])
    assert "0001_initial.py" in stamp_path(ctx, "provision").read_text()
    # Idempotent: nothing to do, nothing said, the same user.
    again = ProvisionHook().run(ctx)
    assert again.message == "" and again.severity == "info"
    assert rows(out, "select count(*) from auth_user") == [(1,)]


def test_credentials_are_read_from_the_file_without_an_artifact(tmp_path):
    ctx = ready_context(tmp_path)
    creds = ctx.artifacts.pop("admin_credentials")
    assert f"created superuser {creds['username']}" in ProvisionHook().run(ctx).message


def test_without_credentials_it_migrates_and_says_why_there_is_no_superuser(tmp_path):
    ctx = ready_context(tmp_path)
    ctx.artifacts.pop("admin_credentials")
    (ctx.output_dir / ".admin_credentials").unlink()
    result = ProvisionHook().run(ctx)
    assert result.severity == "info" and "applied" in result.message
    assert "no superuser created: .admin_credentials is missing" in result.message
    assert rows(ctx.output_dir, "select count(*) from auth_user") == [(0,)]


def test_requirements_are_installed_only_when_they_change(tmp_path, monkeypatch):
    out = write_project(tmp_path / "build")
    fake_venv(out)
    calls = []

    def fake_run(python, args, cwd, env=None, timeout=600):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(provision, "run_python", fake_run)
    monkeypatch.setattr(provision.shutil, "which", lambda name: None)  # the pip path
    assert ensure_requirements(out) == "installed requirements.txt"
    assert calls[-1][:3] == ["-m", "pip", "install"] and calls[-1][-2:] == ["-r", "requirements.txt"]
    assert ensure_requirements(out) == "" and len(calls) == 1
    (out / "requirements.txt").write_text("Django>=5.2,<5.3\nwhitenoise>=6.6\n")
    assert ensure_requirements(out) == "installed requirements.txt" and len(calls) == 2


def test_a_failed_install_is_an_error_and_stamps_nothing(tmp_path, monkeypatch):
    ctx = ready_context(tmp_path)
    (ctx.output_dir / "requirements.txt").write_text("no-such-package-dazzle==0\n")

    def failing(python, args, cwd, env=None, timeout=600):
        return subprocess.CompletedProcess(args, 1, "", "ERROR: No matching distribution found")

    monkeypatch.setattr(provision, "run_python", failing)
    result = ProvisionHook().run(ctx)
    assert result.severity == "error"
    assert (
        "installing requirements.txt failed" in result.message
        and "No matching distribution" in result.message
    )
    assert not stamp_path(ctx, "provision").exists()


def test_a_required_field_without_default_stops_provisioning(tmp_path):
    ctx = ready_context(tmp_path)
    ProvisionHook().run(ctx)
    models = ctx.output_dir / APP / "models.py"
    models.write_text(models.read_text() + "    price = models.IntegerField()\n")
    result = ProvisionHook().run(ctx)
    assert result.severity == "error" and "new required field `price` has no default" in result.message


def test_missing_requirements_is_a_clear_error(tmp_path):
    ctx = ready_context(tmp_path)
    (ctx.output_dir / "requirements.txt").unlink()
    result = ProvisionHook().run(ctx)
    assert result.severity == "error" and "requirements.txt is missing" in result.message


def test_inputs_and_targets(tmp_path):
    ctx = context(tmp_path, options={"provision": True})
    out = ctx.output_dir
    hook = ProvisionHook()
    assert hook.opt_in and hook.stack == "django"
    assert hook.reads == ("admin_credentials", "models")  # the app package comes from the models artifact
    assert hook.inputs(ctx) == [
        out / "requirements.txt",
        stamp_path(ctx, "migrations"),
        out / ".env",
        out / ".admin_credentials",
    ]
    assert hook.targets(ctx) == [
        venv_python(out),
        out / ".venv" / REQUIREMENTS_STAMP,
        stamp_path(ctx, "provision"),
        out / "db.sqlite3",
    ]
    # Without the migrations hook it watches the models itself (found on disk: the generators
    # have written them by the time a post_build hook declares its inputs); files of disabled
    # hooks only if present.
    write_project(out)
    off = context(tmp_path, config=ProjectConfig(hooks=HooksConfig(disable=("migrations", "env_file"))))
    assert hook.inputs(off) == [
        out / "requirements.txt",
        out / APP / "models.py",
        out / ".admin_credentials",
    ]
    (out / ".env").write_text("SECRET_KEY=x\nDATABASE_URL=postgres://db/app\n")
    assert out / "db.sqlite3" not in hook.targets(ctx)  # another database is not ours to recreate


# ---------------------------------------------------------------- for real


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_login(base: str, username: str, password: str) -> bool:
    """Log into the Django admin like a browser: True when it lets us in."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/admin/login/?next=/admin/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(
        base + "/admin/login/?next=/admin/", data=form, headers={"Referer": base}
    )
    response = opener.open(request)
    # Accepted: redirected to the admin index. Refused: the login form again.
    return (
        urllib.parse.urlsplit(response.geturl()).path == "/admin/"
        and 'name="password"' not in response.read().decode()
    )
