"""The action of a ``generate:<stack>:<generator>[:<item>]`` task.

Reads the task's slice file (never the IR), the artifacts of the generators it ``reads``,
calls ``Generator.generate`` and stages the files (``stage``: the output folder changes only at
the commit); stores its own artifacts in an envelope. A producer's artifact that is stale or corrupt is recomputed in place (the producer's
own generate step re-runs in this process), so a consumer never crashes on it.
"""

from __future__ import annotations

from typing import Any

from doit.exceptions import TaskFailed
from pydantic import ValidationError

from dazzle.engine import artifacts
from dazzle.engine.index import read_index
from dazzle.engine.link import link
from dazzle.engine.paths import Layout, generator_key, task_name_of
from dazzle.engine.stage import OutputPathError, stage_outputs
from dazzle.ir.diagnostics import ProjectError
from dazzle.plugins.selection import find_generator
from dazzle.util.collector import collector_paused


def _read_slice(layout: Layout, gen, key: str):
    path = layout.slice_file(key)
    try:
        return gen.slice_model.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        link(layout)  # the slice file is missing or damaged: write the slices again
        return gen.slice_model.model_validate_json(path.read_bytes())


def items_of(layout: Layout, stack: str, name: str) -> tuple[str, ...]:
    index = read_index(layout)
    if index is None or generator_key(stack, name) not in index:
        link(layout)
        index = read_index(layout) or {}
    entry = index.get(generator_key(stack, name))
    return entry.items if entry else ()


def artifact_of(layout: Layout, stacks, stack: str, name: str, item: str | None) -> dict:
    key = generator_key(stack, name, item)
    try:
        return artifacts.read(layout.artifact_file(key), task_name_of(key))
    except artifacts.StaleArtifact:
        run_generator(layout, stacks, stack, name, item)
        return artifacts.read(layout.artifact_file(key), task_name_of(key))


def read_artifacts(layout: Layout, stacks, gen) -> dict[str, Any]:
    """``reads`` → {generator name: artifact dict (per-item generator: item → artifact dict)}."""
    found: dict[str, Any] = {}
    for name in gen.reads:
        producer = find_generator(stacks, gen.stack, name)
        if producer.per_item:
            items = items_of(layout, gen.stack, name)
            found[name] = {item: artifact_of(layout, stacks, gen.stack, name, item) for item in items}
        else:
            found[name] = artifact_of(layout, stacks, gen.stack, name, None)
    return found


def run_generator(layout: Layout, stacks, stack: str, name: str, item: str | None) -> bool:
    """Run one generate task's generator; True when what it staged changed."""
    gen = find_generator(stacks, stack, name)
    key = generator_key(stack, name, item)
    with collector_paused(freeze=False):  # a big slice is many small objects: see dazzle.util.collector
        sliced = _read_slice(layout, gen, key)
        result = gen.generate(sliced, read_artifacts(layout, stacks, gen))
    changed = stage_outputs(layout, key, result.files)
    artifacts.write(layout.artifact_file(key), task_name_of(key), dict(result.artifacts))
    return changed


def generate_action(meta: dict, stacks: tuple[str, ...], stack: str, name: str, item: str | None):
    layout = Layout.from_meta(meta)
    try:
        run_generator(layout, tuple(stacks), stack, name, item)
    except ProjectError as exc:  # a generator's own refusal, or a re-link forced by a damaged slice
        return TaskFailed(exc.render())
    except OutputPathError as exc:
        return TaskFailed(f"error: generator {stack}:{name}: {exc}")
    return None
