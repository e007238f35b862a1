"""``dazzle dev``'s own logic, without a server (``dazzle/cli/dev.py``): the port check, which
output files count as the app's, and the session — the dev server started after the first good
build, refreshed with exactly the output paths that changed (the build's own writes or the
person's), and the status the pages follow: a new number after each of these, with the failed
build's text, the server's error or the unresolved conflicts, until they are gone. The browser
side is ``tests/e2e/test_dev_browser.py``.
"""

from __future__ import annotations

import io
import json
import socket

from dazzle.cli.dev import DevSession, _in_output, output_snapshot, port_problem
from dazzle.cli.watch import Built
from dazzle.engine.paths import Layout
from dazzle.plugins import DevContext, DevError, DevServer


class FakeServer(DevServer):
    stack = "fake"

    def __init__(self, fail_start: int = 0) -> None:
        self.calls: list[tuple] = []
        self.fail_start = fail_start

    def start(self, ctx):
        self.calls.append(("start",))
        if self.fail_start:
            self.fail_start -= 1
            raise DevError("the server stopped: boom")
        return ["serving"]

    def refresh(self, ctx, changed):
        self.calls.append(("refresh", tuple(changed)))
        return []

    def stop(self):
        self.calls.append(("stop",))


def session(tmp_path, server=None, built_before: bool = False):
    project = tmp_path / "p"
    output, state = project / "build", project / ".dazzle"
    output.mkdir(parents=True)
    state.mkdir()
    if built_before:
        (output / "manage.py").write_text("old\n")
    ctx = DevContext(project, output, state, state / "dev", state / "dev" / "status.json", "127.0.0.1", 1)
    return DevSession(server or FakeServer(), ctx, Layout(project, output, state), io.StringIO())


def status(s: DevSession) -> dict:
    return json.loads(s.ctx.status_file.read_text())


def test_a_port_in_use_is_named_and_a_free_one_passes():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert "is in use" in port_problem("127.0.0.1", port)
    assert port_problem("127.0.0.1", port) is None
    assert "1 to 65535" in port_problem("127.0.0.1", 70000)


def test_the_apps_files_are_those_it_reads(tmp_path):
    out, state = tmp_path / "build", tmp_path / ".dazzle"
    keep = ["app/models.py", "app/templates/app/x.html", ".env", "manage.py", "static/site.css"]
    drop = ["db.sqlite3", "app/__pycache__/models.cpython-311.pyc", ".venv/bin/python", ".git/HEAD", "x.py~"]
    for rel in keep + drop:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("x")
    assert sorted(output_snapshot(out, state)) == sorted(keep)
    assert not _in_output(state / "dev" / "status.json", out, state)
    assert not _in_output(tmp_path / "dsl" / "app.dsl", out, state)


def test_the_server_starts_after_the_first_good_build_and_hears_what_changed(tmp_path):
    s = session(tmp_path)
    server = s.server
    s.built(Built(code=1, seconds=0, failure="dsl/app.dsl:3:7: error: unexpected"))
    assert server.calls == []  # nothing was ever built: nothing to serve
    assert status(s) == {"build": 1, "error": "dsl/app.dsl:3:7: error: unexpected"}

    (s.ctx.output_dir / "app.py").write_text("v1")
    s.built(Built(code=0, seconds=0))
    assert server.calls == [("start",)]
    assert status(s) == {"build": 2, "error": None}

    s.changed()  # the build's own writes, already seen: nothing to do, the pages stay
    assert server.calls == [("start",)] and status(s)["build"] == 2

    (s.ctx.output_dir / "mine.py").write_text("the person's code")
    (s.ctx.output_dir / "db.sqlite3").write_text("data")
    s.changed()
    assert server.calls[-1] == ("refresh", ("mine.py",))
    assert status(s) == {"build": 3, "error": None}

    (s.ctx.output_dir / "app.py").write_text("v2, longer")
    s.built(Built(code=0, seconds=0))
    assert server.calls[-1] == ("refresh", ("app.py",))
    assert status(s)["build"] == 4


def test_a_failed_build_keeps_the_app_and_shows_until_a_good_one(tmp_path):
    s = session(tmp_path, built_before=True)
    s.built(Built(code=1, seconds=0, failure="dsl/app.dsl:9:1: error: unknown entity"))
    assert s.server.calls == [("start",)]  # the app built before is served meanwhile
    assert "dsl/app.dsl:9:1" in status(s)["error"]
    (s.ctx.output_dir / "mine.py").write_text("an edit of theirs")
    s.changed()
    assert "dsl/app.dsl:9:1" in status(s)["error"], "a change of theirs is no fixed spec"
    s.built(Built(code=0, seconds=0))
    assert status(s)["error"] is None


def test_a_server_that_cannot_start_is_shown_and_tried_again(tmp_path):
    s = session(tmp_path, server=FakeServer(fail_start=1))
    s.built(Built(code=0, seconds=0))
    assert "the server stopped: boom" in status(s)["error"]
    assert "error: the server stopped" in s.out.getvalue()
    s.built(Built(code=0, seconds=0))
    assert s.server.calls == [("start",), ("start",)]
    assert status(s)["error"] is None


def test_unresolved_conflicts_show_until_their_markers_are_gone(tmp_path):
    s = session(tmp_path)
    marked = "<<<<<<< yours\nmine\n||||||| base\nold\n=======\nnew\n>>>>>>> generated\n"
    (s.ctx.output_dir / "app.py").write_text(marked)
    s.layout.conflicts_file.parent.mkdir(parents=True, exist_ok=True)
    s.layout.conflicts_file.write_text(json.dumps(["app.py"]))
    s.built(Built(code=0, seconds=0))
    assert "unresolved conflicts" in status(s)["error"]
    assert "build/app.py" in status(s)["error"]
    (s.ctx.output_dir / "app.py").write_text("mine and new\n")  # resolved by hand
    s.changed()
    assert status(s)["error"] is None


def test_an_unreadable_dazzle_toml_is_said_where_and_nothing_starts(tmp_path, capsys):
    from dazzle.cli.main import main

    (tmp_path / "dazzle.toml").write_text("[project\nname = 1\n")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert main(["dev", str(tmp_path), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert "dazzle.toml:1:9: error: invalid TOML" in err and "Traceback" not in err
    assert not (tmp_path / "build").exists()
