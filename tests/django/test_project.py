"""The ``project`` generator: manage.py, the config package and the app skeleton — and, slow,
a whole generated project that passes Django's checks, migrations and its own tests."""

from __future__ import annotations

import ast
import os
import secrets
import subprocess
import sys

import pytest

from dazzle.ir import App, AppSpec, Constraint, Entity
from dazzle.plugins import registry
from dazzle.testing import run_generators
from generators.django import naming
from generators.django.project import ProjectGenerator
from tests.django.web_specs import NASTY, every_type, field, helpdesk, surface
from tests.support import artifacts_read_by, write_tree


def generate(spec: AppSpec) -> dict:
    gen = ProjectGenerator()
    return {f.path: f for f in gen.generate(gen.slice(spec), {}).files}


def test_layout_is_what_a_django_developer_expects():
    files = generate(helpdesk())
    assert sorted(files) == [
        "config/__init__.py",
        "config/asgi.py",
        "config/urls.py",
        "config/wsgi.py",
        "helpdesk/__init__.py",
        "helpdesk/apps.py",
        "helpdesk/migrations/__init__.py",
        "manage.py",
    ]
    assert files["manage.py"].executable and not files["config/urls.py"].executable
    for path, f in files.items():
        compile(f.content, path, "exec")
    assert 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")' in files["manage.py"].content
    assert "get_wsgi_application()" in files["config/wsgi.py"].content


def test_urls_route_admin_accounts_and_the_app_without_a_namespace():
    urls = generate(helpdesk())["config/urls.py"].content
    assert 'path("admin/", admin.site.urls)' in urls
    assert 'path("accounts/", include("django.contrib.auth.urls"))' in urls
    assert 'path("", include("helpdesk.urls"))' in urls
    assert "namespace" not in urls


@pytest.mark.parametrize(
    "name, package",
    [
        ("2 Help-Desk!", "app_2_help_desk"),
        ("config", "config_app"),
        ("class", "class_app"),
        ("shop", "shop"),
    ],
)
def test_any_app_name_gives_one_valid_package(name, package):
    files = generate(AppSpec(name="x", app=App(name=name)))
    assert f"{package}/apps.py" in files
    assert all(p.split("/")[0] in (package, "config", "manage.py") for p in files)
    apps = files[f"{package}/apps.py"].content
    assert f'name = "{package}"' in apps
    assert package.isidentifier()
    compile(apps, "apps.py", "exec")


def assigned_literals(source: str) -> dict[str, object]:
    """``target = <literal>`` statements of a module (at any depth) → their values."""
    out = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            try:
                out[ast.unparse(node.targets[0])] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return out


def test_a_nasty_title_is_a_python_literal():
    files = generate(AppSpec(name="x", app=App(name="x", title=NASTY)))
    assert assigned_literals(files["x/apps.py"].content)["verbose_name"] == NASTY
    urls = assigned_literals(files["config/urls.py"].content)
    assert urls["admin.site.site_header"] == NASTY + " administration"
    assert urls["admin.site.site_title"] == NASTY


def test_slice_reads_only_the_app_name_and_title():
    gen = ProjectGenerator()
    spec = helpdesk()
    more = spec.model_copy(update={"entities": spec.entities[:1], "surfaces": ()})
    assert gen.slice(spec).model_dump_json() == gen.slice(more).model_dump_json()
    retitled = spec.model_copy(update={"app": App(name="helpdesk", title="Other")})
    assert gen.slice(spec) != gen.slice(retitled)


@pytest.mark.parametrize("spec", [helpdesk(), every_type()], ids=["helpdesk", "every_type"])
def test_slices_survive_the_json_round_trip_the_engine_makes(spec):
    for gen in (g for g in registry.generators(["django"]) if g.name in DATA_LAYER):
        sliced = gen.slice(spec)
        again = gen.slice_model.model_validate_json(sliced.model_dump_json())
        reads = artifacts_read_by(gen, spec)
        assert [f.data for f in gen.generate(again, reads).files] == [
            f.data for f in gen.generate(sliced, reads).files
        ]


# ---------------------------------------------------------------- the whole project, slow


def manage(project, *args, env_extra=None, check=True):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    env.update(env_extra or {})
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        check=False,
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.com",
    "CSRF_TRUSTED_ORIGINS": "https://example.com",
}

SMOKE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.core.management import call_command
from django.test.utils import setup_test_environment
setup_test_environment()
from django.contrib.auth.models import User
from django.test import Client
from every import forms, models

user = User.objects.create_superuser("admin", "admin@example.com", "pw")
client = Client()
assert client.get("/admin/").status_code == 302
client.force_login(user)
for name in ("owner", "thing", "bare"):
    for url in (f"/admin/every/{name}/", f"/admin/every/{name}/add/", f"/admin/every/{name}/?q=x"):
        assert client.get(url).status_code == 200, url
owner = forms.OwnerCreateForm({"code": "o1", "name": "Own"})
assert owner.is_valid(), owner.errors
owner = owner.save()
data = {"label": "L", "price": "1.50", "day": "2024-02-03", "at": "2024-02-03T10:30", "owner": "o1",
        "type": "in", "mail": "", "count": "99", "made": "2000-01-01T00:00"}
first = forms.ThingCreateForm(data)
assert first.is_valid(), first.errors
first = first.save()
second = forms.ThingCreateForm({**data, "label": "M"})
assert second.is_valid(), second.errors  # two blank `unique?` values do not clash
second = second.save()
assert first.mail is None and second.mail is None
assert first.count == 3, "a field outside the create surface is not taken from the request"
bad = forms.ThingCreateForm({**data, "label": "N", "type": "sideways"})
assert not bad.is_valid() and "type" in bad.errors
html = str(forms.ThingCreateForm())
assert 'type="date"' in html and 'type="datetime-local"' in html and 'type="email"' in html
assert 'type="number"' in html
edit = forms.ThingUpdateForm({"label": "L2", "price": "2", "type": "out", "owner": "zzz"}, instance=first)
assert edit.is_valid(), edit.errors
assert edit.save().owner_id == "o1"
assert str(first) == "L2" and str(models.Bare.objects.create()).startswith("bare ")
print("SMOKE OK")
"""


@pytest.mark.slow
def test_generated_project_checks_migrates_and_works(tmp_path):
    project = write_tree(run_generators(every_type(login_required=True)), tmp_path / "every")
    dev = {"DEBUG": "true"}
    manage(project, "check", "--fail-level", "WARNING", env_extra=dev)
    deploy = manage(project, "check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert "no issues" in deploy.stdout
    manage(project, "makemigrations", env_extra=dev)
    manage(project, "makemigrations", "--check", "--dry-run", env_extra=dev)
    manage(project, "migrate", env_extra=dev)
    (project / "smoke.py").write_text(SMOKE)
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    smoke = subprocess.run(
        [sys.executable, "smoke.py"],
        check=False,
        cwd=project,
        env={**env, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "SMOKE OK" in smoke.stdout, smoke.stderr
    tests = manage(project, "test", check=False)  # no SECRET_KEY, no DEBUG: tests still run
    assert tests.returncode == 0, tests.stderr


DATA_LAYER = ("project", "settings", "models", "access", "admin", "forms", "deployment", "customization")


def stress_spec() -> AppSpec:
    """Names that clash with Python and Django, int and str keys, a self ref, a ref to a str key."""
    model = Entity(
        name="Model",
        title="Model",
        fields=(
            field("id", "int", pk=True),
            field("models", "str", n=5, required=True),
            field("uuid", "uuid"),
            field("decimal", "decimal", digits=(5, 0), default=3),
            field("parent", "ref", ref="Model"),
            field("rank", "int", unique_nullable=True),
            field("Meta", "str", n=3),
            field("save", "bool"),
            field("state", "enum", values=("in", "not", "None", "LABEL", "1st"), unique_nullable=True),
        ),
        constraints=(Constraint(kind="index", fields=("models", "rank")),),
    )
    user = Entity(
        name="User",
        title=NASTY,
        fields=(
            field("login", "str", n=30, pk=True),
            field("when", "datetime", auto_update=True, required=True),
            field("model", "ref", ref="Model", required=True),
            field("model_2", "ref", ref="Model"),
            field("note", "text", default=NASTY),
        ),
        constraints=(Constraint(kind="unique", fields=("model", "model_2")),),
    )
    pin = Entity(
        name="Pin",
        fields=(
            field("user", "ref", ref="User", required=True),
            field("model", "ref", ref="Model", unique=True),
        ),
    )
    surfaces = (
        surface("user_new", "User", "create", [("note", NASTY)]),
        surface("user_edit", "User", "edit", [("login", "Login"), ("note", "Note"), ("when", "When")]),
        surface("model_list", "Model", "list", [("models", "M"), ("parent", "P")]),
        surface(
            "search", "Model", "custom", [("models", "M"), ("state", "S"), ("free", "F"), ("parent", "P")]
        ),
    )
    return AppSpec(
        name="stress",
        app=App(name="Stress Test!", title=NASTY),
        entities=(model, user, pin),
        surfaces=surfaces,
    )


def data_layer(spec: AppSpec, out):
    """Only this engineer's generators, with an empty app URLconf standing in for the web layer."""
    files = {}
    for gen in (g for g in registry.generators(["django"]) if g.name in DATA_LAYER):
        files.update(
            {f.path: f.data for f in gen.generate(gen.slice(spec), artifacts_read_by(gen, spec)).files}
        )
    package = naming.app_package(spec.app.name)
    files[f"{package}/urls.py"] = b"urlpatterns = []\n"
    files[f"{package}/views.py"] = b""  # the AppConfig's check of mixins.py reads it
    return write_tree(files, out)


@pytest.mark.slow
def test_data_layer_of_a_hostile_spec_checks_and_migrates(tmp_path):
    project = data_layer(stress_spec(), tmp_path / "stress")
    dev = {"DEBUG": "true"}
    manage(project, "check", "--fail-level", "WARNING", env_extra=dev)
    manage(project, "check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    manage(project, "makemigrations", env_extra=dev)
    manage(project, "migrate", env_extra=dev)
    assert (
        "No changes detected"
        in manage(project, "makemigrations", "--check", "--dry-run", env_extra=dev).stdout
    )
    missing = manage(project, "check", check=False)
    assert missing.returncode != 0 and "SECRET_KEY is not set" in missing.stderr
