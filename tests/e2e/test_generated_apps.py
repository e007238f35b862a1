"""End to end: build the three examples (and a spec with every field type) into a Django project,
then run it as a developer would — ``check``, ``check --deploy`` with production settings,
``makemigrations`` (and ``--check`` after it), ``migrate``, the generated tests (which create
through each create surface, list, show, edit, delete, and check access) — plus a live
``runserver`` answering requests.
"""

from __future__ import annotations

import re
import secrets
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dazzle.semantics.frontend import load_project
from dazzle.testing import run_generators
from tests.django.web_specs import edge_cases, every_type
from tests.e2e.generated_app import app_env, make_migrations, manage, running_server
from tests.support import EXAMPLES, write_tree

PROD_ENV = app_env(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.com")

pytestmark = pytest.mark.slow


def build(spec, out: Path) -> Path:
    write_tree(run_generators(spec), out)
    return out


def check_project(project: Path) -> str:
    manage(project, "check")
    deploy = manage(project, "check", "--deploy", env=PROD_ENV)
    assert "no issues" in deploy, deploy  # warnings count too
    make_migrations(project)
    manage(project, "makemigrations", "--check", "--dry-run")
    manage(project, "migrate", "--no-input")
    output = manage(project, "test", "--no-input")
    # Every generated test ran (none left undiscovered): one per `def test_` in the test files.
    written = sum(path.read_text().count("    def test_") for path in project.rglob("test*.py"))
    ran = re.search(r"^Ran (\d+) tests?", output, re.MULTILINE)
    assert ran is not None and int(ran.group(1)) == written > 0, output[-2000:]
    return output


@pytest.mark.parametrize("example", ["todo", "helpdesk", "invoicing"])
def test_example_builds_and_its_generated_tests_pass(example, tmp_path):
    spec, _warnings = load_project(EXAMPLES / example)
    output = check_project(build(spec, tmp_path / example))
    assert "OK" in output


def test_every_field_type_and_nasty_titles(tmp_path):
    for login_required in (False, True):
        output = check_project(build(every_type(login_required), tmp_path / f"every_{login_required}"))
        assert "OK" in output


def test_reserved_names_keys_and_partial_surfaces(tmp_path):
    assert "OK" in check_project(build(edge_cases(), tmp_path / "edge"))


def test_live_runserver_serves_login_and_protects_pages(tmp_path):
    spec, _warnings = load_project(EXAMPLES / "todo")
    project = build(spec, tmp_path / "todo")
    manage(project, "migrate", "--no-input")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with running_server(project) as base:
        login = opener.open(f"{base}/accounts/login/", timeout=5)
        assert login.status == 200 and b"Sign in" in login.read()
        with pytest.raises(urllib.error.HTTPError) as redirected:
            opener.open(f"{base}/items/", timeout=5)
        assert redirected.value.code == 302
        assert redirected.value.headers["Location"].startswith("/accounts/login/")
        css = opener.open(f"{base}/static/todo/style.css", timeout=5)
        assert css.status == 200
