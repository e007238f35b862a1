"""Test helpers shared by the test modules: examples and in-memory generation."""

from __future__ import annotations

from pathlib import Path

from dazzle.ir import AppSpec
from dazzle.plugins import Generator, registry

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def run_generators(spec: AppSpec, stack: str = "django") -> dict[str, bytes]:
    """Every generator of ``stack`` called directly (no doit): output path → bytes. Each gets
    the artifacts it reads as the engine hands them on: generator name → its artifact dict
    (a per-item generator's: item → artifact dict)."""
    files: dict[str, bytes] = {}
    artifacts: dict[str, object] = {}
    for gen in registry.generators([stack]):  # producers before their readers
        reads = {name: artifacts[name] for name in gen.reads}
        artifacts[gen.name] = _run(gen, spec, reads, files)
    return files


def _run(gen: Generator, spec: AppSpec, reads: dict, files: dict[str, bytes]):
    """``gen``'s artifact for ``spec`` (its files added to ``files``)."""
    sliced = gen.slice(spec)
    parts = sliced.items() if gen.per_item else [(None, sliced)]
    produced = {}
    for item, part in parts:
        result = gen.generate(part, reads)
        files.update({f.path: f.data for f in result.files})
        produced[item] = result.artifacts
    return produced if gen.per_item else produced[None]


def artifacts_read_by(gen: Generator, spec: AppSpec) -> dict[str, object]:
    """The artifacts ``gen`` reads, made from ``spec`` by their producers (and theirs): what the
    engine hands ``gen.generate`` in a build of ``spec``."""
    by_name = {g.name: g for g in registry.generators([gen.stack])}
    return {name: _run(by_name[name], spec, artifacts_read_by(by_name[name], spec), {}) for name in gen.reads}


def write_tree(files: dict[str, bytes], out: Path) -> Path:
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out
