"""Slices: the part of the IR each generate task reads, written as deterministic JSON.

A slice file is rewritten only when its bytes change, so doit's up-to-date check re-runs just
the generators whose part of the spec moved. The slice index (one small JSON file) lists every
generator and its items: the delayed task creator reads it instead of unpickling the IR, which
keeps a no-op build lean. Tasks that disappeared since the last link (a removed entity) are
pruned here, before any generator runs: their slice, artifact and staged files go (their outputs
leave the output folder at the commit, unless the user edited them).
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

from dazzle import __version__
from dazzle.engine.index import INDEX_FORMAT, IndexEntry, read_index
from dazzle.engine.paths import Layout, generator_key
from dazzle.engine.stage import unstage
from dazzle.plugins import Generator
from dazzle.util.files import canonical_json, model_json, remove_file, write_atomic


def slice_bytes(model: BaseModel) -> bytes:
    return model_json(model)


def compute_slices(generators: list[Generator], spec) -> tuple[list[IndexEntry], dict[str, bytes]]:
    entries: list[IndexEntry] = []
    files: dict[str, bytes] = {}
    for gen in generators:
        sliced = gen.slice(spec)
        if gen.per_item:
            if not isinstance(sliced, dict):
                raise TypeError(f"generator {gen.task_base} is per_item: slice() must return a dict of items")
            for item, model in sliced.items():
                if not str(item).isidentifier():
                    raise TypeError(f"generator {gen.task_base}: item name {item!r} is not an identifier")
                files[generator_key(gen.stack, gen.name, item)] = slice_bytes(model)
            entries.append(IndexEntry(gen.stack, gen.name, True, tuple(sliced)))
        else:
            if isinstance(sliced, dict):
                raise TypeError(f"generator {gen.task_base} is not per_item: slice() must return one model")
            files[generator_key(gen.stack, gen.name)] = slice_bytes(sliced)
            entries.append(IndexEntry(gen.stack, gen.name, False, ()))
    return entries, files


def write_slices(layout: Layout, generators: list[Generator], spec) -> list[str]:
    """Write every slice whose bytes changed, prune the tasks that are gone, then write the
    index (last: a build killed before it re-links next time)."""
    previous = read_index(layout)
    entries, files = compute_slices(generators, spec)
    for key, data in files.items():
        write_atomic(layout.slice_file(key), data)

    if previous is None:
        old_keys = _keys_on_disk(layout)
    else:
        old_keys = {key for entry in previous.values() for key in entry.keys}
    pruned = sorted(old_keys - set(files))
    for key in pruned:
        unstage(layout, key)
        for path in (layout.slice_file(key), layout.artifact_file(key)):
            if path.exists():
                remove_file(path, layout.state_dir)

    index = {
        "format": INDEX_FORMAT,
        "dazzle": __version__,
        "generators": [
            {"stack": e.stack, "name": e.name, "per_item": e.per_item, "items": list(e.items)}
            for e in entries
        ],
    }
    write_atomic(layout.slice_index, canonical_json(index))
    return pruned


def _keys_on_disk(layout: Layout) -> set[str]:
    """Task keys that left a slice or a manifest behind (used when the index is missing)."""
    keys: set[str] = set()
    for root in (layout.slices_dir, layout.manifest_dir):
        if not root.is_dir():
            continue
        for folder, _dirs, names in os.walk(root):
            for name in names:
                if name.endswith(".json"):
                    rel = (Path(folder) / name).relative_to(root).as_posix()[: -len(".json")]
                    if not rel.startswith("_"):
                        keys.add(rel)
    return keys
