"""Three-way merge of one output: the last generated version (*base*), the file as the user has
it (*yours*) and the version the spec gives now (*generated*).

``merge3`` does the merge. Where it reports a conflict, the conflict is looked at once more,
line by line: diff3 (like git) calls changes that merely *touch* a conflict — a line you added
right above a line the spec changed, two neighbouring lines changed one by each side — and
those are applied both when they change different lines of the base. What remains (both sides
changed the same lines differently, or both added different lines at the same place) is written
with standard markers, labelled so a person can tell whose is which::

    <<<<<<< yours (helpdesk/admin.py as you edited it)
    ||||||| base (as last generated)
    =======
    >>>>>>> generated (from the spec)
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

START, BASE, MIDDLE, END = "<<<<<<<", "|||||||", "=======", ">>>>>>>"


@dataclass(frozen=True)
class MergeResult:
    data: bytes
    conflicts: int  # regions written with markers


def labels(rel: str) -> tuple[str, str, str]:
    return f"yours ({rel} as you edited it)", "base (as last generated)", "generated (from the spec)"


def is_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def has_markers(data: bytes) -> bool:
    """Does the file still hold a conflict region the build wrote (start and end markers)?"""
    lines = data.split(b"\n")
    starts = any(line.startswith(START.encode() + b" ") for line in lines)
    return starts and any(line.startswith(END.encode() + b" ") for line in lines)


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8").splitlines(keepends=True)


def _newline(*texts: bytes) -> str:
    return "\r\n" if any(b"\r\n" in t for t in texts) else "\n"


def merge(rel: str, base: bytes, yours: bytes, generated: bytes) -> MergeResult:
    """The merged bytes of three text versions, and how many regions conflict."""
    import merge3  # only when there is something to merge

    newline = _newline(yours, generated, base)
    a, b, o = _lines(yours), _lines(generated), _lines(base)
    out: list[str] = []
    conflicts = 0
    name_a, name_base, name_b = labels(rel)
    for group in merge3.Merge3(o, a, b).merge_groups():
        kind = group[0]
        if kind != "conflict":
            out.extend(group[1])
            continue
        base_lines, yours_lines, generated_lines = group[1], group[2], group[3]
        resolved = _both_sides(base_lines, yours_lines, generated_lines)
        if resolved is not None:
            out.extend(resolved)
            continue
        conflicts += 1
        out.extend(_ended([f"{START} {name_a}{newline}", *yours_lines], newline))
        out.extend(_ended([f"{BASE} {name_base}{newline}", *base_lines], newline))
        out.extend(_ended([f"{MIDDLE}{newline}", *generated_lines], newline))
        out.append(f"{END} {name_b}{newline}")
    return MergeResult("".join(out).encode("utf-8"), conflicts)


def _ended(lines: list[str], newline: str) -> list[str]:
    """Lines of a marker block, the last one ending in a newline (a file may lack its last)."""
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    return lines


def _edits(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """How ``other`` changes ``base``: (start, end, new lines) over base positions."""
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _clash(x: tuple[int, int, list[str]], y: tuple[int, int, list[str]]) -> bool:
    (i1, i2, _), (j1, j2, _) = x, y
    if i1 == i2 and j1 == j2:
        return i1 == j1  # two additions at one place: which goes first is anyone's guess
    if i1 == i2:
        return j1 < i1 < j2  # an addition inside a range the other side changed
    if j1 == j2:
        return i1 < j1 < i2
    return i1 < j2 and j1 < i2  # both changed some of the same lines


def _both_sides(base: list[str], yours: list[str], generated: list[str]) -> list[str] | None:
    """A conflict region with both sides' changes applied, when they change different lines of
    the base; None when they really overlap."""
    mine, theirs = _edits(base, yours), _edits(base, generated)
    edits = list(mine)
    for edit in theirs:
        if edit in mine:
            continue  # the same change on both sides
        if any(_clash(edit, other) for other in mine):
            return None
        edits.append(edit)
    # An addition at a position sorts before a change starting there, and after one ending there.
    edits.sort(key=lambda e: (e[0], e[1] != e[0]))
    out, at = [], 0
    for start, end, lines in edits:
        out.extend(base[at:start])
        out.extend(lines)
        at = max(at, end)
    out.extend(base[at:])
    return out
