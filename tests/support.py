"""Test helpers shared by the test modules: examples and in-memory generation."""

from __future__ import annotations

from pathlib import Path

from dazzle.ir import AppSpec
from dazzle.plugins import registry

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def run_generators(spec: AppSpec, stack: str = "django") -> dict[str, bytes]:
    """Every generator of ``stack`` called directly (no doit): output path → bytes."""
    files: dict[str, bytes] = {}
    artifacts: dict[str, object] = {}
    for gen in registry.generators([stack]):
        sliced = gen.slice(spec)
        reads = {name: artifacts[name] for name in gen.reads}
        if gen.per_item:
            produced = {}
            for item, part in sliced.items():
                result = gen.generate(part, reads)
                files.update({f.path: f.data for f in result.files})
                produced[item] = result.artifacts
            artifacts[gen.name] = produced
        else:
            result = gen.generate(sliced, reads)
            files.update({f.path: f.data for f in result.files})
            artifacts[gen.name] = result.artifacts
    return files


def write_tree(files: dict[str, bytes], out: Path) -> Path:
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out
