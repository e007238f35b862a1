"""``dazzle dev [DIR] [--port N]`` (and ``doit dev``): the app running, kept in step with its spec.

Checks that the port is free, says the URL to open (the first line printed), builds, then has
the stack's dev server (a ``dazzle.dev`` plugin: Django's migrates and runs ``runserver``) start
the app. It then watches as ``dazzle watch`` does, plus the output folder, where the person
writes their own code: after each build, and after each change of theirs there, the dev server
migrates, restarts or does nothing as the changed files need, and only then is the status file
(``.dazzle/dev/status.json``: the build's number and its error) rewritten — open pages follow it,
reloading themselves after a build and showing a failed build's text as an overlay until the
next good one. A failed build leaves the running app as it was. Ctrl-C stops everything.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
import threading
from pathlib import Path

from doit.cmd_base import DoitCmdBase

from dazzle.cli.args import add_project_arg, project_folder
from dazzle.cli.watch import Built, Session, watch_namespace
from dazzle.util.files import canonical_json, write_atomic

DEFAULT_PORT = 8000
HOST = "127.0.0.1"


def register(subparsers) -> None:
    dev = subparsers.add_parser(
        "dev", help="run the app and keep it in step with the spec (pages reload themselves)"
    )
    add_project_arg(dev)
    dev.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"the app's port (default {DEFAULT_PORT})"
    )
    dev.set_defaults(func=cmd_dev)


def cmd_dev(args) -> int:
    project = project_folder(args)
    if project is None:
        return 2
    return dev_project(project, args.port)


def port_problem(host: str, port: int) -> str | None:
    """Why the app cannot listen on ``host:port`` (None: it can)."""
    if not 0 < port < 65536:
        return f"--port {port}: a port is a number from 1 to 65535"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} is in use (another server?): stop it, or choose a port with --port N"
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


class DevSession(Session):
    """The dev server beside the watcher: started after the first good build, refreshed with
    the output paths that changed since it last looked, and the status file written after."""

    def __init__(self, server, ctx, layout, out) -> None:
        self.server, self.ctx, self.layout, self.out = server, ctx, layout, out
        self.number = 0
        self.started = False
        self.seen = output_snapshot(ctx.output_dir, ctx.state_dir)
        self.had_output = bool(self.seen)  # an app built before: served even if this build fails
        self.failure: str | None = None  # the last build's, until a build passes

    def roots(self) -> list[Path]:
        return [self.ctx.output_dir]

    def relevant(self, path: str) -> bool:
        return _in_output(Path(path), self.ctx.output_dir, self.ctx.state_dir)

    def built(self, result: Built) -> None:
        self.failure = (
            (result.failure.strip() or "the build failed (see the terminal)") if result.code else None
        )
        problem = None
        if self.started or result.code == 0 or self.had_output:  # else nothing to serve yet
            problem = self.step(start=not self.started)
        self.publish(problem)

    def changed(self) -> None:
        if self.started and output_snapshot(self.ctx.output_dir, self.ctx.state_dir) != self.seen:
            self.publish(self.step(start=False))  # not the build's own writes, seen already

    def step(self, start: bool) -> str | None:
        """Start the server, or refresh it with what changed in the output folder since it
        last looked; what stands in the way of the app (its unresolved conflicts, the server's
        error), or None."""
        from dazzle.engine.commit import conflicts_message, pending_conflicts
        from dazzle.plugins import DevError

        now = output_snapshot(self.ctx.output_dir, self.ctx.state_dir)
        changed = sorted(p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p))
        self.seen = now
        problems = []
        conflicts = pending_conflicts(self.layout)
        if conflicts and conflicts_message(self.layout, conflicts) not in (self.failure or ""):
            problems.append(conflicts_message(self.layout, conflicts))  # (a failed build lists them)
        try:
            lines = self.server.start(self.ctx) if start else self.server.refresh(self.ctx, changed)
        except DevError as exc:
            self.say(f"error: {exc}")
            problems.append(str(exc))
        else:
            self.started = True
            for line in lines:
                self.say(line)
        return "\n\n".join(problems) or None

    def publish(self, problem: str | None) -> None:
        """The status open pages follow: a new number makes them reload, or show the failed
        build and ``problem``."""
        error = "\n\n".join(p for p in (self.failure, problem) if p) or None
        self.number += 1
        write_atomic(self.ctx.status_file, canonical_json({"build": self.number, "error": error}))

    def say(self, line: str) -> None:
        self.out.write(f"{line}\n")
        self.out.flush()


def _in_output(path: Path, output_dir: Path, state_dir: Path) -> bool:
    """A file of the output folder that the app reads (not its database, caches or venv)."""
    if output_dir not in path.parents or state_dir == path or state_dir in path.parents:
        return False
    rel = path.relative_to(output_dir).parts
    if any(part in _NOT_THE_APP or part.startswith(".") and part != ".env" for part in rel):
        return False
    return not path.name.endswith(_NOT_THE_APP_SUFFIXES)


_NOT_THE_APP = {"__pycache__", "node_modules", "media", "staticfiles"}
_NOT_THE_APP_SUFFIXES = (
    ".pyc",
    ".sqlite3",
    ".sqlite3-journal",
    ".sqlite3-wal",
    ".sqlite3-shm",
    ".log",
    "~",
    ".swp",
)


def output_snapshot(output_dir: Path, state_dir: Path) -> dict[str, tuple[int, int]]:
    """Output path → (mtime, size) of every file ``_in_output`` keeps."""
    found = {}
    if not output_dir.is_dir():
        return found
    for folder, dirs, files in os.walk(output_dir):
        dirs[:] = [d for d in dirs if _in_output(Path(folder, d, "x"), output_dir, state_dir)]
        for name in files:
            path = Path(folder, name)
            if _in_output(path, output_dir, state_dir):
                try:
                    st = path.stat()
                except OSError:
                    continue
                found[path.relative_to(output_dir).as_posix()] = (st.st_mtime_ns, st.st_size)
    return found


def dev_namespace(namespace: dict, port: int, out=None) -> int:
    """``dazzle dev`` on a dodo namespace (``doit dev`` and ``dazzle dev`` both come here)."""
    from dazzle.plugins import DevContext
    from dazzle.plugins.registry import dev_server

    out = out or sys.stdout
    engine = namespace["DAZZLE_ENGINE"]
    layout = engine.layout
    problem = port_problem(HOST, port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    facts = engine.load_facts()
    if facts.error:  # dazzle.toml cannot be read: nothing says which stack to serve
        print(facts.error, file=sys.stderr)
        return 1
    stacks = tuple(facts.stacks)
    server = dev_server(stacks)
    if server is None:
        print(
            f"error: no stack of this project ({', '.join(stacks) or 'none'}) has a dev server",
            file=sys.stderr,
        )
        return 2
    dev_dir = layout.state_dir / "dev"
    ctx = DevContext(
        project_dir=layout.project_dir,
        output_dir=layout.output_dir,
        state_dir=layout.state_dir,
        dev_dir=dev_dir,
        status_file=dev_dir / "status.json",
        host=HOST,
        port=port,
        say=lambda line: (out.write(f"{line}\n"), out.flush()),
    )
    hint = server.login_hint(ctx)
    out.write(f"http://{HOST}:{port}/" + (f"  ({hint})" if hint else "") + "\n")
    out.flush()
    session = DevSession(server, ctx, layout, out)
    stopping = _on_sigterm()
    try:
        return watch_namespace(namespace, out, session=session)
    finally:
        server.stop()
        stopping()


def _on_sigterm():
    """SIGTERM ends ``dazzle dev`` as Ctrl-C does (its server stopped too); returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


def dev_project(project_dir: Path, port: int, out=None) -> int:
    from dazzle.engine import dodo_namespace

    return dev_namespace(dodo_namespace(Path(project_dir)), port, out)


class Dev(DoitCmdBase):
    """``doit dev [--port N]``: the dodo file's dazzle project, served and kept in step."""

    name = "dev"
    doc_purpose = "run the dazzle project's app and keep it in step with the spec (pages reload themselves)"
    doc_usage = ""
    doc_description = "Builds, migrates, serves; rebuilds on every change. Ctrl-C stops everything."
    cmd_options = (
        {
            "name": "port",
            "long": "port",
            "type": int,
            "default": DEFAULT_PORT,
            "help": f"the app's port (default {DEFAULT_PORT})",
        },
    )

    def execute(self, params, args):
        self.loader.setup(params)
        namespace = getattr(self.loader, "namespace", None) or {}
        if "DAZZLE_ENGINE" not in namespace:
            sys.stderr.write(
                "doit dev: this dodo file has no dazzle project (use dazzle.engine.dodo_namespace)\n"
            )
            return 3
        return dev_namespace(namespace, params["port"])
