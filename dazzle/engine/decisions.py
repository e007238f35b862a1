"""The ``merge`` task's decisions: what the commit will do to the output folder, for every output.

From the staged files of every generate task (``stage``), the ledger of the last commit
(``ledger``) and the files as the user has them now, one *change* per output that needs one:

- the generated version is new (the stage hooks — the formatter — have made it the bytes that
  will be on disk) and the user left the file alone → ``write`` it;
- the new version equals the base → keep the user's file as it is (nothing to do);
- both changed → merge three ways (``merge``): a clean merge is written (``merge``), one with
  overlapping changes is written with markers (``conflict``); a file that cannot be merged
  (binary) keeps the user's version (``keep``);
- a file the user deleted is written again; a file no task produces any more is removed unless
  the user edited it (then it is kept and no longer tracked); a user-owned file is created
  once, when it is missing (``create``);
- a file still holding the markers of an earlier conflict is left alone until resolved.

The result is the pending ``Changeset``; nothing in the output folder changes here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dazzle.engine import merge as merging
from dazzle.engine.changeset import Change, Changeset, ChangesetError, store_object
from dazzle.engine.ledger import Entry, Ledger, base_bytes
from dazzle.engine.paths import Layout, flat_name
from dazzle.engine.stage import Staged, read_manifests, staged_bytes
from dazzle.util.files import read_bytes, sha256

# transform(files) → (the files as they will be on disk, messages); raises ChangesetError
Transform = Callable[[dict[str, bytes]], tuple[dict[str, bytes], list[str]]]


def staged_outputs(layout: Layout, keys: list[str]) -> dict[str, tuple[str, Staged]]:
    """Output path → (task key, staged file) over every current generate task."""
    found: dict[str, tuple[str, Staged]] = {}
    clashes = []
    for key, manifest in read_manifests(layout, keys).items():
        for rel, staged in manifest.items():
            if rel in found:
                clashes.append(f"{rel}: written by both {found[rel][0]} and {key}")
                continue
            found[rel] = (key, staged)
    if clashes:
        raise ChangesetError("two generators write the same file:\n  " + "\n  ".join(clashes))
    return found


@dataclass
class _Planner:
    layout: Layout
    ledger: Ledger
    force: bool
    changes: list[Change] = field(default_factory=list)
    staged: dict[str, tuple[str, str]] = field(default_factory=dict)  # rel → (staged file, its sha)

    def output(self, rel: str) -> bytes | None:
        return read_bytes(self.layout.output_file(rel))

    def add(
        self,
        rel: str,
        action: str,
        *,
        write: bytes | None = None,
        current: bytes | None,
        base=None,
        entry: Entry | None,
        note: str = "",
    ) -> None:
        source, source_sha = self.staged.get(rel, (None, None))

        def keep(data: bytes | None) -> str | None:
            if data is None:
                return None
            digest = sha256(data)
            return digest if digest == source_sha else store_object(self.layout, data)

        self.changes.append(
            Change(
                rel=rel,
                action=action,
                data=keep(write),
                expect=sha256(current) if current is not None else None,
                base=keep(base),
                entry=entry.to_json() if entry is not None else None,
                note=note,
                source=source,
            )
        )

    def unchanged(self, rel: str, entry: Entry) -> bool:
        """The generation did not change: only a deleted file (or ``force``, or a resolved
        conflict) needs a change. False when the base it needs is damaged: then the file is
        made from its staged bytes again."""
        # a plain string: this runs for every output of every build
        if not (entry.conflict or self.force) and os.path.exists(f"{self.layout.output_dir}/{rel}"):
            return True
        current = self.output(rel)
        if current is None or (self.force and sha256(current) != entry.base):
            base = base_bytes(self.layout, rel, entry)
            if base is None:
                return False
            note = "written again (it was deleted)" if current is None else "overwritten (--force)"
            self.add(rel, "write", write=base, current=current, entry=entry.but(conflict=False), note=note)
        elif entry.conflict and not merging.has_markers(current):
            self.add(
                rel, "record", current=current, entry=entry.but(conflict=False), note="conflict resolved"
            )
        # else: still conflicted, waiting for the user's resolution (the build says so)
        return True

    def decide(self, rel: str, key: str, staged: Staged, new: bytes, current: bytes | None) -> None:
        """The generated version ``new`` (transformed) against the base and the user's file."""
        entry = self.ledger.files.get(rel)
        base = base_bytes(self.layout, rel, entry)
        after = Entry(owner=key, staged=staged.sha, base=sha256(new), executable=staged.executable)
        if self.force and current is not None and current != new:
            self.add(
                rel, "write", write=new, current=current, base=new, entry=after, note="overwritten (--force)"
            )
            return
        if entry is not None and entry.conflict and current is not None and merging.has_markers(current):
            self.add(
                rel,
                "keep",
                current=current,
                entry=entry,
                note="still has conflict markers: the spec's newest changes wait until you resolve them",
            )
            return
        if current is None:
            self.add(rel, "write", write=new, current=None, base=new, entry=after)
        elif current == new:
            self.add(rel, "record", current=current, base=new, entry=after)
        elif base is not None and current == base:
            self.add(rel, "write", write=new, current=current, base=new, entry=after)
        elif base is not None and new == base:
            # the generation is as before: the user's version stays, nothing to merge
            self.add(rel, "record", current=current, entry=after.but(base=entry.base))
        elif not (merging.is_text(current) and merging.is_text(new) and merging.is_text(base or b"")):
            self.add(
                rel,
                "keep",
                current=current,
                base=new,
                entry=after,
                note="kept yours: a binary file cannot be merged (--force takes the generated one)",
            )
        else:
            result = merging.merge(rel, base or b"", current, new)
            if result.conflicts:
                self.add(
                    rel,
                    "conflict",
                    write=result.data,
                    current=current,
                    base=new,
                    entry=after.but(conflict=True),
                    note=f"{result.conflicts} conflicting change(s)",
                )
            else:
                self.add(
                    rel,
                    "merge",
                    write=result.data,
                    current=current,
                    base=new,
                    entry=after,
                    note="your edits merged with the spec's changes",
                )

    def user_owned(self, rel: str, key: str, staged: Staged) -> None:
        """Written when missing (the first build, or after the user deleted it), else the user's."""
        entry = Entry(owner=key, staged=staged.sha, executable=staged.executable, user_owned=True)
        if not self.layout.output_file(rel).exists():
            data = staged_bytes(self.layout, key, rel)
            if data is None:
                raise ChangesetError(f"the staged copy of {rel} is missing; build again")
            self.add(rel, "create", write=data, current=None, entry=entry)
        elif self.ledger.files.get(rel) != entry:
            self.add(rel, "record", current=None, entry=entry)

    def gone(self, rel: str, entry: Entry) -> None:
        """No task produces ``rel`` any more."""
        current = self.output(rel)
        if entry.user_owned or current is None:
            self.add(rel, "record", current=current, entry=None)
        elif sha256(current) == entry.base:
            self.add(rel, "remove", current=current, entry=None, note="no longer generated")
        else:
            self.add(
                rel,
                "record",
                current=current,
                entry=None,
                note="kept: no longer generated, but you edited it",
            )


def plan(layout: Layout, keys: list[str], transform: Transform, setup: Any, force: bool = False) -> Changeset:
    """Decide every change (see the module's doc) and store the bytes they will write."""
    ledger = Ledger.load(layout)
    staged = staged_outputs(layout, keys)
    planner = _Planner(layout, ledger, force)
    redo_all = setup != ledger.setup
    bases = _names_in(layout.base_dir)  # one listing, not a stat per output
    fresh: dict[str, bytes] = {}
    for rel, (key, entry_staged) in sorted(staged.items()):
        if entry_staged.user_owned:
            planner.staged[rel] = (staged_name(layout, key, rel), entry_staged.sha)
            planner.user_owned(rel, key, entry_staged)
            continue
        entry = ledger.files.get(rel)
        if (
            entry is not None
            and not entry.user_owned
            and entry.staged == entry_staged.sha
            and entry.owner == key
            and not redo_all
            and flat_name(rel) in bases  # read (and checked) only where it is used
        ):
            if planner.unchanged(rel, entry):
                continue
        data = staged_bytes(layout, key, rel)
        if data is None or sha256(data) != entry_staged.sha:
            raise ChangesetError(f"the staged copy of {rel} is missing or damaged; build again")
        fresh[rel] = data
        planner.staged[rel] = (staged_name(layout, key, rel), entry_staged.sha)
    transformed, messages = transform(fresh) if fresh else ({}, [])
    for rel in sorted(fresh):
        key, entry_staged = staged[rel]
        planner.decide(rel, key, entry_staged, transformed.get(rel, fresh[rel]), planner.output(rel))
    for rel, entry in sorted(ledger.files.items()):
        if rel not in staged:
            planner.gone(rel, entry)
    return Changeset(planner.changes, setup, messages=messages)


def _names_in(folder) -> set[str]:
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()


def staged_name(layout: Layout, key: str, rel: str) -> str:
    return layout.staged_file(key, rel).relative_to(layout.state_dir).as_posix()
