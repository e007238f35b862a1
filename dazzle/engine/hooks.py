"""Hook tasks: ``pre_build:<hook>``, ``pre_commit:<hook>`` and ``post_build:<hook>``.

Which hooks run is ``dazzle.plugins.selection``'s choice. A hook's task depends on its
``inputs`` and its source file (and on ``spec.json`` / the artifacts it reads); its targets are
its ``targets``. A pre_commit hook runs between the merge and the commit: its inputs in the
output folder stand for their staged versions (what is about to change), it sees the pending
commit (``HookContext.pending``), may add files to it, and refuses it with an error. Stage
hooks are no tasks: the merge task calls them (``publish``). A ``HookResult`` is the one
channel a hook reports through: the message is shown by the build's reporter, and ``error``
fails the build with that message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed

from dazzle.engine import artifacts
from dazzle.engine.generate import artifact_of, items_of
from dazzle.engine.link import load_spec
from dazzle.engine.paths import Layout, generator_key, hook_key, relative_to_output, task_name_of
from dazzle.plugins import Hook, HookContext, HookResult
from dazzle.plugins.selection import find_hook, generators_for
from dazzle.util.files import read_json_shared, sha256

PHASES = ("pre_build", "pre_commit", "post_build")  # the phases whose hooks are tasks


def make_context(layout: Layout, config, options: dict) -> HookContext:
    """``options``: force, provision, allow_data_loss (the build's switches)."""
    return HookContext(
        project_dir=layout.project_dir,
        output_dir=layout.output_dir,
        state_dir=layout.state_dir,
        config=config,
        force=bool(options.get("force")),
        options={
            "provision": bool(options.get("provision")),
            "allow_data_loss": bool(options.get("allow_data_loss")),
        },
    )


def staged_inputs(layout: Layout, paths: list[Path]) -> list[Path]:
    """For a pre_commit hook: its inputs in the output folder that are generated files, as
    their staged copies (what changes before the commit); other inputs as they are. Who stages
    what comes from ``outputs.json`` (one file), or — for files it does not know yet, on a
    first build — from the manifests."""
    from dazzle.engine.index import generate_keys
    from dazzle.engine.stage import load_manifest

    keys = generate_keys(layout)
    staged = read_json_shared(layout.outputs_index, {}) or {}
    owner: dict[str, str] = {}
    for key in keys:
        for rel in staged.get(task_name_of(key), ()):
            owner.setdefault(rel, key)
    wanted = [relative_to_output(layout, path) for path in paths]
    if any(rel not in owner and not rel.startswith("..") for rel in wanted):
        for key in keys:
            for rel in load_manifest(layout, key):
                owner.setdefault(rel, key)
    return [layout.staged_file(owner[rel], rel) if rel in owner else path for rel, path in zip(wanted, paths)]


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
    layout: Layout, config, hook: Hook, hooks_by_name: dict, options: dict, spec=None
) -> dict:
    """What the hook's task depends on and produces, as plain data (cached in the plan)."""
    ctx = make_context(layout, config, options)
    if hook.needs_spec:
        ctx.spec = spec
    if hook.phase == "pre_commit":
        ctx.pending = _pending(layout)  # what is about to be committed (the first time: everything)
    inputs = _declared(hook.inputs, ctx)
    if hook.phase == "pre_commit":
        inputs = staged_inputs(layout, inputs)
    targets = _declared(hook.targets, ctx)
    file_dep = {str(p) for p in inputs} | {str(p) for p in hook.source_files()}
    file_dep |= {str(p) for p in _producer_files(layout, config, hook, hooks_by_name)}
    spec_digest = None
    if hook.needs_spec:
        # pre_commit and post_build tasks are declared after link, with this build's spec;
        # pre_build ones before it, so they depend on the whole spec.json (checked after link)
        key = hook.spec_key(spec) if spec is not None and hook.phase != "pre_build" else None
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


def _conflicted_inputs(layout: Layout, decl_inputs: list[str]) -> list[str]:
    """Inputs of a hook that are outputs still holding conflict markers."""
    from dazzle.engine.commit import pending_conflicts

    conflicts = pending_conflicts(layout)
    if not conflicts:
        return []
    wanted = {str(layout.output_file(rel)): rel for rel in conflicts}
    return [wanted[p] for p in decl_inputs if p in wanted]


def hook_action(meta: dict, name: str, options: dict, inputs: list[str] = ()):
    from dazzle.engine.commit import shown
    from dazzle.ir.diagnostics import ProjectError
    from dazzle.semantics import config as project

    layout = Layout.from_meta(meta)
    try:
        config = project.load_config(layout.project_dir)
    except ProjectError as exc:
        return TaskFailed(exc.render())
    blocked = _conflicted_inputs(layout, list(inputs))
    if blocked:
        files = ", ".join(shown(layout, rel) for rel in blocked)
        return TaskFailed(f"error: {name} did not run: resolve the conflict markers in {files} first")
    hook = find_hook(name)
    ctx = make_context(layout, config, options)
    if hook.needs_spec:
        ctx.spec = load_spec(layout)  # with source locations, for the hook's messages
    ctx.artifacts = _hook_artifacts(layout, config, hook)
    pending = None
    if hook.phase == "pre_commit":
        pending = ctx.pending = _pending(layout)
        if pending is None:
            return {"messages": []}  # nothing is about to be committed
    result = hook.run(ctx)
    if not isinstance(result, HookResult):
        return TaskFailed(f"error: hook {name} returned {type(result).__name__}, not a HookResult")
    text = f"{name}: {result.message}" if result.message else ""
    if result.severity == "error":
        suffix = "\nno generated file was changed" if hook.phase == "pre_commit" else ""
        return TaskFailed(f"error: {text or name + ' failed'}{suffix}")
    if pending is not None:
        pending.save_additions(name)
    artifacts.write(layout.artifact_file(hook_key(name)), f"hook:{name}", dict(result.artifacts))
    if result.skipped:
        text = f"{name}: skipped" + (f" ({result.message})" if result.message else "")
    prefix = "warning: " if result.severity == "warning" else ""
    return {"messages": [prefix + text] if text else []}


def _pending(layout: Layout):
    """The pending commit (an applied changeset: nothing pending, the output folder is current)."""
    from dazzle.engine.changeset import Changeset
    from dazzle.engine.pending import Pending

    changeset = Changeset.load(layout)
    if changeset is None:
        return None
    if changeset.state == "applied":
        changeset = Changeset([], changeset.setup, state="applied")
    return Pending(layout, changeset)
