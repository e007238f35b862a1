"""``doit clean``: what each task removes.

A generate task removes the outputs its manifest records (an output the user edited stays, and
is named), its artifact and its manifest; parse, link and hook tasks remove their state files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dazzle.engine.outputs import remove_outputs
from dazzle.engine.paths import Layout
from dazzle.util.files import remove_file


def clean_generated(meta: dict, key: str) -> None:
    layout = Layout.from_meta(meta)
    report = remove_outputs(layout, key)
    for rel in report.kept_edited:
        print(f"kept {layout.output_file(rel)}: you edited it")
    artifact = layout.artifact_file(key)
    if artifact.exists():
        remove_file(artifact, layout.state_dir)


def clean_state(paths: list[Path], stop_at: Path) -> None:
    for path in paths:
        path = Path(path)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            remove_file(path, stop_at)
