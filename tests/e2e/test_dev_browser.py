"""``dazzle dev`` on the helpdesk example, in headless Chromium (issue #17): the first line is
the URL with where the login is; the open cases page shows a label edit and a new field (a
migration and a server restart) by itself, without the test reloading it; a broken spec shows
an overlay with the error's file:line:column, which goes away when the spec is fixed; a mistake
in the person's own settings stops the server, the page says so, and fixing it brings both
back; Ctrl-C stops the server too. And a port in use is a clear error before anything is built.

Every wait is for what the step must bring (a line of the terminal, an element of the page),
with a deadline. Needs playwright and Chromium, as ``test_browser.py``.
"""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.e2e.generated_app import admin_credentials, app_env, free_port, manage
from tests.e2e.test_browser import TIMEOUT_MS, browser  # noqa: F401 (the fixture)
from tests.support import example_copy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STARTED_WITHIN_S = 240  # the first build, the migrations and the server
CHANGED_WITHIN_MS = 60_000  # a rebuild, maybe a migration and a restart, then the reload
OVERLAY = "#dazzle-dev-overlay"
A_CASE = (
    "from helpdesk import models\n"
    "agent = models.Agent.objects.create(email='agent@example.com', full_name='Agent A')\n"
    "customer = models.Customer.objects.create(company='Acme')\n"
    "models.Case.objects.create(subject='Printer on fire', body='Smoke.', customer=customer, opened_by=agent)\n"
)


class Terminal:
    """What ``dazzle dev`` prints, line by line, read as it comes."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process) -> None:
        for line in process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no line matching {pattern!r} within {seconds} s:\n" + "\n".join(self.seen)
                )
            self.seen.append(line)
            if re.search(pattern, line):
                return line


def start_dev(project: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dazzle.cli", "dev", str(project), "--port", str(port)],
        env=app_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is no longer in {path}"
    path.write_text(text.replace(old, new, 1))


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_the_open_page_follows_the_spec_by_itself(browser, tmp_path):  # noqa: F811 (the fixture)
    from playwright.sync_api import expect

    project = example_copy("helpdesk", tmp_path)
    dsl = project / "dsl" / "app.dsl"
    port = free_port()
    process = start_dev(project, port)
    terminal = Terminal(process)
    try:
        first = terminal.wait_for(r".", 30)
        assert first.startswith(f"http://127.0.0.1:{port}/"), first
        assert str(project / "build" / ".admin_credentials") in first, first
        terminal.wait_for(r"^serving ", STARTED_WITHIN_S)

        credentials = admin_credentials(project / "build")
        manage(project / "build", "shell", "-c", A_CASE)  # a list with a row has its table
        context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(credentials["username"])
        page.get_by_label("Password").fill(credentials["password"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"http://127.0.0.1:{port}/")
        page.goto("/cases/")
        headers = page.locator("table.records thead th")
        expect(headers.filter(has_text="Subject")).to_have_count(1)
        page.evaluate("window.beforeTheEdit = true")  # gone once the page has reloaded

        # A label: the page reloads itself and shows it.
        edit(
            dsl,
            '    field subject "Subject"\n    field state "State"',
            '    field subject "Topic"\n    field state "State"',
        )
        expect(headers.filter(has_text="Topic")).to_have_count(1, timeout=CHANGED_WITHIN_MS)
        assert page.evaluate("window.beforeTheEdit === undefined"), "the page changed, but not by a reload"

        # A new field: migrated, the server restarted, the page reloaded with the new column.
        edit(
            dsl,
            "  hours_spent: decimal(6,2) default=0\n",
            "  hours_spent: decimal(6,2) default=0\n  channel: str(20)\n",
        )
        edit(
            dsl,
            '    field opened "Opened"\n\nsurface case_view',
            '    field opened "Opened"\n    field channel "Channel"\n\nsurface case_view',
        )
        expect(headers.filter(has_text="Channel")).to_have_count(1, timeout=CHANGED_WITHIN_MS)
        assert any("migration" in line for line in terminal.seen), terminal.seen

        # A mistake: the overlay, with where it is; the page behind it stays as it was.
        good = dsl.read_text()
        dsl.write_text(
            good.replace(
                "  severity: enum[minor,major,critical]=minor\n",
                "  severity: enum[minor,major,critical=minor\n",
                1,
            )
        )
        overlay = page.locator(OVERLAY)
        expect(overlay).to_be_visible(timeout=CHANGED_WITHIN_MS)
        expect(overlay).to_contain_text(re.compile(r"dsl/app\.dsl:\d+:\d+"))
        expect(headers.filter(has_text="Channel")).to_have_count(1)
        dsl.write_text(good)
        expect(overlay).to_have_count(0, timeout=CHANGED_WITHIN_MS)
        expect(headers.filter(has_text="Channel")).to_have_count(1)

        # A mistake in the person's own code: the server stops, the page says so; fixed, it
        # starts again and the page comes back.
        mine = project / "build" / "config" / "settings_extra.py"
        theirs = mine.read_text()
        mine.write_text(theirs + "\nraise RuntimeError('a mistake of mine')\n")
        terminal.wait_for(r"^error: the server stopped", CHANGED_WITHIN_MS / 1000)
        expect(overlay).to_contain_text("not answering", timeout=CHANGED_WITHIN_MS)
        mine.write_text(theirs)
        terminal.wait_for(r"^started the server", CHANGED_WITHIN_MS / 1000)
        expect(overlay).to_have_count(0, timeout=CHANGED_WITHIN_MS)
        expect(headers.filter(has_text="Channel")).to_have_count(1)
        context.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0
    assert not listening(port), "Ctrl-C left the app's server running"


def test_a_port_in_use_is_a_clear_error(tmp_path):
    project = example_copy("todo", tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "dazzle.cli", "dev", str(project), "--port", str(port)],
            env=app_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"port {port} is in use" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "build").exists(), "nothing is built for a port it cannot serve"
