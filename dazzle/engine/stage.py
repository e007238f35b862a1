"""Where a generate task puts its files: its own staging folder, never the output folder.

A task's files go to ``.dazzle/stage/<key>/<path>`` and its manifest
(``.dazzle/manifest/<key>.json``) lists them with their hash and options. Writing is atomic and
skipped for unchanged bytes, so an unchanged file keeps its mtime; a file the task no longer
produces leaves its staging folder. Staged files become output files only through the
changeset and the commit (``changeset``, ``commit``): a failing task, or a build that stops
before its commit, has changed nothing the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dazzle.engine.paths import Layout
from dazzle.util.faults import checkpoint
from dazzle.util.files import canonical_json, file_identity, read_json, remove_file, sha256, write_atomic
from dazzle.util.relpaths import OutputPathError, checked_path

MANIFEST_FORMAT = 2


@dataclass(frozen=True)
class Staged:
    """One staged file as the manifest records it."""

    sha: str
    executable: bool = False
    user_owned: bool = False

    def to_json(self) -> dict:
        return {"sha": self.sha, "x": self.executable, "own": self.user_owned}

    @classmethod
    def from_json(cls, data: dict) -> Staged:
        return cls(str(data["sha"]), bool(data.get("x")), bool(data.get("own")))


def load_manifest(layout: Layout, key: str) -> dict[str, Staged]:
    data = read_json(layout.manifest_file(key), {})
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {}
    try:
        return {rel: Staged.from_json(entry) for rel, entry in data["files"].items()}
    except (KeyError, TypeError, AttributeError):
        return {}


def read_manifests(layout: Layout, keys: list[str]) -> dict[str, dict[str, Staged]]:
    """The manifests of ``keys``, through one cache file (``.dazzle/manifests.json``: each
    manifest's content with the identity of its file): a merge after a small edit reads the
    few manifests that changed, not hundreds."""
    cache = read_json(layout.manifests_cache, {})
    cache = cache if isinstance(cache, dict) and cache.get("format") == MANIFEST_FORMAT else {}
    known = cache.get("manifests", {}) if isinstance(cache.get("manifests"), dict) else {}
    found: dict[str, dict[str, Staged]] = {}
    fresh: dict[str, list] = {}
    for key in keys:
        stamp = file_identity(layout.manifest_file(key))  # saved by atomic rename
        cached = known.get(key)
        if stamp is not None and isinstance(cached, list) and cached[0] == stamp:
            try:
                found[key] = {rel: Staged.from_json(entry) for rel, entry in cached[1].items()}
                fresh[key] = cached
                continue
            except (KeyError, TypeError, AttributeError):
                pass
        found[key] = load_manifest(layout, key)
        fresh[key] = [stamp, {rel: s.to_json() for rel, s in found[key].items()}]
    if fresh != known:
        write_atomic(layout.manifests_cache, canonical_json({"format": MANIFEST_FORMAT, "manifests": fresh}))
    return found


def save_manifest(layout: Layout, key: str, files: dict[str, Staged]) -> bool:
    body = {"format": MANIFEST_FORMAT, "files": {rel: s.to_json() for rel, s in sorted(files.items())}}
    return write_atomic(layout.manifest_file(key), canonical_json(body))


def stage_outputs(layout: Layout, key: str, files) -> bool:
    """Stage the ``GeneratedFile`` list of task ``key`` and save its manifest. True when any
    staged file (or the set of them) changed."""
    old = load_manifest(layout, key)
    new: dict[str, Staged] = {}
    planned: list[tuple[str, bytes]] = []
    for generated in files:
        rel = checked_path(generated.path)
        if rel in new:
            raise OutputPathError(f"{key} produces {rel!r} twice")
        data = generated.data
        new[rel] = Staged(sha256(data), bool(generated.executable), bool(generated.user_owned))
        planned.append((rel, data))
    changed = False
    for rel, data in planned:
        changed |= write_atomic(layout.staged_file(key, rel), data)
        checkpoint("stage:file")
    for rel in sorted(set(old) - set(new)):
        remove_file(layout.staged_file(key, rel), layout.state_dir)
        changed = True
    changed |= save_manifest(layout, key, new)
    return changed


def unstage(layout: Layout, key: str) -> None:
    """Remove everything task ``key`` staged, and its manifest (the task is gone)."""
    for rel in load_manifest(layout, key):
        remove_file(layout.staged_file(key, rel), layout.state_dir)
    manifest = layout.manifest_file(key)
    if manifest.exists():
        remove_file(manifest, layout.state_dir)


def staged_bytes(layout: Layout, key: str, rel: str) -> bytes | None:
    try:
        return Path(layout.staged_file(key, rel)).read_bytes()
    except OSError:
        return None
