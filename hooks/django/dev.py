"""The Django stack's dev server for ``dazzle dev`` (entry point ``dazzle.dev``: ``django``).

``start``: the development settings and live reload (``dev_site/``) copied into
``.dazzle/dev/django/``, the database migrated and the superuser of ``.admin_credentials``
created (the ``apply`` script the provision hook runs), then ``manage.py runserver --noreload``
with those settings, waited for until it accepts connections. Its output goes to the terminal,
without the page script's own requests.

``refresh`` after a build or an edit in the output folder: a changed migration is applied
first; a changed Python file (or ``.env``, ``requirements.txt``) restarts the server, unless it is
one of the app's tests, and so does any change while the server is down (it stopped on an
error); anything else (templates, static files) needs nothing, templates being read afresh on
every request.
The Python is the project's ``.venv`` one when it has Django, else DAZZLE's own
(``interpreter.django_python``).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from dazzle.plugins import DevContext, DevError, DevServer, live
from hooks.django import admin_credentials, provision
from hooks.django.interpreter import django_python, project_env

SITE = Path(__file__).resolve().parent / "dev_site"
SETTINGS_MODULE = "dazzle_dev_settings"
STARTED_WITHIN_S = 60
SETTINGS_DEFAULT = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
RESTARTS = (".py", ".env", "requirements.txt")  # what the running server has read


def restarts(path: str) -> bool:
    """Whether a changed output file needs a new server: Python it imported (not the app's
    tests, which only ``manage.py test`` imports), its environment or its packages."""
    parts = path.split("/")
    return path.endswith(RESTARTS) and "tests" not in parts[:-1] and not parts[-1].startswith("test")


def base_settings(output_dir: Path) -> str:
    """The settings module ``manage.py`` names (``config.settings``)."""
    try:
        found = SETTINGS_DEFAULT.search((output_dir / "manage.py").read_text(encoding="utf-8"))
    except OSError:
        found = None
    if found is None:
        raise DevError(f"{output_dir / 'manage.py'} names no settings module: is this a Django project?")
    return found.group(1)


def is_migration(path: str) -> bool:
    parts = path.split("/")
    return len(parts) >= 2 and parts[-2] == "migrations" and path.endswith(".py")


class DjangoDevServer(DevServer):
    stack = "django"

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.python: Path | None = None

    def login_hint(self, ctx: DevContext) -> str:
        return f"sign in with the login in {ctx.output_dir / admin_credentials.FILENAME}"

    # ---- start, refresh, stop

    def start(self, ctx: DevContext) -> list[str]:
        self.python = django_python(ctx.output_dir)
        if self.python is None:
            raise DevError(
                f"no Python with Django to run {ctx.output_dir}: install its requirements "
                f"(python -m venv .venv && .venv/bin/pip install -r requirements.txt there), "
                "or `dazzle build --provision` once"
            )
        site = ctx.dev_dir / "django"
        site.mkdir(parents=True, exist_ok=True)
        for name in ("dazzle_dev_settings.py", "dazzle_dev_live.py"):
            shutil.copyfile(SITE / name, site / name)
        (site / "live.js").write_text(live.LIVE_JS, encoding="utf-8")
        lines = self.migrate(ctx)
        self.launch(ctx)
        return [*lines, f"serving {ctx.output_dir} at http://{ctx.host}:{ctx.port}/"]

    def refresh(self, ctx: DevContext, changed: list[str]) -> list[str]:
        lines = []
        if any(is_migration(p) for p in changed):
            lines += self.migrate(ctx)
        down = self.process is None or self.process.poll() is not None  # it stopped: try again
        if down or any(restarts(p) for p in changed):
            self.halt()
            self.launch(ctx)
            lines.append("started the server" if down else "restarted the server")
        return lines

    def stop(self) -> None:
        self.halt()

    # ---- the steps

    def migrate(self, ctx: DevContext) -> list[str]:
        """``migrate``, then the superuser of ``.admin_credentials`` unless it exists."""
        path = ctx.output_dir / admin_credentials.FILENAME
        try:
            login = admin_credentials.read_credentials(path) if path.is_file() else None
            report = provision.apply(self.python, ctx.output_dir, login)
        except (admin_credentials.CredentialsError, provision.ProvisionError) as exc:
            raise DevError(str(exc)) from exc
        applied = report.get("applied", [])
        lines = []
        if applied:
            shown = (
                ", ".join(applied)
                if len(applied) <= 3
                else f"{', '.join(applied[-3:])} and {len(applied) - 3} more"
            )
            lines.append(f"applied {len(applied)} migration{'s' if len(applied) != 1 else ''}: {shown}")
        if login and report.get("superuser") == "created":
            lines.append(f"created superuser {login['username']}")
        return lines

    def launch(self, ctx: DevContext) -> None:
        config = {
            "status_file": str(ctx.status_file),
            "script_file": str(ctx.dev_dir / "django" / "live.js"),
            "script_path": live.SCRIPT_PATH,
            "status_path": live.STATUS_PATH,
            "wait_s": live.WAIT_S,
        }
        env = project_env(
            {
                "PYTHONPATH": str(ctx.dev_dir / "django"),
                "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
                "DAZZLE_DEV_BASE_SETTINGS": base_settings(ctx.output_dir),
                "DAZZLE_DEV": json.dumps(config),
                "DEBUG": "true",
                "PYTHONUNBUFFERED": "1",
            }
        )
        self.process = subprocess.Popen(
            [str(self.python), "manage.py", "runserver", f"{ctx.host}:{ctx.port}", "--noreload"],
            cwd=ctx.output_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            start_new_session=True,  # Ctrl-C in the terminal reaches dazzle dev, which stops it
        )
        tail: list[str] = []
        relay = threading.Thread(target=self.relay, args=(self.process, ctx, tail), daemon=True)
        relay.start()
        deadline = time.monotonic() + STARTED_WITHIN_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                relay.join(timeout=5)  # its last lines
                self.process = None
                raise DevError("the server stopped:\n" + "\n".join("    " + line for line in tail[-25:]))
            try:
                with socket.create_connection((ctx.host, ctx.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.halt()
        raise DevError(f"the server did not listen on {ctx.host}:{ctx.port} within {STARTED_WITHIN_S} s")

    @staticmethod
    def relay(process: subprocess.Popen, ctx: DevContext, tail: list[str]) -> None:
        """The server's output to the terminal, without the page script's requests."""
        for line in process.stdout:
            line = line.rstrip("\n")
            tail.append(line)
            del tail[:-50]
            if "/__dazzle__/" not in line:
                ctx.say(line)

    def halt(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
