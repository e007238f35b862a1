"""``HookContext.pending`` (``dazzle.engine.pending``): what a pre_commit hook sees of the
output folder as the pending changeset will leave it."""

from __future__ import annotations

from dazzle.engine.changeset import Change, Changeset, store_object
from dazzle.engine.paths import Layout
from dazzle.engine.pending import Pending, _copy


def _pending(tmp_path, files: dict[str, bytes], changes: list[tuple[str, str, bytes | None, bytes | None]]):
    """An output folder holding ``files`` and a changeset of (path, action, data, new base)."""
    layout = Layout.create(tmp_path, tmp_path / "out", tmp_path / ".dazzle")
    for rel, data in files.items():
        path = layout.output_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    changeset = Changeset(
        [
            Change(
                rel=rel,
                action=action,
                data=store_object(layout, data) if data is not None else None,
                base=store_object(layout, base) if base is not None else None,
            )
            for rel, action, data, base in changes
        ]
    )
    return layout, Pending(layout, changeset)


def test_the_copy_holds_the_folder_as_the_commit_will_leave_it(tmp_path):
    layout, pending = _pending(
        tmp_path,
        {
            "app/models.py": b"old models\n",
            "app/views.py": b"yours\n",
            "app/gone.py": b"stale\n",
            "app/notes.txt": b"kept\n",
            "app/edited.py": b"the user's edit, kept\n",
            "app/same.py": b"as generated\n",
            "db.sqlite3": b"data",
        },
        [
            ("app/models.py", "write", b"new models\n", b"new models\n"),
            # Only the ledger changes for these (e.g. a build after an upgrade, or a kept edit):
            # the commit leaves them as they are on disk, and so does the copy.
            ("app/edited.py", "keep", None, None),
            ("app/same.py", "record", None, None),
            ("app/views.py", "conflict", b"<<<<<<< yours\n...\n>>>>>>> generated\n", b"generated views\n"),
            ("app/gone.py", "remove", None, None),
            ("app/forms.py", "create", b"new file\n", None),
        ],
    )
    pending.add("app/migrations/0002_x.py", b"migration\n")
    copy = pending.materialize(tmp_path / "copy")
    found = {p.relative_to(copy).as_posix(): p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert found == {
        "app/models.py": b"new models\n",
        "app/views.py": b"generated views\n",  # a conflicted file as generated: what a check can run
        "app/forms.py": b"new file\n",
        "app/notes.txt": b"kept\n",
        "app/edited.py": b"the user's edit, kept\n",
        "app/same.py": b"as generated\n",
        "app/migrations/0002_x.py": b"migration\n",
    }  # no removed file, no database
    assert pending.changed() == [
        "app/forms.py",
        "app/gone.py",
        "app/migrations/0002_x.py",
        "app/models.py",
        "app/views.py",
    ]
    assert (layout.output_dir / "app/models.py").read_bytes() == b"old models\n"  # nothing written there

    only_py = pending.materialize(tmp_path / "py", suffixes=(".py",))
    assert sorted(p.name for p in only_py.rglob("*") if p.is_file()) == [
        "0002_x.py",
        "edited.py",
        "forms.py",
        "models.py",
        "same.py",
        "views.py",
    ]


def test_a_file_that_goes_away_while_the_copy_is_made_is_left_out(tmp_path):
    _copy(tmp_path / "deleted meanwhile.py", tmp_path / "copy" / "app" / "deleted meanwhile.py")
    assert (tmp_path / "copy" / "app").is_dir()
    assert list((tmp_path / "copy" / "app").iterdir()) == []
