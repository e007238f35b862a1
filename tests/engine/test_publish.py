"""The way generated files reach the output folder, by plain calls (no doit): staged files →
changeset (``changeset.plan``: format, merge with the user's edits) → commit (``commit.apply``),
against the ledger of the last commit."""

from __future__ import annotations

import pytest

from dazzle.engine import commit as committing
from dazzle.engine.changeset import Changeset, ChangesetError
from dazzle.engine.commit import apply, pending_conflicts, recover
from dazzle.engine.decisions import plan
from dazzle.engine.ledger import Ledger, user_edited
from dazzle.engine.paths import Layout
from dazzle.engine.stage import stage_outputs
from dazzle.plugins import GeneratedFile


def same(files):
    return files, []


class Outputs:
    """One project's output folder, built by in-process calls."""

    def __init__(self, tmp_path, transform=same, setup=None):
        self.layout = Layout.create(tmp_path / "project", tmp_path / "out", tmp_path / "project" / ".dazzle")
        self.transform, self.setup = transform, setup

    def build(self, tasks: dict[str, dict[str, str]], force: bool = False, owned=()) -> committing.Applied:
        changeset = self.plan(tasks, force, owned)
        changeset.save(self.layout)
        return apply(self.layout, changeset)

    def plan(self, tasks, force: bool = False, owned=()) -> Changeset:
        for key, files in tasks.items():
            stage_outputs(
                self.layout,
                key,
                [GeneratedFile(rel, text, user_owned=rel in owned) for rel, text in files.items()],
            )
        return plan(self.layout, list(tasks), self.transform, self.setup, force)

    def read(self, rel: str) -> str:
        return (self.layout.output_dir / rel).read_text()

    def write(self, rel: str, text: str) -> None:
        (self.layout.output_dir / rel).write_text(text)

    def exists(self, rel: str) -> bool:
        return (self.layout.output_dir / rel).exists()


MODEL = "class Item:\n    name = 'str'\n    size = 'int'\n\n\ndef helper():\n    return 1\n"


@pytest.fixture
def out(tmp_path):
    return Outputs(tmp_path)


def test_a_first_build_writes_everything_and_a_second_changes_nothing(out):
    done = out.build({"s/models": {"app/models.py": MODEL}, "s/index": {"README.md": "hello\n"}})
    assert sorted(done.written) == ["README.md", "app/models.py"]
    assert out.read("app/models.py") == MODEL
    mtime = (out.layout.output_dir / "README.md").stat().st_mtime_ns
    again = out.plan({"s/models": {"app/models.py": MODEL}, "s/index": {"README.md": "hello\n"}})
    assert again.changes == []
    assert (out.layout.output_dir / "README.md").stat().st_mtime_ns == mtime


def test_an_edit_with_no_spec_change_stays_as_it_is(out):
    out.build({"s/m": {"app/models.py": MODEL}})
    out.write("app/models.py", MODEL + "# mine\n")
    assert out.plan({"s/m": {"app/models.py": MODEL}}).changes == []
    assert out.read("app/models.py").endswith("# mine\n")
    entry = Ledger.load(out.layout).files["app/models.py"]
    assert user_edited(out.layout, "app/models.py", entry)


def test_an_edit_and_a_spec_change_elsewhere_in_the_file_merge_cleanly(out):
    out.build({"s/m": {"app/models.py": MODEL}})
    out.write("app/models.py", "# mine: on top\n" + MODEL + "\n\ndef mine():\n    return 2\n")
    new = MODEL.replace("    size = 'int'\n", "    size = 'int'\n    colour = 'str'\n")
    done = out.build({"s/m": {"app/models.py": new}})
    assert done.merged == ["app/models.py"] and done.conflicts == []
    text = out.read("app/models.py")
    assert text.startswith("# mine: on top\n") and "colour = 'str'" in text and text.endswith("return 2\n")
    assert (out.layout.base_file("app/models.py")).read_text() == new  # the base is what was generated
    assert not out.exists("app/models.py.dazzle-new")


def test_an_edit_right_next_to_a_changed_line_merges(out):
    out.build({"s/m": {"app/models.py": MODEL}})
    out.write(
        "app/models.py", MODEL.replace("    name = 'str'\n", "    # the name, as typed\n    name = 'str'\n")
    )
    done = out.build({"s/m": {"app/models.py": MODEL.replace("name = 'str'", "name = 'text'")}})
    assert done.conflicts == [] and "    # the name, as typed\n    name = 'text'\n" in out.read(
        "app/models.py"
    )


def test_overlapping_changes_get_labelled_markers_until_the_user_resolves_them(out):
    out.build({"s/m": {"app/models.py": MODEL}})
    out.write("app/models.py", MODEL.replace("size = 'int'", "size = 'float'"))
    done = out.build({"s/m": {"app/models.py": MODEL.replace("size = 'int'", "size = 'decimal'")}})
    assert done.conflicts == ["app/models.py"]
    text = out.read("app/models.py")
    assert "<<<<<<< yours (app/models.py as you edited it)\n    size = 'float'\n" in text
    assert "||||||| base (as last generated)\n    size = 'int'\n" in text
    assert "=======\n    size = 'decimal'\n>>>>>>> generated (from the spec)\n" in text
    assert pending_conflicts(out.layout) == ["app/models.py"]
    # Still unresolved: a newer generation waits, the file is left alone.
    later = out.plan({"s/m": {"app/models.py": MODEL.replace("size = 'int'", "size = 'decimal'") + "# v3\n"}})
    assert [c.action for c in later.changes] == ["keep"] and out.read("app/models.py") == text
    # The user resolves: their version is theirs, and the next spec change merges into it.
    out.write("app/models.py", MODEL.replace("size = 'int'", "size = 'float'  # really"))
    assert pending_conflicts(out.layout) == []
    newest = MODEL.replace("size = 'int'", "size = 'decimal'") + "\n\ndef more():\n    return 3\n"
    done = out.build({"s/m": {"app/models.py": newest}})
    assert done.conflicts == [] and Ledger.load(out.layout).conflicts() == []
    text = out.read("app/models.py")
    assert "size = 'float'  # really" in text and text.endswith("def more():\n    return 3\n")


def test_force_takes_the_generated_version(out):
    out.build({"s/m": {"app/models.py": MODEL}})
    out.write("app/models.py", "mine\n")
    out.build({"s/m": {"app/models.py": MODEL}}, force=True)
    assert out.read("app/models.py") == MODEL


def test_a_deleted_output_is_written_again_from_its_base(out):
    out.build({"s/m": {"app/models.py": MODEL}})
    (out.layout.output_dir / "app/models.py").unlink()
    done = out.build({"s/m": {"app/models.py": MODEL}})
    assert done.written == ["app/models.py"] and out.read("app/models.py") == MODEL


def test_an_output_no_longer_generated_is_removed_unless_edited(out):
    out.build({"s/m": {"deep/er/a.py": "a\n", "b.py": "b\n", "keep.py": "k\n"}})
    out.write("b.py", "my b\n")
    done = out.build({"s/m": {"keep.py": "k\n"}})
    assert done.removed == ["deep/er/a.py"] and not (out.layout.output_dir / "deep").exists()
    assert out.read("b.py") == "my b\n" and "b.py" not in Ledger.load(out.layout).files
    assert "b.py: kept: no longer generated, but you edited it" in done.notes


def test_user_owned_files_are_created_once_and_then_belong_to_the_user(out):
    out.build({"s/m": {"app/custom.py": "# fill me in\n"}}, owned={"app/custom.py"})
    out.write("app/custom.py", "# mine\n")
    out.build({"s/m": {"app/custom.py": "# fill me in, v2\n"}}, owned={"app/custom.py"})
    assert out.read("app/custom.py") == "# mine\n"
    out.build({"s/m": {}})
    assert out.read("app/custom.py") == "# mine\n"  # never removed
    (out.layout.output_dir / "app/custom.py").unlink()
    out.build({"s/m": {"app/custom.py": "# fill me in\n"}}, owned={"app/custom.py"})
    assert out.read("app/custom.py") == "# fill me in\n"  # a place for custom code is there again


def test_two_generators_writing_one_file_is_an_error(out):
    with pytest.raises(ChangesetError, match="a.py: written by both s/one and s/two"):
        out.plan({"s/one": {"a.py": "1"}, "s/two": {"a.py": "2"}})


def test_a_file_moves_from_one_task_to_another_without_a_conflict(out):
    out.build({"s/one": {"a.py": "1\n"}, "s/two": {}})
    done = out.build({"s/one": {}, "s/two": {"a.py": "2\n"}})
    assert done.written == ["a.py"] and out.read("a.py") == "2\n"
    assert Ledger.load(out.layout).files["a.py"].owner == "s/two"


def test_the_stage_transform_makes_the_base(tmp_path):
    calls = []

    def upper(files):
        calls.append(sorted(files))
        return {rel: data.upper() for rel, data in files.items()}, ["formatted"]

    out = Outputs(tmp_path, upper, setup=["v1"])
    changeset = out.plan({"s/m": {"a.py": "x = 1\n", "b.py": "y\n"}})
    assert changeset.messages == ["formatted"]
    changeset.save(out.layout)
    apply(out.layout, changeset)
    assert out.read("a.py") == "X = 1\n" and out.layout.base_file("a.py").read_text() == "X = 1\n"
    assert out.plan({"s/m": {"a.py": "x = 1\n", "b.py": "y\n"}}).changes == []  # nothing looks edited
    assert calls == [["a.py", "b.py"]]
    out.setup = ["v2"]  # a new formatter: every file goes through it again
    out.plan({"s/m": {"a.py": "x = 1\n", "b.py": "y\n"}})
    assert calls[-1] == ["a.py", "b.py"]


def test_a_file_the_user_changes_during_the_build_is_left_for_the_next_one(out):
    out.build({"s/m": {"a.py": "1\n"}})
    changeset = out.plan({"s/m": {"a.py": "2\n"}})
    out.write("a.py", "typed meanwhile\n")
    done = apply(out.layout, changeset)
    assert done.skipped == ["a.py"] and out.read("a.py") == "typed meanwhile\n"
    assert Ledger.load(out.layout).files["a.py"].staged != changeset.changes[0].entry["staged"]
    again = out.build({"s/m": {"a.py": "2\n"}})
    assert again.conflicts == ["a.py"] and "typed meanwhile" in out.read("a.py")


def test_a_commit_killed_halfway_is_finished_and_nothing_looks_edited(out, monkeypatch):
    files = {f"f{i}.py": f"{i}\n" for i in range(6)}
    out.build({"s/m": files})
    changeset = out.plan({"s/m": {rel: text + "v2\n" for rel, text in files.items()}})
    changeset.save(out.layout)
    real, count = committing.write_atomic, [0]

    def dies_after_three(path, data, *args, **kwargs):
        if path.parent == out.layout.output_dir:
            count[0] += 1
            if count[0] > 3:
                raise KeyboardInterrupt  # the process is killed here
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(committing, "write_atomic", dies_after_three)
    with pytest.raises(KeyboardInterrupt):
        apply(out.layout, changeset)
    monkeypatch.setattr(committing, "write_atomic", real)
    assert Changeset.load(out.layout).state == "applying"
    done = recover(out.layout)
    assert done is not None and done.skipped == []
    ledger = Ledger.load(out.layout)
    assert [rel for rel, e in ledger.files.items() if user_edited(out.layout, rel, e)] == []
    assert all(out.read(rel) == text + "v2\n" for rel, text in files.items())
    assert recover(out.layout) is None


def test_a_version_left_beside_the_file_by_an_older_build_goes_away(out):
    out.build({"s/m": {"a.py": "1\n"}})
    out.write("a.py.dazzle-new", "2\n")
    out.build({"s/m": {"a.py": "2\n"}})
    assert not out.exists("a.py.dazzle-new")


def test_a_binary_file_both_sides_changed_keeps_yours(out):
    out.build({"s/m": {"logo.png": "\0png1"}})
    (out.layout.output_dir / "logo.png").write_bytes(b"\0mine")
    done = out.build({"s/m": {"logo.png": "\0png2"}})
    assert (out.layout.output_dir / "logo.png").read_bytes() == b"\0mine"
    assert any("binary" in note for note in done.notes)


def test_a_file_of_the_user_where_a_new_output_goes_is_not_lost(out):
    out.layout.output_dir.mkdir(parents=True)
    out.write("README.md", "the user's own readme\n")
    done = out.build({"s/m": {"README.md": "generated\n"}})
    assert done.conflicts == ["README.md"]
    text = out.read("README.md")
    assert "the user's own readme" in text and "generated" in text


def test_a_damaged_base_is_made_again_from_the_staged_file(out):
    out.build({"s/m": {"app/models.py": MODEL}})
    out.layout.base_file("app/models.py").write_text("garbage\n")
    (out.layout.output_dir / "app/models.py").unlink()
    done = out.build({"s/m": {"app/models.py": MODEL}})
    assert done.written == ["app/models.py"] and out.read("app/models.py") == MODEL
    assert out.layout.base_file("app/models.py").read_text() == MODEL
