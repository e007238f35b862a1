"""Entry points are scanned once per process, and again as soon as a folder of ``sys.path``
changes (a package installed while ``dazzle watch`` runs is seen at its next rebuild)."""

from __future__ import annotations

import importlib.metadata

from dazzle.plugins import registry


def install(folder, name: str, entry: str) -> None:
    info = folder / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{registry.HOOK_GROUP}]\n{entry} = {name}_module:hook\n")


def names() -> set[str]:
    return {ep.name for ep in registry._entry_points(registry.HOOK_GROUP)}


def test_one_scan_serves_every_group_until_sys_path_changes(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    scans = []
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: scans.append(kw) or real(**kw))
    before = names()
    registry._entry_points(registry.GENERATOR_GROUP)
    names()
    assert len(scans) <= 1  # at most the first call scans (an earlier test may have scanned already)

    install(tmp_path, "late_plugin", "late_hook")  # the folder's mtime changes
    assert names() == before | {"late_hook"}
    assert len(scans) <= 2


def test_a_new_folder_on_sys_path_is_scanned(tmp_path, monkeypatch):
    install(tmp_path, "other_plugin", "other_hook")
    assert "other_hook" not in names()
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "other_hook" in names()
