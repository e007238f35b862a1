"""Helpers for tests that build an example with the real CLI and run the generated Django app:
the build into a copy of the example, ``manage.py`` calls, a live server on a free loopback
port, the generated admin login — and the rule for optional outside services (a browser, a
database): missing, the test is skipped with the reason; with ``DAZZLE_REQUIRE_E2E`` set (as
``.ci/run`` sets it), it fails instead, so CI cannot go green by skipping them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from hooks.django.admin_credentials import FILENAME as CREDENTIALS_FILE
from hooks.django.admin_credentials import read_credentials
from hooks.django.interpreter import run_script
from tests.support import example_copy

REQUIRE_ENV = "DAZZLE_REQUIRE_E2E"
# The generated project runs with the interpreter that runs the tests: it has the dev extra
# (Django, whitenoise, psycopg) that the generated requirements name.
PYTHON = sys.executable
# Variables meant for this process that must not steer the generated project.
_LEAKY = ("PYTHONPATH", "PYTHONHOME", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() not in ("", "0", "false", "no", "off")


def unavailable(reason: str) -> None:
    """Skip the test for a missing outside service, or fail when CI requires it."""
    if required():
        pytest.fail(f"{reason} ({REQUIRE_ENV} is set, so this is a failure, not a skip)")
    pytest.skip(f"{reason} (set {REQUIRE_ENV}=1 to make this a failure)")


def app_env(**overrides: str) -> dict[str, str]:
    """The environment for the generated project: this one without the leaky variables, with
    development settings (``DEBUG`` on, SQLite) unless ``overrides`` say otherwise."""
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    env.update({"DEBUG": "true", "ALLOWED_HOSTS": "localhost,127.0.0.1"})
    env.update(overrides)
    return env


def build_example(example: str, dest: Path) -> Path:
    """Copy ``examples/<example>`` to ``dest`` and ``dazzle build`` it there; its output folder."""
    project = example_copy(example, dest)
    done = dazzle(project, "build")
    assert done.returncode == 0, f"dazzle build {example} failed:\n{done.stdout}\n{done.stderr}"
    out = project / "build"
    assert (out / "manage.py").is_file(), f"dazzle build {example} wrote no manage.py:\n{done.stdout}"
    return out


def dazzle(
    project: Path, command: str, *options: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``dazzle COMMAND OPTIONS PROJECT`` with the real CLI, in the generated project's environment."""
    return subprocess.run(
        [PYTHON, "-m", "dazzle.cli", command, *options, str(project)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env or app_env(),
    )


def manage(project: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 300) -> str:
    """``manage.py ARGS`` in ``project``; its output, or a failed assertion that shows it."""
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=project,
        env=env or app_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def admin_credentials(project: Path) -> dict[str, str]:
    """The login the ``admin_credentials`` hook wrote into the output folder."""
    return read_credentials(project / CREDENTIALS_FILE)


def create_admin(project: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """Migrate, then create the superuser of ``.admin_credentials``; the credentials."""
    credentials = admin_credentials(project)
    manage(project, "migrate", "--no-input", env=env)
    manage(
        project,
        "createsuperuser",
        "--no-input",
        "--username",
        credentials["username"],
        "--email",
        credentials["email"],
        env={**(env or app_env()), "DJANGO_SUPERUSER_PASSWORD": credentials["password"]},
    )
    return credentials


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    """Poll ``url`` until it answers (any HTTP status counts); fail if the server dies first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with status {server.returncode} before answering")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {seconds:.0f} s")


@contextlib.contextmanager
def running_server(project: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """``manage.py runserver`` on a free loopback port for the ``with`` block; its base URL.
    The server is stopped however the block ends; its log is shown if it never answered."""
    port = free_port()
    log = project / "runserver.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=project,
            env=env or app_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for_http(base + "/accounts/login/", server)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{log.read_text(errors='replace')}") from None
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def make_migrations(project: Path) -> None:
    """Make the app's migrations as the build's migrations hook does (its script: Django's
    autodetector plus what Django has no word for, such as the roles' groups)."""
    [models] = [p for p in project.glob("*/models.py") if p.parent.name != "config"]
    done = run_script(Path(PYTHON), "makemigrations", [str(project), models.parent.name, "{}"], cwd=project)
    assert done.returncode == 0, f"makemigrations failed:\n{done.stdout}\n{done.stderr}"
