"""The ``commit`` task: the pending changeset applied to the output folder, as one step that a
kill cannot leave half done.

Before the first file is touched the changeset is marked ``applying`` (it is its own
journal); then each change is applied — the new base first, then the output file, each write
atomic — the ledger is saved and the changeset marked ``applied``. A build that finds a
changeset still ``applying`` (the last one was killed) replays it before anything else
(``recover``): writes are idempotent, so replaying finishes the job and no file the commit
wrote is ever taken for a user edit.

A change is applied only while the output still holds what it held when the change was
decided (or already holds the result): a file the user touched in between is left alone, its
ledger entry too, and the next build decides again.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

from dazzle.engine.changeset import LEGACY_NEW_SUFFIX, WRITES, Change, Changeset, object_bytes
from dazzle.engine.ledger import Entry, Ledger, recorded_conflicts
from dazzle.engine.paths import Layout
from dazzle.util.faults import checkpoint
from dazzle.util.files import read_bytes, remove_file, sha256, write_atomic


@dataclass
class Applied:
    """What a commit did, for the build's messages."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "<path>: <note>"
    skipped: list[str] = field(default_factory=list)  # changed while the build ran


def _current(layout: Layout, rel: str) -> str | None:
    data = read_bytes(layout.output_file(rel))
    return sha256(data) if data is not None else None


def _apply_one(layout: Layout, change: Change, ledger: Ledger, done: Applied) -> None:
    rel, target = change.rel, layout.output_file(change.rel)
    now = _current(layout, rel)
    result = change.data if change.action in WRITES else (None if change.action == "remove" else now)
    if now != change.expect and now != result:
        done.skipped.append(rel)
        return
    if change.base is not None and _stored(layout.base_file(rel)) != change.base:
        write_atomic(layout.base_file(rel), object_bytes(layout, change.base, change.source))
    entry = Entry.from_json(change.entry) if change.entry is not None else None
    if change.action in WRITES:
        if now != result:  # else a replay: this very write was done before the kill
            write_atomic(
                target, object_bytes(layout, change.data, change.source), bool(entry and entry.executable)
            )
        _drop_legacy_copy(layout, rel)
        kind = {"conflict": done.conflicts, "merge": done.merged}.get(change.action, done.written)
        kind.append(rel)
    elif change.action == "remove":
        if now is not None:
            remove_file(target, layout.output_dir)
        _drop_legacy_copy(layout, rel)
        done.removed.append(rel)
    if entry is None:
        ledger.files.pop(rel, None)
        if layout.base_file(rel).exists():
            remove_file(layout.base_file(rel), layout.state_dir)
    else:
        ledger.files[rel] = entry
    if change.note and change.action != "conflict":
        done.notes.append(f"{rel}: {change.note}")


def _stored(path) -> str | None:
    data = read_bytes(path)
    return sha256(data) if data is not None else None


def _drop_legacy_copy(layout: Layout, rel: str) -> None:
    target = layout.output_file(rel)
    legacy = target.with_name(target.name + LEGACY_NEW_SUFFIX)
    if legacy.exists():
        remove_file(legacy, layout.output_dir)


def apply(layout: Layout, changeset: Changeset) -> Applied:
    """Apply ``changeset`` — see the module's doc."""
    done = Applied()
    if changeset.state == "applied":
        return done
    changeset.state = "applying"
    changeset.save(layout)
    checkpoint("commit:applying")
    ledger = Ledger.load(layout)
    for change in changeset.changes:
        _apply_one(layout, change, ledger, done)
        checkpoint("commit:change")
    ledger.setup = changeset.setup
    ledger.save(layout)
    checkpoint("commit:ledger")
    changeset.state = "applied"
    changeset.save(layout)
    checkpoint("commit:applied")
    objects = layout.pending_dir / "objects"
    if objects.is_dir():
        shutil.rmtree(objects, ignore_errors=True)
    return done


def recover(layout: Layout) -> Applied | None:
    """Finish a commit that was killed while applying; None when there was none."""
    changeset = Changeset.load(layout)
    if changeset is None or changeset.state != "applying":
        return None
    return apply(layout, changeset)


def pending_conflicts(layout: Layout) -> list[str]:
    """Outputs the ledger marks as conflicted whose markers are still in the file."""
    from dazzle.engine.merge import has_markers

    found = []
    for rel in recorded_conflicts(layout):
        data = read_bytes(layout.output_file(rel))
        if data is not None and has_markers(data):
            found.append(rel)
    return found


def shown(layout: Layout, rel: str) -> str:
    """An output path as the user would type it from the project folder."""
    return os.path.relpath(layout.output_file(rel), layout.project_dir)


def conflicts_message(layout: Layout, conflicts: list[str]) -> str:
    lines = [
        f"{len(conflicts)} generated file{'s' if len(conflicts) != 1 else ''} with unresolved conflicts:"
    ]
    for rel in conflicts:
        lines.append(f"  {shown(layout, rel)}   (see it: dazzle diff {shown(layout, rel)})")
    lines.append(
        "Edit each file: keep what you want between the <<<<<<< yours / ||||||| base / ======= / "
        ">>>>>>> generated markers and delete the markers; the next build takes your resolution. "
        "`dazzle build --force` takes the generated version instead."
    )
    return "\n".join(lines)


def check_conflicts_action(meta: dict):
    """The build's last step: a build that leaves conflict markers in the output fails."""
    from doit.exceptions import TaskFailed

    layout = Layout.from_meta(meta)
    conflicts = pending_conflicts(layout)
    if conflicts:
        return TaskFailed(conflicts_message(layout, conflicts))
    return None
