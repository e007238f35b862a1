"""Test helpers shared by the test modules: the examples, and writing generated files out (to
generate without doit, use ``dazzle.testing``)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def write_tree(files: dict[str, bytes], out: Path) -> Path:
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out


def artifacts_read_by(gen, spec) -> dict[str, object]:
    """The artifacts ``gen`` reads, made from ``spec`` by their producers (and theirs): what the
    engine hands ``gen.generate`` in a build of ``spec``."""
    from dazzle.testing import run_stack

    runs = {run.generator.name: run for run in run_stack(spec, gen.stack, only=gen.reads)}
    return {name: runs[name].artifacts for name in gen.reads}
