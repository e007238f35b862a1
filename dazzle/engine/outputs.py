"""Writes a task's output files safely and records them in the task's manifest.

One manifest per task (``.dazzle/manifest/<key>.json``: output path → the sha256 of what the
build wrote), so parallel tasks in separate processes never share a file. From the manifest:

- a file whose current hash is not what the build wrote was edited by the user: it is not
  overwritten; the new version goes beside it as ``<file>.dazzle-new`` and the task reports a
  conflict (``force`` overwrites);
- a file the task no longer produces is deleted, unless edited;
- ``user_owned`` files are written only when absent and never recorded, reported or deleted.

Before any file is replaced the manifest is saved with both the old and the new hash of every
file about to change, so a build killed between the writes and the final manifest never
mistakes its own half-finished work for a user's edit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dazzle.engine.paths import Layout
from dazzle.util.files import canonical_json, read_bytes, read_json, remove_file, sha256, write_atomic

NEW_SUFFIX = ".dazzle-new"


class OutputPathError(Exception):
    """A plugin asked to write outside the output folder."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def load_manifest(layout: Layout, key: str) -> dict[str, list[str]]:
    data = read_json(layout.manifest_file(key), {})
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {rel: list(hashes) for rel, hashes in files.items() if isinstance(hashes, list)}


def save_manifest(layout: Layout, key: str, files: dict[str, list[str]]) -> None:
    write_atomic(layout.manifest_file(key), canonical_json({"format": 1, "files": files}))


def check_relpath(relpath: str) -> str:
    parts = PurePosixPath(relpath).parts
    if not relpath or relpath.startswith("/") or "\\" in relpath or ".." in parts or not parts:
        raise OutputPathError(
            f"generated path {relpath!r} must be relative to the output folder, without '..'"
        )
    return PurePosixPath(relpath).as_posix()


def claimed_elsewhere(layout: Layout, own_key: str, relpath: str, digest: str) -> bool:
    """Does another task's manifest record ``relpath`` with this hash (the file moved from one
    task to another)? Only asked on the rare paths, since it reads every manifest."""
    root = layout.manifest_dir
    own = layout.manifest_file(own_key)
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path == own or not name.endswith(".json"):
                continue
            files = (read_json(path, {}) or {}).get("files", {})
            if isinstance(files, dict) and digest in files.get(relpath, ()):
                return True
    return False


def write_outputs(layout: Layout, key: str, files, force: bool = False) -> WriteReport:
    """Write the ``GeneratedFile`` list of task ``key`` and update its manifest."""
    report = WriteReport()
    old = load_manifest(layout, key)
    new_manifest: dict[str, list[str]] = {}
    planned: list[tuple[str, bytes, bool]] = []  # (relpath, data, executable) to write
    seen: set[str] = set()

    for generated in files:
        rel = check_relpath(generated.path)
        if rel in seen:
            raise OutputPathError(f"{key} produces {rel!r} twice")
        seen.add(rel)
        target = layout.output_file(rel)
        data = generated.data
        if generated.user_owned:
            if not target.exists():
                write_atomic(target, data, generated.executable)
                report.written.append(rel)
            continue
        digest = sha256(data)
        current = read_bytes(target)
        if current is None or current == data:
            if current is None:
                planned.append((rel, data, generated.executable))
            else:
                report.unchanged += 1
                if generated.executable:
                    write_atomic(target, data, True)  # keeps the bytes, fixes the mode
            new_manifest[rel] = [digest]
            _drop_new_version(target)
            continue
        current_digest = sha256(current)
        ours = current_digest in old.get(rel, ()) or (
            rel not in old and claimed_elsewhere(layout, key, rel, current_digest)
        )
        if ours or force:
            planned.append((rel, data, generated.executable))
            new_manifest[rel] = [digest]
            _drop_new_version(target)
        else:
            write_atomic(target.with_name(target.name + NEW_SUFFIX), data, generated.executable)
            report.conflicts.append(rel)
            if rel in old:
                new_manifest[rel] = old[rel]

    stale = sorted(set(old) - seen)
    if planned:
        pending = {rel: list(hashes) for rel, hashes in old.items()}
        for rel, data, _ in planned:
            pending[rel] = sorted(set(pending.get(rel, [])) | {sha256(data)})
        save_manifest(layout, key, pending)
        for rel, data, executable in planned:
            write_atomic(layout.output_file(rel), data, executable)
            report.written.append(rel)

    for rel in stale:
        _remove_if_unedited(layout, key, rel, old[rel], report)

    if new_manifest != old or planned:
        save_manifest(layout, key, new_manifest)
    return report


def _drop_new_version(target: Path) -> None:
    try:
        target.with_name(target.name + NEW_SUFFIX).unlink()
    except FileNotFoundError:
        pass


def _remove_if_unedited(layout: Layout, key: str, rel: str, hashes: list[str], report: WriteReport) -> None:
    target = layout.output_file(rel)
    current = read_bytes(target)
    if current is None:
        return
    digest = sha256(current)
    if digest not in hashes:
        report.kept_edited.append(rel)
        return
    if claimed_elsewhere(layout, key, rel, digest):
        return  # another task now produces the very same file
    remove_file(target, layout.output_dir)
    _drop_new_version(target)
    report.removed.append(rel)


def remove_outputs(layout: Layout, key: str) -> WriteReport:
    """Delete every unedited output of task ``key`` and its manifest (the task is gone, or
    ``doit clean``)."""
    report = WriteReport()
    old = load_manifest(layout, key)
    for rel in sorted(old):
        _remove_if_unedited(layout, key, rel, old[rel], report)
    manifest = layout.manifest_file(key)
    if manifest.exists():
        remove_file(manifest, layout.state_dir)
    return report
