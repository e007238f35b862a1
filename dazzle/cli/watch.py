"""Watch mode: ``doit watch`` (a doit command plugin, entry point ``doit.COMMAND``) and
``dazzle watch``.

Builds once, then waits for changes (``watchfiles``) to ``dazzle.toml``, the ``.dsl`` files of
the ``[modules] paths`` folders and the template folders of the active generators; debounces
them and rebuilds incrementally in this process, printing one line per rebuild (what ran, how
long). A DSL error is printed and watching goes on; Ctrl-C exits cleanly with status 0.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from doit.cmd_base import DoitCmdBase

from dazzle.cli.args import add_project_arg, project_folder
from dazzle.util.files import read_json

DEBOUNCE_MS = 200


def register(subparsers) -> None:
    watch = subparsers.add_parser("watch", help="rebuild whenever the spec or a template changes")
    add_project_arg(watch)
    watch.add_argument("--force", action="store_true", help="overwrite generated files you edited")
    watch.set_defaults(func=cmd_watch)


def cmd_watch(args) -> int:
    project = project_folder(args)
    if project is None:
        return 2
    return watch_project(project, force=args.force)


def _watched(namespace: dict) -> tuple[list[Path], callable]:
    """Folders to watch and the filter that keeps only relevant changes."""
    engine = namespace["DAZZLE_ENGINE"]
    layout = engine.layout
    facts = engine.load_facts()  # a broken dazzle.toml has none: the project folder is watched
    dsl_dirs = [Path(d) for d in facts.dsl_dirs]
    template_dirs = [Path(g.template_dirs[0]) for g in facts.generators if g.template_dirs]
    roots = _outermost([layout.project_dir, *[d for d in dsl_dirs if d.is_dir()], *template_dirs])
    # the build's own writes are not changes (unless the output folder holds the sources too)
    sources = [layout.project_dir, *dsl_dirs, *template_dirs]
    holds_sources = any(s == layout.output_dir or layout.output_dir in s.parents for s in sources)
    ignored = [layout.state_dir] if holds_sources else [layout.state_dir, layout.output_dir]

    def relevant(_change, path: str) -> bool:
        p = Path(path)
        if any(p == i or i in p.parents for i in ignored) or p.name.endswith((".dazzle-tmp", "~")):
            return False
        if p == layout.config_file:
            return True
        if p.suffix == ".dsl" and (not dsl_dirs or any(d in p.parents for d in dsl_dirs)):
            return True
        return any(t in p.parents for t in template_dirs)

    return roots, relevant


@dataclass
class Built:
    """One build as watch saw it: doit's exit code, how long it took, the tasks that ran, what
    failed (the text printed for it, "" when the build passed) and the build's messages."""

    code: int
    seconds: float
    executed: list[str] = field(default_factory=list)
    failure: str = ""
    messages: list[str] = field(default_factory=list)


def build_once(namespace: dict, out) -> Built:
    """One build with doit's own output captured; prints a single line (and any errors)."""
    from dazzle.engine import run_doit

    layout = namespace["DAZZLE_ENGINE"].layout
    captured = io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        code = run_doit(layout.project_dir, ["build"], namespace=namespace)
    seconds = time.monotonic() - started
    record = read_json(layout.last_run, {}) or {}
    executed = record.get("executed", [])
    failed = record.get("failed", {})
    messages = record.get("messages", [])
    stamp = time.strftime("%H:%M:%S")
    failure = ""
    if code != 0 or failed:
        failure = "".join(f"{name} failed:\n{message.rstrip()}\n" for name, message in failed.items())
        failure = failure or captured.getvalue()
        out.write(failure)
        out.write(f"[{stamp}] build failed ({seconds:.2f}s); watching for changes\n")
    else:
        shown = ", ".join(executed[:6]) + (f", … (+{len(executed) - 6})" if len(executed) > 6 else "")
        ran = f"{len(executed)} task{'s' if len(executed) != 1 else ''} ran" + (f": {shown}" if shown else "")
        out.write(f"[{stamp}] built in {seconds:.2f}s, {ran}\n")
        for message in messages:
            out.write(f"   {message}\n")
    out.flush()
    return Built(code or (1 if failed else 0), seconds, executed, failure, messages)


class Session:
    """What runs beside the watcher (``dazzle dev``: the app's server): told of every build,
    and of changes to other files it watches (``roots``, ``relevant``)."""

    def roots(self) -> list[Path]:
        return []

    def relevant(self, path: str) -> bool:
        return False

    def built(self, result: Built) -> None:
        pass

    def changed(self) -> None:
        """Files of ``roots`` that ``relevant`` keeps changed (maybe by the build itself)."""


def _snapshot(roots: list[Path], relevant) -> dict[str, tuple[int, int]]:
    """The identity of every watched file: what a change between two looks would alter."""
    found = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            # a folder may hold something relevant when a DSL file in it would be (not the
            # output or state folders, not unrelated folders of the project)
            dirs[:] = [d for d in dirs if relevant(None, os.path.join(folder, d, "x.dsl"))]
            for name in files:
                path = os.path.join(folder, name)
                if relevant(None, path):
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    found[path] = (st.st_mtime_ns, st.st_size)
    return found


def watch_namespace(namespace: dict, out=None, stop_event=None, session: Session | None = None) -> int:
    """Build, then rebuild on every relevant change until Ctrl-C (or ``stop_event``).

    "watching" is said only once the file watcher is armed (its first timeout has passed), and
    what changed between the last look and that moment is caught up on: an edit saved right
    after the message, or during the first build, is never missed. ``session`` hears of each
    build and of changes to its own files."""
    import watchfiles

    out = out or sys.stdout
    session = session or Session()
    try:
        roots, relevant = _watched(namespace)
        seen = _snapshot(roots, relevant)
        session.built(build_once(namespace, out))
        roots, relevant = _watched(namespace)
        while True:
            armed = False
            every = _outermost([*roots, *session.roots()])
            for changes in watchfiles.watch(
                *every,
                watch_filter=lambda change, path: relevant(change, path) or session.relevant(path),
                debounce=DEBOUNCE_MS,
                step=50,
                rust_timeout=100,
                yield_on_timeout=True,
                stop_event=stop_event,
                raise_interrupt=False,
            ):
                if not armed:
                    armed = True
                    out.write(f"watching {', '.join(str(r) for r in roots)} (Ctrl-C to stop)\n")
                    out.flush()
                    if _snapshot(roots, relevant) != seen:
                        changes = {("missed", "")}  # changed before the watcher was armed
                if not changes:
                    continue
                if not any(path == "" or relevant(change, path) for change, path in changes):
                    session.changed()
                    continue
                seen = _snapshot(roots, relevant)
                session.built(build_once(namespace, out))
                now, relevant = _watched(namespace)
                if now != roots:  # e.g. a new [modules] path: watch the new folders from now on
                    roots = now
                    break
            else:
                break  # Ctrl-C or stop_event
    except KeyboardInterrupt:
        pass
    out.write("stopped watching\n")
    out.flush()
    return 0


def _outermost(roots: list[Path]) -> list[Path]:
    """``roots`` without those inside another (watchfiles watches recursively)."""
    roots = sorted(set(roots))
    return [r for r in roots if not any(o != r and o in r.parents for o in roots)]


def watch_project(project_dir: Path, force: bool = False, out=None, stop_event=None) -> int:
    from dazzle.engine import dodo_namespace

    return watch_namespace(dodo_namespace(Path(project_dir), force=force), out, stop_event)


class Watch(DoitCmdBase):
    """``doit watch``: the dodo file's dazzle project, rebuilt on every change."""

    name = "watch"
    doc_purpose = "rebuild the dazzle project whenever its spec, dazzle.toml or a template changes"
    doc_usage = ""
    doc_description = "Builds once, then rebuilds incrementally on every change. Ctrl-C stops."
    cmd_options = ()

    def execute(self, params, args):
        self.loader.setup(params)
        namespace = getattr(self.loader, "namespace", None) or {}
        if "DAZZLE_ENGINE" not in namespace:
            sys.stderr.write(
                "doit watch: this dodo file has no dazzle project (use dazzle.engine.dodo_namespace)\n"
            )
            return 3
        return watch_namespace(namespace)
