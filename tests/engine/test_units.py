"""Unit tests of the engine's building blocks: envelopes, atomic writes, the writer's manifest
rules. Plain function calls, no doit."""

from __future__ import annotations

import os

import pytest

from dazzle.engine import artifacts
from dazzle.engine.outputs import NEW_SUFFIX, OutputPathError, load_manifest, save_manifest, write_outputs
from dazzle.engine.paths import Layout
from dazzle.plugins import GeneratedFile
from dazzle.util.files import TEMP_SUFFIX, sha256, sweep_temp_files, write_atomic


@pytest.fixture
def layout(tmp_path):
    return Layout.create(tmp_path / "project", tmp_path / "out", tmp_path / "project" / ".dazzle")


def test_envelope_round_trip_and_what_counts_as_stale(tmp_path):
    path = tmp_path / "a.pickle"
    assert artifacts.write(path, "gen:x", {"n": 1, "f": lambda v: v + 1})  # cloudpickle fallback
    data = artifacts.read(path, "gen:x")
    assert data["n"] == 1 and data["f"](1) == 2
    plain = tmp_path / "b.pickle"
    assert artifacts.write(plain, "gen:x", {"n": 1})
    assert not artifacts.write(plain, "gen:x", {"n": 1})  # same bytes: not rewritten
    with pytest.raises(artifacts.StaleArtifact, match="written by"):
        artifacts.read(path, "gen:y")
    with pytest.raises(artifacts.StaleArtifact, match="missing"):
        artifacts.read(tmp_path / "nothing.pickle")
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(artifacts.StaleArtifact, match="truncated or corrupt"):
        artifacts.read(path)


def test_an_unchanged_write_is_skipped_and_keeps_the_mtime(tmp_path):
    path = tmp_path / "f.txt"
    assert write_atomic(path, b"one")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert not write_atomic(path, b"one")
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert write_atomic(path, b"two") and path.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # no temp file left


def test_temp_files_of_a_killed_build_are_swept(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / f".x.py.123{TEMP_SUFFIX}").write_bytes(b"half")
    (tmp_path / "a" / "x.py").write_bytes(b"whole")
    assert sweep_temp_files(tmp_path) == 1
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["x.py"]


@pytest.mark.parametrize("bad", ["../escape.py", "/abs.py", "a/../../b.py", "", "a\\b.py"])
def test_a_generator_cannot_write_outside_the_output_folder(layout, bad):
    with pytest.raises(OutputPathError):
        write_outputs(layout, "s/g", [GeneratedFile(bad, "x")])


def test_a_file_the_build_did_not_write_is_never_overwritten(layout):
    layout.output_dir.mkdir(parents=True)
    (layout.output_dir / "README.md").write_text("the user's own readme\n")
    report = write_outputs(layout, "s/g", [GeneratedFile("README.md", "generated\n")])
    assert report.conflicts == ["README.md"]
    assert (layout.output_dir / "README.md").read_text() == "the user's own readme\n"
    assert (layout.output_dir / ("README.md" + NEW_SUFFIX)).read_text() == "generated\n"
    assert load_manifest(layout, "s/g") == {}
    forced = write_outputs(layout, "s/g", [GeneratedFile("README.md", "generated\n")], force=True)
    assert forced.conflicts == [] and (layout.output_dir / "README.md").read_text() == "generated\n"
    assert not (layout.output_dir / ("README.md" + NEW_SUFFIX)).exists()


def test_a_half_finished_write_is_not_taken_for_a_user_edit(layout):
    write_outputs(layout, "s/g", [GeneratedFile("m.py", "old\n")])
    # a build killed after replacing the file but before the final manifest: the pending
    # manifest lists both hashes
    save_manifest(layout, "s/g", {"m.py": sorted([sha256(b"old\n"), sha256(b"new\n")])})
    (layout.output_dir / "m.py").write_text("new\n")
    report = write_outputs(layout, "s/g", [GeneratedFile("m.py", "newer\n")])
    assert report.conflicts == [] and (layout.output_dir / "m.py").read_text() == "newer\n"
    assert load_manifest(layout, "s/g") == {"m.py": [sha256(b"newer\n")]}


def test_a_file_moving_between_tasks_is_handed_over(layout):
    write_outputs(layout, "s/a", [GeneratedFile("shared.py", "v1\n")])
    report = write_outputs(layout, "s/b", [GeneratedFile("shared.py", "v2\n")])
    assert report.conflicts == [] and (layout.output_dir / "shared.py").read_text() == "v2\n"
    gone = write_outputs(layout, "s/a", [])  # a no longer produces it: b's file stays
    assert gone.removed == [] and (layout.output_dir / "shared.py").read_text() == "v2\n"


def test_stale_outputs_are_removed_with_their_empty_folders(layout):
    write_outputs(layout, "s/g", [GeneratedFile("deep/er/x.py", "x\n"), GeneratedFile("keep.py", "k\n")])
    report = write_outputs(layout, "s/g", [GeneratedFile("keep.py", "k\n")])
    assert report.removed == ["deep/er/x.py"]
    assert sorted(p.name for p in layout.output_dir.iterdir()) == ["keep.py"]


def test_an_ir_model_round_trips_with_its_source_locations(tmp_path):
    from dazzle.ir import Entity, EntityField, FieldType, Location

    where = Location(file="dsl/app.dsl", line=3, column=1)
    entity = Entity(
        name="Product",
        fields=(EntityField(name="id", type=FieldType(kind="uuid"), pk=True, locs={"type": where}),),
        loc=where,
    )
    path = tmp_path / "m.pickle"
    artifacts.write_model(path, "parse:x", entity)
    again = artifacts.read_model(path, "parse:x")
    assert again == entity and again.loc == where and again.fields[0].locs == {"type": where}
