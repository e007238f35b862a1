"""Hook tasks: ``pre_build:<hook>`` and ``post_build:<hook>``.

Which hooks run is ``dazzle.plugins.selection``'s choice. A hook's task depends on its
``inputs`` and its source file (and on ``spec.json`` / the artifacts it reads); its targets are
its ``targets``. Its ``HookResult`` is the one channel it reports through: the message is shown
by the build's reporter, and ``error`` fails the build with that message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed

from dazzle.engine import artifacts
from dazzle.engine.generate import artifact_of, items_of
from dazzle.engine.link import load_spec
from dazzle.engine.outputs import load_manifest, save_manifest
from dazzle.engine.paths import Layout, generator_key, hook_key, relative_to_output
from dazzle.plugins import Hook, HookContext, HookResult
from dazzle.plugins.selection import find_hook, generators_for
from dazzle.util.files import read_bytes, read_json, sha256

PHASES = ("pre_build", "post_build")


class OutputLedger:
    """What a hook that rewrites generated files (a formatter) needs from the manifests:
    ``is_pristine(path)`` (the file holds what the build recorded) and ``record(path)`` (adopt
    the file's new bytes as generated, so the next build takes them for its own)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self._owners: dict[str, str] | None = None
        self._indexed: dict[str, str] | None = None

    def _indexed_owner(self, rel: str) -> str | None:
        """The owner ``outputs.json`` names, if its manifest agrees: one file to read instead of
        every manifest. A file this very build produced first is not in it yet."""
        if self._indexed is None:
            outputs = read_json(self.layout.outputs_index, {})
            self._indexed = {
                f: task
                for task, files in (outputs.items() if isinstance(outputs, dict) else ())
                for f in files
            }
        task = self._indexed.get(rel)
        if task is None or not task.startswith("generate:"):
            return None
        key = task[len("generate:") :].replace(":", "/")
        return key if rel in load_manifest(self.layout, key) else None

    def _owner(self, path: Path) -> tuple[str | None, str]:
        if self._owners is None:
            rel = relative_to_output(self.layout, Path(path))
            key = self._indexed_owner(rel)
            if key is not None:
                return key, rel
            self._owners = {}
            for folder, _dirs, names in os.walk(self.layout.manifest_dir):
                for name in names:
                    if name.endswith(".json"):
                        file = Path(folder) / name
                        key = file.relative_to(self.layout.manifest_dir).as_posix()[: -len(".json")]
                        for rel in load_manifest(self.layout, key):
                            self._owners[rel] = key
        rel = relative_to_output(self.layout, Path(path))
        return self._owners.get(rel), rel

    def is_pristine(self, path: Path) -> bool:
        key, rel = self._owner(path)
        data = read_bytes(Path(path))
        return (
            key is not None
            and data is not None
            and sha256(data) in load_manifest(self.layout, key).get(rel, ())
        )

    def record(self, path: Path) -> None:
        key, rel = self._owner(path)
        data = read_bytes(Path(path))
        if key is None or data is None:
            return
        files = load_manifest(self.layout, key)
        files[rel] = [sha256(data)]
        save_manifest(self.layout, key, files)


def make_context(layout: Layout, config, force: bool, provision: bool) -> HookContext:
    ledger = OutputLedger(layout)
    return HookContext(
        project_dir=layout.project_dir,
        output_dir=layout.output_dir,
        state_dir=layout.state_dir,
        config=config,
        force=force,
        options={"provision": provision},
        record=ledger.record,
        is_pristine=ledger.is_pristine,
    )


def _producer_files(layout: Layout, config, hook: Hook, hooks_by_name: dict[str, Hook]) -> list[Path]:
    """The artifact pickles of what ``hook.reads`` names (a generator or an earlier hook)."""
    from dazzle.engine.index import read_index

    files: list[Path] = []
    index = read_index(layout) or {}
    for name in hook.reads:
        if name in hooks_by_name:
            files.append(layout.artifact_file(hook_key(name)))
            continue
        for gen in generators_for(tuple(config.build.stacks)):
            if gen.name != name:
                continue
            entry = index.get(generator_key(gen.stack, gen.name))
            keys = entry.keys if entry else [generator_key(gen.stack, gen.name)]
            files.extend(layout.artifact_file(k) for k in keys)
    return files


def _declared(method, ctx: HookContext) -> list[Path]:
    """``hook.inputs``/``targets``; with no linked spec yet (``doit list`` on a fresh project)
    a hook that needs it may fail: it then declares nothing until the spec exists."""
    try:
        return [Path(p) for p in method(ctx)]
    except Exception:
        if ctx.spec is None:
            return []
        raise


def hook_declaration(
    layout: Layout, config, hook: Hook, hooks_by_name: dict, force: bool, provision: bool, spec=None
) -> dict:
    """What the hook's task depends on and produces, as plain data (cached in the plan)."""
    ctx = make_context(layout, config, force, provision)
    if hook.needs_spec:
        ctx.spec = spec
    inputs = _declared(hook.inputs, ctx)
    targets = _declared(hook.targets, ctx)
    file_dep = {str(p) for p in inputs} | {str(p) for p in hook.source_files()}
    file_dep |= {str(p) for p in _producer_files(layout, config, hook, hooks_by_name)}
    spec_digest = None
    if hook.needs_spec:
        # post_build tasks are declared after link, with this build's spec; pre_build ones
        # before it, so they depend on the whole spec.json (checked after link runs)
        key = hook.spec_key(spec) if spec is not None and hook.phase == "post_build" else None
        if key is None:
            file_dep.add(str(layout.spec_json))  # the whole spec
        else:
            spec_digest = sha256(json.dumps(key, sort_keys=True, default=str).encode())
    return {
        "name": hook.name,
        "doc": hook.doc,
        "file_dep": sorted(file_dep),
        "targets": [str(p) for p in targets] + [str(layout.artifact_file(hook_key(hook.name)))],
        # a hook with neither inputs nor targets runs on every build (e.g. a check)
        "always": not (inputs or targets or spec_digest),
        "spec_digest": spec_digest,
    }


def _hook_artifacts(layout: Layout, config, hook: Hook) -> dict[str, Any]:
    found: dict[str, Any] = {}
    stacks = tuple(config.build.stacks)
    for name in hook.reads:
        path = layout.artifact_file(hook_key(name))
        gens = [g for g in generators_for(stacks) if g.name == name]
        if not gens:
            try:
                found[name] = artifacts.read(path, f"hook:{name}")
            except artifacts.StaleArtifact:
                found[name] = {}
            continue
        gen = gens[0]
        if gen.per_item:
            items = items_of(layout, gen.stack, gen.name)
            found[name] = {i: artifact_of(layout, stacks, gen.stack, gen.name, i) for i in items}
        else:
            found[name] = artifact_of(layout, stacks, gen.stack, gen.name, None)
    return found


def hook_action(meta: dict, name: str, force: bool, provision: bool):
    from dazzle.ir.diagnostics import ProjectError
    from dazzle.semantics import config as project

    layout = Layout.from_meta(meta)
    try:
        config = project.load_config(layout.project_dir)
    except ProjectError as exc:
        return TaskFailed(exc.render())
    hook = find_hook(name)
    ctx = make_context(layout, config, force, provision)
    if hook.needs_spec:
        ctx.spec = load_spec(layout)  # with source locations, for the hook's messages
    ctx.artifacts = _hook_artifacts(layout, config, hook)
    result = hook.run(ctx)
    if not isinstance(result, HookResult):
        return TaskFailed(f"error: hook {name} returned {type(result).__name__}, not a HookResult")
    artifacts.write(layout.artifact_file(hook_key(name)), f"hook:{name}", dict(result.artifacts))
    text = f"{name}: {result.message}" if result.message else ""
    if result.severity == "error":
        return TaskFailed(f"error: {text or name + ' failed'}")
    if result.skipped:
        text = f"{name}: skipped" + (f" ({result.message})" if result.message else "")
    prefix = "warning: " if result.severity == "warning" else ""
    return {"messages": [prefix + text] if text else []}
