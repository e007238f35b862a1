"""The ``deployment`` generator: requirements with ranges, Procfile, .python-version,
.env.example and the generated app's README (title escaped for Markdown)."""

from __future__ import annotations

from dazzle.ir import App, AppSpec, BuildConfig, ProjectConfig
from generators.django.deployment import DeploymentGenerator
from tests.django.web_specs import NASTY, helpdesk
from tests.support import artifacts_read_by


def generate(spec: AppSpec) -> dict[str, str]:
    gen = DeploymentGenerator()
    return {f.path: f.content for f in gen.generate(gen.slice(spec), artifacts_read_by(gen, spec)).files}


def requirement_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_files():
    assert sorted(generate(helpdesk())) == [
        ".env.example",
        ".python-version",
        "Procfile",
        "README.md",
        "requirements-postgres.txt",
        "requirements.txt",
    ]


def test_requirements_have_ranges_and_postgres_is_optional():
    files = generate(helpdesk())
    assert requirement_lines(files["requirements.txt"]) == [
        "Django>=5.2,<5.3",
        "django-filter>=25.1,<27",
        "gunicorn>=23,<24",
        "whitenoise>=6.6,<7",
    ]
    assert "psycopg" not in files["requirements.txt"]
    assert requirement_lines(files["requirements-postgres.txt"]) == [
        "-r requirements.txt",
        "psycopg[binary]>=3.2,<4",
    ]


def test_procfile_and_python_version():
    files = generate(helpdesk())
    assert files["Procfile"].splitlines() == [
        "web: gunicorn config.wsgi --log-file -",
        "release: python manage.py migrate --noinput",
    ]
    major, minor = files[".python-version"].strip().split(".")
    assert (int(major), int(minor)) >= (3, 11)


def test_env_example_names_every_setting_and_no_secret():
    env = generate(helpdesk())[".env.example"]
    keys = {
        line.split("=")[0]: line.split("=", 1)[1]
        for line in env.splitlines()
        if line and not line.startswith("#")
    }
    assert set(keys) == {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL"}
    assert keys["SECRET_KEY"] == ""


def test_readme_explains_run_test_deploy_and_escapes_the_title():
    public = ProjectConfig(build=BuildConfig(login_required=False))
    readme = generate(AppSpec(name="every", app=App(name="every", title=NASTY), config=public))["README.md"]
    first = readme.splitlines()[0]
    assert first.startswith("# ") and "<script>" not in first and "{{" not in first
    assert first == "# " + "".join(
        "\\" + c if c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" else c for c in NASTY
    )
    for command in (
        "pip install -r requirements.txt",
        "python manage.py migrate",
        "python manage.py runserver",
        "python manage.py test",
        "collectstatic",
        "gunicorn config.wsgi",
    ):
        assert command in readme
    assert "Every page needs a signed-in user" in generate(helpdesk())["README.md"]
    assert "The pages are public" in readme


def test_slice_ignores_entities_and_surfaces():
    gen = DeploymentGenerator()
    spec = helpdesk()
    assert gen.slice(spec) == gen.slice(spec.model_copy(update={"entities": (), "surfaces": ()}))
