"""End to end: build the three examples (and a spec with every field type) into a Django project,
then run it as a developer would — ``check``, ``check --deploy`` with production settings,
``makemigrations`` (and ``--check`` after it), ``migrate``, the generated tests (which create
through each create surface, list, show, edit, delete, and check access) — plus a live
``runserver`` answering requests.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dazzle.frontend import load_project
from tests.django_web_specs import edge_cases, every_type
from tests.support import EXAMPLES, run_generators, write_tree

PYTHON = Path(sys.executable)
DEV_ENV = {"DEBUG": "true", "SECRET_KEY": "", "DATABASE_URL": ""}
PROD_ENV = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "example.com"}

pytestmark = pytest.mark.slow


def manage(project: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 300) -> str:
    full_env = {**os.environ, **DEV_ENV, **(env or {})}
    done = subprocess.run([str(PYTHON), "manage.py", *args], cwd=project, env=full_env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def build(spec, out: Path) -> Path:
    write_tree(run_generators(spec, "django"), out)
    return out


def check_project(project: Path) -> str:
    manage(project, "check")
    deploy = manage(project, "check", "--deploy", env=PROD_ENV)
    assert "no issues" in deploy, deploy  # warnings count too
    manage(project, "makemigrations")
    manage(project, "makemigrations", "--check", "--dry-run")
    manage(project, "migrate", "--no-input")
    return manage(project, "test", "--no-input")


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_live_runserver_serves_login_and_protects_pages(tmp_path):
    spec, _warnings = load_project(EXAMPLES / "todo")
    project = build(spec, tmp_path / "todo")
    manage(project, "migrate", "--no-input")
    port = free_port()
    server = subprocess.Popen([str(PYTHON), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=project, env={**os.environ, **DEV_ENV}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                login = opener.open(f"{base}/accounts/login/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            pytest.fail("runserver did not answer")
        assert login.status == 200 and b"Sign in" in login.read()
        with pytest.raises(urllib.error.HTTPError) as redirected:
            opener.open(f"{base}/items/", timeout=5)
        assert redirected.value.code == 302
        assert redirected.value.headers["Location"].startswith("/accounts/login/")
        css = opener.open(f"{base}/static/todo/style.css", timeout=5)
        assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
