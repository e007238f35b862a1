"""Random user edits × random spec edits, built incrementally (issue #12's property): no edit
of the user is lost, no spec change is lost outside a conflict, and a conflict loses neither."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dazzle.engine.merge import has_markers
from tests.engine.test_incremental import EDITS, _apply
from tests.teststack.harness import Project, Spec, clean_build_tree, teststack_fixture  # noqa: F401 (fixture)

# An edit of the user: (which output file, which line, insert a line before it or change it)
USER_EDITS = st.lists(
    st.tuples(st.integers(0, 50), st.integers(0, 60), st.sampled_from(["insert", "change"])),
    min_size=1,
    max_size=6,
)


def edit_outputs(project: Project, edits) -> dict[str, list[str]]:
    """Apply the user's edits; the lines each file must still hold (each unique)."""
    generated = json.loads((project.state / "ledger.json").read_text())["files"]
    files = sorted(project.out / rel for rel, entry in generated.items() if not entry["user_owned"])
    marks: dict[str, list[str]] = {}
    for n, (which, where, how) in enumerate(edits):
        path = files[which % len(files)]
        rel = path.relative_to(project.out).as_posix()
        lines = path.read_text().splitlines(keepends=True)
        at = where % (len(lines) + 1)
        mark = f"# user edit {n}"
        if how == "change" and at < len(lines) and lines[at].strip() and "user edit" not in lines[at]:
            lines[at] = lines[at].rstrip("\n") + f"  {mark}\n"
        else:
            lines.insert(at, mark + "\n")
        path.write_text("".join(lines))
        marks.setdefault(rel, []).append(mark)
    return marks


def without_user_lines(text: str) -> str:
    kept = []
    for line in text.splitlines(keepends=True):
        if line.startswith("# user edit "):
            continue
        kept.append(line.split("  # user edit ")[0] + ("\n" if "  # user edit " in line else ""))
    return "".join(kept)


def check_edits(tmp_path_factory, user, spec_edits) -> None:
    base = tmp_path_factory.mktemp("edits")
    spec = Spec()
    project = Project(base / "p", copy.deepcopy(spec))
    assert project.build().code == 0
    marks = edit_outputs(project, user)
    for edit in spec_edits:
        _apply(spec, edit)
    if not spec.entities:
        _apply(spec, ("add_entity", 0, 0))
    project.write(spec)
    result = project.build()
    assert "Traceback" not in result.output

    clean = clean_build_tree(base / "clean", spec)
    for rel, wanted in marks.items():
        path = project.out / rel
        if not path.exists():
            raise AssertionError(f"{rel}, which the user edited, is gone:\n{result.output}")
        text = path.read_text()
        for mark in wanted:
            assert mark in text, f"the user's {mark!r} was lost from {rel}:\n{text}"
        if has_markers(text.encode()):
            continue  # a conflict: both sides are in the file, the user decides
        if rel in clean:
            # outside a conflict, the spec's changes are all there: the file is the clean build's
            # plus the user's lines (the tree marks an executable file with "+x")
            expected = clean[rel].removesuffix(b"+x")
            assert without_user_lines(text).encode() == expected, f"a spec change was lost in {rel}"
    assert (result.code == 0) == (
        not any(
            has_markers((project.out / rel).read_bytes()) for rel in marks if (project.out / rel).exists()
        )
    ), result.output
    now = project.tree()
    for rel, data in clean.items():
        if rel not in marks:
            assert now.get(rel) == data, f"{rel} differs from a clean build"


SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}


@settings(max_examples=12, **SETTINGS)
@given(user=USER_EDITS, spec_edits=st.lists(EDITS, min_size=1, max_size=4))
def test_user_edits_and_spec_edits_both_survive_a_rebuild(teststack, tmp_path_factory, user, spec_edits):
    check_edits(tmp_path_factory, user, spec_edits)


@pytest.mark.slow
@settings(max_examples=80, **SETTINGS)
@given(user=USER_EDITS, spec_edits=st.lists(EDITS, min_size=1, max_size=6))
def test_many_user_edits_and_spec_edits_both_survive_a_rebuild(teststack, tmp_path_factory, user, spec_edits):
    check_edits(tmp_path_factory, user, spec_edits)
