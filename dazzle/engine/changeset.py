"""The pending changeset: what the next commit does to the output folder, one ``Change`` per
output (decided by ``decisions``), in ``.dazzle/pending/changes.json`` with the bytes it writes
under ``pending/objects`` (by hash). It is the commit's only input, and its own journal: its
``state`` goes pending → applying → applied (``commit``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dazzle.engine.paths import Layout
from dazzle.util.files import canonical_json, read_bytes, read_json, sha256, write_atomic

CHANGES_FORMAT = 1
LEGACY_NEW_SUFFIX = ".dazzle-new"  # where older builds put a version they did not dare write
WRITES = ("write", "merge", "conflict", "create")  # the changes that write a file
WRITES_OR_REMOVES = (*WRITES, "remove")


class ChangesetError(Exception):
    """The staged outputs cannot be committed as they are (e.g. two tasks write one file, or a
    stage hook failed); the message says why."""


@dataclass
class Change:
    rel: str
    action: str  # write, merge, conflict, create, remove, keep, record
    data: str | None = None  # sha256 of the bytes to write (a pending object)
    expect: str | None = None  # sha256 of the output when this was decided (None: absent)
    base: str | None = None  # sha256 of the new base (a pending object), when it changes
    entry: dict | None = None  # the ledger entry after the commit; None: no longer tracked
    note: str = ""
    # A staged file (its path in the state folder) that holds the bytes of `data` or `base`:
    # those then need no pending copy (most outputs are staged bytes written as they are).
    source: str | None = None

    @classmethod
    def from_json(cls, data: dict) -> Change:
        return cls(**data)


@dataclass
class Changeset:
    changes: list[Change] = field(default_factory=list)
    setup: Any = None
    state: str = "pending"  # pending → applying → applied
    messages: list[str] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        body = {
            "format": CHANGES_FORMAT,
            "state": self.state,
            "setup": self.setup,
            "messages": self.messages,
            "changes": [dict(c.__dict__) for c in self.changes],
        }
        return canonical_json(body)

    @classmethod
    def load(cls, layout: Layout) -> Changeset | None:
        data = read_json(layout.changes_file)
        if not isinstance(data, dict) or data.get("format") != CHANGES_FORMAT:
            return None
        try:
            changes = [Change.from_json(c) for c in data["changes"]]
        except (KeyError, TypeError):
            return None
        return cls(changes, data.get("setup"), data.get("state", "pending"), list(data.get("messages", ())))

    def save(self, layout: Layout) -> None:
        write_atomic(layout.changes_file, self.to_bytes())


def store_object(layout: Layout, data: bytes) -> str:
    digest = sha256(data)
    path = layout.pending_file(digest)
    if not path.exists():  # named by its hash: there, it holds these bytes
        write_atomic(path, data)
    return digest


def object_bytes(layout: Layout, digest: str, source: str | None = None) -> bytes:
    """The bytes of hash ``digest``: the pending copy, else the staged file ``source`` holding them."""
    data = read_bytes(layout.pending_file(digest))
    if (data is None or sha256(data) != digest) and source is not None:
        data = read_bytes(layout.state_dir / source)
    if data is None or sha256(data) != digest:
        raise ChangesetError(f"the pending changeset lost its copy of {digest[:12]}; build again")
    return data
