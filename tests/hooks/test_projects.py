"""A small hand-written Django project and spec for the hook tests (the generators' output is
tested against separately), plus a check that the fixture itself is a working project."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from dazzle.ir import App, AppSpec, Entity, EntityField, FieldType, Location, ProjectConfig
from dazzle.plugins import HookContext, PendingCommit
from generators.django.models import ModelsGenerator

APP = "shop"

MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

# Reads SECRET_KEY from the environment or .env, as the generated settings do.
SETTINGS = """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
_env = BASE_DIR / ".env"
if _env.is_file():
    for _line in _env.read_text().splitlines():
        if "=" in _line and not _line.startswith("#"):
            _key, _, _value = _line.partition("=")
            os.environ.setdefault(_key.strip(), _value.strip())

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "shop"]
ROOT_URLCONF = "config.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
"""

MODELS_V1 = """\
from django.db import models


class Item(models.Model):
    title = models.CharField(max_length=50)
    count = models.IntegerField(null=True, blank=True)
"""


def loc(line: int) -> Location:
    return Location(file="dsl/app.dsl", line=line, column=3)


def field(name: str, kind: str, line: int, **extra) -> EntityField:
    type_args = {k: extra.pop(k) for k in ("max_length",) if k in extra}
    return EntityField(name=name, type=FieldType(kind=kind, **type_args), loc=loc(line), **extra)


def make_spec(*fields: EntityField) -> AppSpec:
    return AppSpec(name=APP, app=App(name=APP, title="Shop"), entities=(Entity(name="Item", fields=fields),))


SPEC_V1 = make_spec(field("title", "str", 4, max_length=50, required=True), field("count", "int", 5))


def write_project(out: Path, models: str = MODELS_V1) -> Path:
    files = {
        "manage.py": MANAGE,
        "config/__init__.py": "",
        "config/settings.py": SETTINGS,
        "config/urls.py": "urlpatterns = []\n",
        f"{APP}/__init__.py": "",
        f"{APP}/models.py": models,
        f"{APP}/migrations/__init__.py": "",
        "requirements.txt": "Django>=5.2,<5.3\n",
    }
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return out


def models_artifact(spec: AppSpec) -> dict:
    """What the models generator hands on for ``spec``: the engine gives it to the hooks that
    read it (the migrations and provision hooks)."""
    gen = ModelsGenerator()
    return gen.generate(gen.slice(spec), {}).artifacts


def context(tmp_path: Path, spec: AppSpec | None = SPEC_V1, **extra) -> HookContext:
    """A hook's context for the project in ``tmp_path``, with the models artifact of ``spec``."""
    project = tmp_path / "project"
    (project / "dsl").mkdir(parents=True, exist_ok=True)
    config = extra.pop("config", ProjectConfig())
    artifacts = {"models": models_artifact(spec)} if spec is not None else {}
    output_dir = extra.pop("output_dir", project / "build")
    return HookContext(
        project_dir=project,
        output_dir=output_dir,
        state_dir=project / ".dazzle",
        config=config,
        spec=spec,
        artifacts={**artifacts, **extra.pop("artifacts", {})},
        pending=extra.pop("pending", DirectCommit(output_dir)),
        **extra,
    )


class DirectCommit(PendingCommit):
    """The pending commit a pre_commit hook sees in these unit tests: the output folder as it
    is, and the files the hook adds written into it at once (as the commit would)."""

    def __init__(self, output_dir: Path):
        self.output_dir = output_dir
        self.added: list[str] = []

    def content(self, path: str) -> bytes | None:
        target = self.output_dir / path
        return target.read_bytes() if target.is_file() else None

    def changed(self) -> list[str]:
        return []

    def materialize(self, folder: Path, suffixes=()) -> Path:
        shutil.copytree(
            self.output_dir, folder, ignore=shutil.ignore_patterns(".venv", "db.sqlite3*", "__pycache__")
        )
        return folder

    def add(self, path: str, data: bytes) -> None:
        target = self.output_dir / path
        assert not target.exists(), f"{path}: a pre_commit hook never overwrites"
        target.write_bytes(data)
        self.added.append(path)


def respec(ctx: HookContext, spec: AppSpec) -> None:
    """The spec edited: the hooks see the new spec and the models artifact made from it."""
    ctx.spec = spec
    ctx.artifacts["models"] = models_artifact(spec)


def fake_venv(out: Path) -> Path:
    """A ``.venv/bin/python`` that runs this interpreter (which has Django): the provisioning
    steps after the install can then be tested without downloading anything."""
    python = out / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    return python


def manage(out: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECRET_KEY": "test"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], check=False, cwd=out, env=env, capture_output=True, text=True
    )


def rows(out: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(out / "db.sqlite3") as db:
        return db.execute(sql, params).fetchall()


def test_the_fixture_project_migrates(tmp_path):
    out = write_project(tmp_path / "build")
    made = manage(out, "makemigrations", APP)
    assert made.returncode == 0, made.stderr
    done = manage(out, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    assert rows(out, "select count(*) from shop_item") == [(0,)]
