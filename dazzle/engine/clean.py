"""``doit clean``: what each task removes.

A generate task removes what it staged and its artifact; the commit task removes every output
that still holds what the build put there (an output the user edited stays, and is named, and
so do user-owned files), with the bases and the ledger; parse, link, merge and hook tasks
remove their state files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dazzle.engine.ledger import Ledger, user_edited
from dazzle.engine.paths import Layout
from dazzle.engine.stage import unstage
from dazzle.util.files import remove_file


def clean_generated(meta: dict, key: str) -> None:
    layout = Layout.from_meta(meta)
    unstage(layout, key)
    artifact = layout.artifact_file(key)
    if artifact.exists():
        remove_file(artifact, layout.state_dir)


def clean_committed(meta: dict) -> None:
    """Remove every output that holds what the build put there. An edited one stays, and so
    do its base and ledger entry: the next build merges the spec into it as before."""
    layout = Layout.from_meta(meta)
    ledger = Ledger.load(layout)
    kept = Ledger(setup=ledger.setup)
    for rel, entry in sorted(ledger.files.items()):
        target = layout.output_file(rel)
        if entry.user_owned or not target.exists():
            continue
        if user_edited(layout, rel, entry):
            print(f"kept {target}: you edited it")
            kept.files[rel] = entry
        else:
            remove_file(target, layout.output_dir)
            if layout.base_file(rel).exists():
                remove_file(layout.base_file(rel), layout.state_dir)
    if kept.files:
        kept.save(layout)
    else:
        clean_state([layout.base_dir, layout.ledger_file, layout.conflicts_file], layout.state_dir)


def clean_state(paths: list[Path], stop_at: Path) -> None:
    for path in paths:
        path = Path(path)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            remove_file(path, stop_at)
