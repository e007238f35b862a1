"""The slice index (``.dazzle/slices.index.json``): every generator of the build and its items.

Written by the link task, read by the delayed creator of the generate tasks: a small JSON file,
so creating the tasks never needs the IR (or pydantic).
"""

from __future__ import annotations

from dataclasses import dataclass

from dazzle import __version__
from dazzle.engine.paths import Layout, generator_key
from dazzle.util.files import read_json_shared

INDEX_FORMAT = 1


@dataclass(frozen=True)
class IndexEntry:
    stack: str
    name: str
    per_item: bool
    items: tuple[str, ...]

    @property
    def keys(self) -> list[str]:
        if not self.per_item:
            return [generator_key(self.stack, self.name)]
        return [generator_key(self.stack, self.name, item) for item in self.items]


def read_index(layout: Layout) -> dict[str, IndexEntry] | None:
    """``"<stack>/<generator>"`` → entry, or None when there is no (valid) index yet."""
    data = read_json_shared(layout.slice_index)
    if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT or data.get("dazzle") != __version__:
        return None
    try:
        entries = [
            IndexEntry(g["stack"], g["name"], bool(g["per_item"]), tuple(g["items"]))
            for g in data["generators"]
        ]
    except (KeyError, TypeError):
        return None
    return {generator_key(e.stack, e.name): e for e in entries}


def generate_keys(layout: Layout) -> list[str]:
    """The key of every generate task the index lists, in index order."""
    index = read_index(layout) or {}
    return [key for entry in index.values() for key in entry.keys]
