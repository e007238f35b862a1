"""Unit tests of the engine's building blocks: envelopes, atomic writes, staging. Plain
function calls, no doit."""

from __future__ import annotations

import os

import pytest

from dazzle.engine import artifacts
from dazzle.engine.paths import Layout
from dazzle.engine.stage import OutputPathError, Staged, load_manifest, stage_outputs, unstage
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


@pytest.mark.parametrize(
    "bad", ["../escape.py", "/abs.py", "a/../../b.py", "", "a\\b.py", ".dazzle/x", "a\0b"]
)
def test_a_generator_cannot_write_outside_the_output_folder(layout, bad):
    with pytest.raises(OutputPathError):
        stage_outputs(layout, "s/g", [GeneratedFile(bad, "x")])


def test_a_generator_cannot_write_one_path_twice(layout):
    with pytest.raises(OutputPathError, match="twice"):
        stage_outputs(layout, "s/g", [GeneratedFile("a.py", "1"), GeneratedFile("a.py", "2")])


def test_staging_writes_only_under_the_state_folder_and_drops_what_a_task_no_longer_makes(layout):
    assert stage_outputs(
        layout, "s/g", [GeneratedFile("deep/er/x.py", "x\n"), GeneratedFile("run.sh", "r", True)]
    )
    assert not layout.output_dir.exists()
    assert load_manifest(layout, "s/g") == {
        "deep/er/x.py": Staged(sha256(b"x\n")),
        "run.sh": Staged(sha256(b"r"), executable=True),
    }
    assert not stage_outputs(
        layout, "s/g", [GeneratedFile("deep/er/x.py", "x\n"), GeneratedFile("run.sh", "r", True)]
    )
    assert stage_outputs(layout, "s/g", [GeneratedFile("run.sh", "r", True)])
    assert not layout.staged_file("s/g", "deep/er/x.py").exists()
    assert not (layout.state_dir / "stage" / "s" / "g" / "deep").exists()  # empty folders go too
    unstage(layout, "s/g")
    assert load_manifest(layout, "s/g") == {} and not layout.staged_file("s/g", "run.sh").exists()


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
