"""What ``dazzle status`` and ``dazzle diff`` tell: the generated files the user changed, those
with unresolved conflicts, and what the next build would do to the output folder.

The last is the pending changeset that the build's own tasks compute up to the merge
(``plan_next_build``): staging and merging touch only ``.dazzle/``, so asking costs the next
build nothing — it finds those tasks up to date.
"""

from __future__ import annotations

import difflib
import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from dazzle.engine.changeset import WRITES_OR_REMOVES, Changeset
from dazzle.engine.commit import pending_conflicts
from dazzle.engine.ledger import Ledger, base_bytes
from dazzle.engine.paths import Layout
from dazzle.util.files import read_bytes, sha256

WHAT = {
    "write": "write",
    "merge": "merge your edits with the spec's changes",
    "conflict": "write conflict markers (your edits and the spec's overlap)",
    "create": "create",
    "remove": "remove (no longer generated)",
}


@dataclass
class Status:
    edited: list[str] = field(default_factory=list)  # differ from what the build last wrote
    deleted: list[str] = field(default_factory=list)  # the next build writes them again
    conflicts: list[str] = field(default_factory=list)  # still hold conflict markers
    next_build: list[tuple[str, str]] = field(default_factory=list)  # (what, path) of each change
    failure: str | None = None  # why the next build's changes could not be computed


def plan_next_build(project_dir: Path, **options) -> tuple[Layout, str | None]:
    """Run the build's tasks up to the merge (quietly); the layout and, when they failed, what
    they printed."""
    from dazzle.engine import dodo_namespace, run_doit

    namespace = dodo_namespace(project_dir, **options)
    captured = io.StringIO()
    with redirect_stdout(captured), redirect_stderr(captured):
        code = run_doit(project_dir, ["merge"], namespace=namespace)
    layout = namespace["DAZZLE_ENGINE"].layout
    return layout, (captured.getvalue() if code else None)


def project_status(layout: Layout, failure: str | None = None) -> Status:
    status = Status(failure=failure)
    for rel, entry in sorted(Ledger.load(layout).files.items()):
        if entry.user_owned or entry.base is None:
            continue
        data = read_bytes(layout.output_file(rel))
        if data is None:
            status.deleted.append(rel)
        elif sha256(data) != entry.base:
            status.edited.append(rel)
    status.conflicts = pending_conflicts(layout)
    changeset = Changeset.load(layout)
    if failure is None and changeset is not None and changeset.state != "applied":
        status.next_build = [
            (WHAT[c.action], c.rel) for c in changeset.changes if c.action in WRITES_OR_REMOVES
        ]
    return status


def diff_against_base(layout: Layout, rel: str) -> str | None:
    """A unified diff from the last generated version of ``rel`` to the file as it is now ('' when
    they are the same); None when the build has no base for it (not a generated file)."""
    entry = Ledger.load(layout).files.get(rel)
    base = base_bytes(layout, rel, entry)
    if base is None:
        return None
    now = read_bytes(layout.output_file(rel)) or b""
    before = base.decode("utf-8", "replace").splitlines(keepends=True)
    after = now.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, f"{rel} (as last generated)", f"{rel} (as it is now)")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
