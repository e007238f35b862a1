"""The build's reporter (a doit reporter class): what the user sees, and ``last_run.json``.

One line per executed task (``.  generate:django:models:Customer``), the messages tasks return
(hook results, warnings: one channel), errors without tracebacks for user mistakes, and a summary
line. ``.dazzle/last_run.json`` lists the executed and failed task names (tests and ``watch`` read
it), and ``.dazzle/outputs.json`` records the files each generate task wrote (its doit targets).

The reporter holds the project's build lock (``lock``) from its first call to its summary, so
everything the tasks do happens under it. A ``running`` marker in the state folder lives while
a build runs; finding it at the start means the previous build was killed, so its temp files
are swept away and a commit it left half applied is finished (``commit.recover``) first.
"""

from __future__ import annotations

import shutil
import sys
import time

from doit.exceptions import TaskFailed, UnmetDependency
from doit.reporter import ConsoleReporter

from dazzle.engine import lock
from dazzle.engine.commit import conflicts_message, pending_conflicts, recover
from dazzle.engine.paths import Layout
from dazzle.engine.stage import load_manifest
from dazzle.util.files import canonical_json, read_json, sweep_temp_files, write_atomic

STAGES = ("parse", "link", "pre_build", "generate", "post_build")

# state folder → the Engine that created this process's tasks for it (the reporter hands it
# the list of executed tasks, so it can refresh its plan cache)
_ENGINES: dict[str, object] = {}


def register_engine(engine) -> None:
    _ENGINES[str(engine.layout.state_dir)] = engine


def _is_reported(task) -> bool:
    # `build` only checks for conflicts, on every build: not a step worth a line
    return bool(task.actions) and not task.name.startswith("_") and task.name != "build"


class DazzleReporter(ConsoleReporter):
    desc = "dazzle: one line per executed task, then a summary"

    def __init__(self, outstream, options):
        super().__init__(outstream, options)
        self.layout: Layout | None = None
        self.executed: list[str] = []
        self.failed: dict[str, str] = {}
        self.messages: list[str] = []
        self.up_to_date = 0
        self.started = time.monotonic()

    # ---- doit's reporter interface

    def initialize(self, tasks, selected_tasks):
        self.started = time.monotonic()
        link = tasks.get("link")
        meta = (link.meta or {}).get("dazzle") if link is not None else None
        if meta:
            self.layout = Layout.from_meta(meta)
            lock.acquire(self.layout.state_dir, out=self.outstream)
            marker = self.layout.running_marker
            if marker.exists():
                sweep_temp_files(self.layout.output_dir, self.layout.state_dir)
                shutil.rmtree(self.layout.state_dir / "tmp", ignore_errors=True)
                recovered = recover(self.layout)
                if recovered is not None:
                    self._message(
                        f"finished the commit an interrupted build had begun ({len(recovered.written)} files)"
                    )
            self.layout.state_dir.mkdir(parents=True, exist_ok=True)
            marker.write_bytes(b"")

    def execute_task(self, task):
        if _is_reported(task):
            self.executed.append(task.name)
            self.write(f".  {task.name}\n")

    def skip_uptodate(self, task):
        if _is_reported(task):
            self.up_to_date += 1

    def skip_ignore(self, task):
        pass

    def add_success(self, task):
        for message in (task.values or {}).get("messages", ()):
            self._message(message)

    def add_failure(self, task, fail):
        if isinstance(fail, UnmetDependency):
            return  # the failure it depends on was already reported
        if isinstance(fail, TaskFailed):  # a user's mistake: the message says it all
            text = fail.message
        else:  # a bug in dazzle or in a plugin: the traceback helps
            text = fail.get_msg()
        self.failed[task.name] = text
        sys.stderr.write(f"{task.name} failed:\n{text.rstrip()}\n")
        sys.stderr.flush()

    def runtime_error(self, msg):
        self.failed["<doit>"] = msg
        sys.stderr.write(f"error: {msg}\n")

    def complete_run(self):
        seconds = time.monotonic() - self.started
        ran = len(self.executed)
        status = f"{len(self.failed)} failed, " if self.failed else ""
        self.write(
            f"dazzle: {ran} task{'s' if ran != 1 else ''} ran, {status}{self.up_to_date} up to date "
            f"({seconds:.2f}s)\n"
        )
        if self.layout is None:
            return
        conflicts = pending_conflicts(self.layout)
        if conflicts and "build" not in self.failed:
            sys.stderr.write(conflicts_message(self.layout, conflicts) + "\n")
        self._record_outputs()
        record = {
            "executed": self.executed,
            "failed": self.failed,
            "messages": self.messages,
            "up_to_date": self.up_to_date,
            "seconds": round(seconds, 3),
        }
        write_atomic(self.layout.last_run, canonical_json(record))
        engine = _ENGINES.get(str(self.layout.state_dir))
        if engine is not None:
            engine.finish_run(self.executed)
        try:
            self.layout.running_marker.unlink()
        except FileNotFoundError:
            pass
        lock.release(self.layout.state_dir)

    # ---- helpers

    def _message(self, message: str) -> None:
        self.messages.append(message)
        self.write(f"   {message}\n")

    def _record_outputs(self) -> None:
        """Update outputs.json from the manifests of the generate tasks that ran; a file belongs
        to one task only (doit forbids two tasks sharing a target)."""
        ran = [n for n in self.executed if n.startswith("generate:")]
        if not ran:
            return
        outputs = read_json(self.layout.outputs_index, {})
        if not isinstance(outputs, dict):
            outputs = {}
        owner = {rel: task for task, files in outputs.items() for rel in files}
        for name in ran:
            key = name[len("generate:") :].replace(":", "/")
            files = sorted(load_manifest(self.layout, key))
            for rel in files:
                previous = owner.get(rel)
                if previous is not None and previous != name and previous in outputs:
                    outputs[previous] = [f for f in outputs[previous] if f != rel]
                owner[rel] = name
            outputs[name] = files
        outputs = {task: files for task, files in outputs.items() if files}
        write_atomic(self.layout.outputs_index, canonical_json(outputs))
