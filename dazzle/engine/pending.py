"""``HookContext.pending`` for pre_commit hooks: the output folder as the pending changeset
will leave it, and the files the hooks add to the commit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dazzle.engine.changeset import WRITES, WRITES_OR_REMOVES, Change, Changeset, object_bytes, store_object
from dazzle.engine.paths import Layout
from dazzle.plugins.api import PendingCommit
from dazzle.util.faults import checkpoint
from dazzle.util.files import NOT_SOURCE_FOLDERS, read_bytes

# Not part of what a check needs to run the project besides those folders: its databases.
LEFT_OUT_FILES = ("db.sqlite3", "db.sqlite3-journal", "db.sqlite3-wal", "db.sqlite3-shm")


class Pending(PendingCommit):
    def __init__(self, layout: Layout, changeset: Changeset):
        self.layout = layout
        self.changeset = changeset
        self.by_path: dict[str, Change] = {c.rel: c for c in changeset.changes}
        self.added: dict[str, bytes] = {}

    def content(self, path: str) -> bytes | None:
        if path in self.added:
            return self.added[path]
        change = self.by_path.get(path)
        if change is not None and change.action == "conflict":
            # what a check can run: the generated version, not the file with markers
            return object_bytes(self.layout, change.base, change.source)
        if change is not None and change.action in WRITES:
            return object_bytes(self.layout, change.data, change.source)
        if change is not None and change.action == "remove":
            return None
        return read_bytes(self.layout.output_file(path))

    def changed(self) -> list[str]:
        moved = [c.rel for c in self.changeset.changes if c.action in WRITES_OR_REMOVES]
        return sorted({*moved, *self.added})

    def materialize(self, folder: Path, suffixes: tuple[str, ...] = ()) -> Path:
        folder = Path(folder)
        out = self.layout.output_dir
        wanted = (lambda name: name.endswith(suffixes)) if suffixes else (lambda name: True)
        # A file the changeset only keeps or records (a user's edit kept, a ledger entry) is
        # left as it is on disk: copied like any other; the changed ones are written below.
        changed = self.changed()
        for root, dirs, files in os.walk(out):
            dirs[:] = [d for d in dirs if d not in NOT_SOURCE_FOLDERS]
            for name in files:
                if name in LEFT_OUT_FILES or not wanted(name):
                    continue
                source = Path(root) / name
                rel = source.relative_to(out).as_posix()
                if rel in changed:
                    continue
                _copy(source, folder / rel)
        for rel in changed:
            data = self.content(rel)
            if data is not None and wanted(rel):
                target = folder / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        return folder

    def add(self, path: str, data: bytes) -> None:
        self.added[path] = bytes(data)

    def save_additions(self, hook: str) -> list[str]:
        """Put the files the hook added into the changeset (a new one if the last was applied)."""
        if not self.added:
            return []
        changeset = self.changeset
        if changeset.state == "applied":
            changeset = Changeset([], changeset.setup)
        for rel, data in sorted(self.added.items()):
            changeset.changes.append(
                Change(
                    rel=rel, action="create", data=store_object(self.layout, data), note=f"added by {hook}"
                )
            )
        changeset.save(self.layout)
        checkpoint("pending:added")
        return sorted(self.added)


def _copy(source: Path, target: Path) -> None:
    """A copy a check may read: a hard link when the file system allows (checks only add files;
    nothing writes into the copy's files), else a real copy."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if target.parent.is_dir():
            return  # the file went away since the folder was listed (the user deleted it)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy(source, target)
    except OSError:
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:
            return
