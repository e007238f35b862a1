"""The three-way merge of one file (``dazzle.engine.merge``): merge3, plus changes that merely
touch each other applied both; labelled markers for real overlaps; nothing lost either way."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dazzle.engine.merge import has_markers, is_text, merge


def text(*lines: str) -> bytes:
    return "".join(line + "\n" for line in lines).encode()


def test_changes_in_different_places_merge():
    result = merge("a.py", text("a", "b", "c", "d"), text("a", "X", "b", "c", "d"), text("a", "b", "c", "D"))
    assert result.conflicts == 0 and result.data == text("a", "X", "b", "c", "D")


def test_a_line_added_next_to_a_changed_line_merges_on_either_side():
    assert merge("a.py", text("a", "b", "c"), text("a", "X", "b", "c"), text("a", "B", "c")).data == text(
        "a", "X", "B", "c"
    )
    assert merge("a.py", text("a", "b", "c"), text("a", "b", "X", "c"), text("a", "B", "c")).data == text(
        "a", "B", "X", "c"
    )


def test_neighbouring_lines_changed_one_by_each_side_merge():
    assert merge("a.py", text("a", "b", "c"), text("a", "B", "c"), text("a", "b", "C")).data == text(
        "a", "B", "C"
    )


def test_the_same_change_on_both_sides_is_taken_once():
    result = merge("a.py", text("a", "b"), text("a", "B"), text("a", "B"))
    assert result.conflicts == 0 and result.data == text("a", "B")


def test_overlapping_changes_are_marked_with_labels():
    result = merge("app/x.py", text("a", "b", "c"), text("a", "mine", "c"), text("a", "theirs", "c"))
    assert result.conflicts == 1
    assert result.data == text(
        "a",
        "<<<<<<< yours (app/x.py as you edited it)",
        "mine",
        "||||||| base (as last generated)",
        "b",
        "=======",
        "theirs",
        ">>>>>>> generated (from the spec)",
        "c",
    )
    assert has_markers(result.data)


def test_two_different_additions_at_one_place_are_a_conflict():
    assert merge("a.py", text("a"), text("a", "X"), text("a", "Y")).conflicts == 1


def test_crlf_files_keep_their_line_ends_and_a_missing_last_newline_is_fine():
    result = merge("a.py", b"a\r\nb\r\n", b"A\r\nb\r\n", b"a\r\nb\r\nc")
    assert result.conflicts == 0 and result.data == b"A\r\nb\r\nc"
    marked = merge("a.py", b"a\r\n", b"x", b"y")
    assert marked.conflicts == 1 and b"<<<<<<< yours (a.py as you edited it)\r\nx\r\n" in marked.data


def test_what_counts_as_text_and_as_markers():
    assert is_text(b"caf\xc3\xa9\n") and not is_text(b"\x89PNG\0") and not is_text(b"\xff\xfe")
    assert not has_markers(b"<<<<<<< only a start\n") and not has_markers(b"x = '<<<<<<<'\n")


# ---------------------------------------------------------------- property: nothing is lost


@st.composite
def edited(draw, base: list[str], tag: str) -> list[str]:
    """``base`` with some lines changed, removed or added (new lines carry ``tag``)."""
    out = []
    for i, line in enumerate(base):
        if draw(st.integers(0, 9)) == 0:
            out.append(f"{tag}-added-before-{i}")
        kind = draw(st.sampled_from(["keep"] * 6 + ["change", "drop"]))
        if kind == "keep":
            out.append(line)
        elif kind == "change":
            out.append(f"{tag}-changed-{i}")
    if draw(st.booleans()):
        out.append(f"{tag}-added-at-end")
    return out


@st.composite
def three_versions(draw):
    base = [f"line-{i}" for i in range(draw(st.integers(0, 14)))]
    return base, draw(edited(base, "yours")), draw(edited(base, "generated"))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(three_versions())
def test_a_merge_keeps_every_change_of_both_sides_or_marks_it(versions):
    base, yours, generated = versions
    result = merge("f.py", text(*base), text(*yours), text(*generated))
    lines = result.data.decode().splitlines()
    for line in [*yours, *generated]:
        if "-added-" in line or "-changed-" in line:
            assert line in lines, f"{line} was lost"
    if result.conflicts == 0:
        assert not has_markers(result.data)
        for line in base:
            if line not in yours or line not in generated:  # removed by one side
                assert line not in lines, f"{line} came back"
            else:
                assert line in lines, f"{line} was lost"
    else:
        assert has_markers(result.data)
