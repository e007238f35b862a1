"""The ``settings`` generator: environment-driven settings, ``.env``, DATABASE_URL, static files
and the ``login_required`` switch. The generated file is run in a subprocess with a controlled
environment, so what is asserted is what Django would see."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dazzle.ir import App, BuildConfig, ProjectConfig
from generators.django.settings import SettingsGenerator
from tests.django.web_specs import helpdesk

LOGIN_MIDDLEWARE = "django.contrib.auth.middleware.LoginRequiredMiddleware"


def settings_source(login_required: bool = True) -> str:
    gen = SettingsGenerator()
    files = gen.generate(gen.slice(helpdesk(login_required=login_required)), {}).files
    assert [f.path for f in files] == ["config/settings.py"]
    return files[0].content


def load(
    tmp_path,
    env: dict,
    argv=("manage.py", "runserver"),
    dotenv: str | None = None,
    login_required: bool = True,
    extra: str = "",
) -> dict:
    """Run the generated settings, as the package ``config`` beside the user's
    ``settings_extra.py`` (``extra``), with ``env`` only; return its upper-case names (or the
    error)."""
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "__init__.py").write_text("")
    (tmp_path / "config" / "settings.py").write_text(settings_source(login_required))
    (tmp_path / "config" / "settings_extra.py").write_text(extra)
    if dotenv is not None:
        (tmp_path / ".env").write_text(dotenv)
    script = (
        "import importlib, json, sys\n"
        f"sys.argv = {list(argv)!r}\n"
        "try:\n"
        "    ns = vars(importlib.import_module('config.settings'))\n"
        "except Exception as exc:\n"
        "    print(json.dumps({'error': f'{type(exc).__name__}: {exc}'})); raise SystemExit\n"
        "print(json.dumps({k: v for k, v in ns.items() if k.isupper()}, default=str))\n"
    )
    keep = {k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ}
    out = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        cwd=tmp_path,
        env={**keep, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_compiles_and_holds_no_secret():
    source = settings_source()
    compile(source, "settings.py", "exec")
    assert 'os.environ.get("SECRET_KEY"' in source
    assert "dj_database_url" not in source and "dotenv" not in source.replace("read_dotenv", "")


def test_login_required_adds_the_middleware_and_the_login_urls(tmp_path):
    on = load(tmp_path, {"DEBUG": "true"})
    assert LOGIN_MIDDLEWARE in on["MIDDLEWARE"]
    assert on["MIDDLEWARE"].index(LOGIN_MIDDLEWARE) > on["MIDDLEWARE"].index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    assert (on["LOGIN_URL"], on["LOGIN_REDIRECT_URL"], on["LOGOUT_REDIRECT_URL"]) == (
        "login",
        "home",
        "login",
    )
    off = load(tmp_path, {"DEBUG": "true"}, login_required=False)
    assert LOGIN_MIDDLEWARE not in off["MIDDLEWARE"]
    assert "whitenoise.middleware.WhiteNoiseMiddleware" == off["MIDDLEWARE"][1]


def test_production_needs_a_secret_key(tmp_path):
    assert "SECRET_KEY is not set" in load(tmp_path, {})["error"]
    prod = load(tmp_path, {"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "a.example, b.example"})
    assert prod["DEBUG"] is False and prod["SECRET_KEY"] == "k" * 60
    assert prod["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert prod["SECURE_SSL_REDIRECT"] and prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    assert prod["SECURE_HSTS_SECONDS"] > 0
    assert (
        prod["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_debug_and_test_runs_get_a_development_key_and_plain_static_files(tmp_path):
    dev = load(tmp_path, {"DEBUG": "yes"})
    assert dev["SECRET_KEY"].startswith("django-insecure-")
    assert "localhost" in dev["ALLOWED_HOSTS"]
    test = load(tmp_path, {}, argv=("manage.py", "test"))
    assert test["DEBUG"] is False and test["SECRET_KEY"]
    assert (
        test["STORAGES"]["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    assert test["SECURE_SSL_REDIRECT"] is False


def test_dotenv_is_read_and_the_environment_wins(tmp_path):
    dotenv = (
        "# comment\n\nexport SECRET_KEY='from-dotenv'\nDEBUG=\"true\"\nTIME_ZONE=Europe/Paris\n"
        "ALLOWED_HOSTS=from.dotenv\n"
    )
    loaded = load(tmp_path, {"ALLOWED_HOSTS": "from.env"}, dotenv=dotenv)
    assert loaded["SECRET_KEY"] == "from-dotenv"
    assert loaded["DEBUG"] is True and loaded["TIME_ZONE"] == "Europe/Paris"
    assert loaded["ALLOWED_HOSTS"] == ["from.env"]


def test_database_url(tmp_path):
    default = load(tmp_path, {"DEBUG": "1"})["DATABASES"]["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == str(tmp_path / "db.sqlite3")
    url = "postgres://app%40corp:p%2Fss@db.example:6543/shop?sslmode=require"
    pg = load(tmp_path, {"DEBUG": "1", "DATABASE_URL": url})["DATABASES"]["default"]
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "shop",
        "app@corp",
        "p/ss",
        "db.example",
        "6543",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    absolute = load(tmp_path, {"DEBUG": "1", "DATABASE_URL": "sqlite:////var/data/app.db"})
    assert absolute["DATABASES"]["default"]["NAME"] == "/var/data/app.db"
    assert "unsupported scheme" in load(tmp_path, {"DEBUG": "1", "DATABASE_URL": "mysql://x/y"})["error"]


def test_a_bad_boolean_is_a_clear_error(tmp_path):
    assert "DEBUG must be true or false" in load(tmp_path, {"DEBUG": "maybe"})["error"]


@pytest.mark.parametrize("change", ["entities", "title"])
def test_slice_ignores_everything_but_app_name_and_build_options(change):
    gen = SettingsGenerator()
    spec = helpdesk()
    other = spec.model_copy(
        update={"entities": ()} if change == "entities" else {"app": App(name="helpdesk", title="Elsewhere")}
    )
    assert gen.slice(spec).model_dump_json() == gen.slice(other).model_dump_json()
    public = spec.model_copy(update={"config": ProjectConfig(build=BuildConfig(login_required=False))})
    assert gen.slice(spec) != gen.slice(public)


def test_the_users_settings_come_last_and_win(tmp_path):
    extra = (
        "from .settings import INSTALLED_APPS\n\n"
        'INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.humanize"]\n'
        'TIME_ZONE = "Europe/Oslo"\n'
        'SUPPORT_EMAIL = "help@example.com"\n'
    )
    loaded = load(tmp_path, {"DEBUG": "1", "TIME_ZONE": "UTC"}, extra=extra)
    assert loaded["INSTALLED_APPS"][-2:] == ["helpdesk", "django.contrib.humanize"]
    assert loaded["TIME_ZONE"] == "Europe/Oslo" and loaded["SUPPORT_EMAIL"] == "help@example.com"
    source = settings_source()
    assert source.rstrip().endswith("from .settings_extra import *  # noqa: E402, F403")


def test_the_users_templates_and_static_files_come_before_the_apps(tmp_path):
    loaded = load(tmp_path, {"DEBUG": "1"})
    [engine] = loaded["TEMPLATES"]
    assert engine["DIRS"] == [str(tmp_path / "templates")] and engine["APP_DIRS"] is True
    assert loaded["STATICFILES_DIRS"] == [str(tmp_path / "static")]
    assert str(tmp_path / "staticfiles") == loaded["STATIC_ROOT"]  # collectstatic's target stays apart


def test_a_mistake_in_the_users_settings_is_not_swallowed(tmp_path):
    assert "No module named 'nowhere'" in load(tmp_path, {"DEBUG": "1"}, extra="import nowhere\n")["error"]
