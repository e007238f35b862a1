"""The actions of the ``merge`` and ``commit`` tasks, and the build's last word on conflicts.

merge: the staged outputs of every generate task, through the stage hooks (the formatter),
against the ledger and the user's files → the pending changeset (``changeset``). commit: the
changeset (with the files pre_commit hooks added) applied to the output folder (``commit``).
A failure in either — or in a pre_commit hook between them — leaves the output folder as it
was.
"""

from __future__ import annotations

from doit.exceptions import TaskFailed

from dazzle.engine.changeset import Changeset, ChangesetError
from dazzle.engine.commit import apply, recover, shown
from dazzle.engine.decisions import plan
from dazzle.engine.hooks import make_context
from dazzle.engine.index import generate_keys
from dazzle.engine.paths import Layout
from dazzle.engine.state import touch_outputs_changed
from dazzle.ir.diagnostics import ProjectError
from dazzle.plugins.registry import PluginError
from dazzle.util.faults import checkpoint


def stage_hooks(layout: Layout, config, force: bool, provision: bool):
    """The selected stage hooks, their context and their setup (what decides their output)."""
    from dazzle.plugins.selection import selected_hooks

    hooks = [h for h in selected_hooks(config, provision) if h.phase == "stage"]
    ctx = make_context(layout, config, {"force": force, "provision": provision})
    return hooks, ctx, [[h.name, h.setup(ctx)] for h in hooks]


def _transform(hooks, ctx):
    def transform(files: dict[str, bytes]) -> tuple[dict[str, bytes], list[str]]:
        files, messages = dict(files), []
        for hook in hooks:
            result = hook.transform(ctx, dict(files))
            text = f"{hook.name}: {result.message}" if result.message else ""
            if result.severity == "error":
                raise ChangesetError(f"error: {text or hook.name + ' failed'}\nno generated file was changed")
            files.update(result.files or {})
            if text:
                messages.append(("warning: " if result.severity == "warning" else "") + text)
        return files, messages

    return transform


def compute_changeset(layout: Layout, force: bool, provision: bool) -> Changeset:
    """The changeset the next commit would apply (raises ProjectError, PluginError,
    ChangesetError)."""
    from dazzle.semantics import config as project

    recover(layout)
    config = project.load_config(layout.project_dir)
    hooks, ctx, setup = stage_hooks(layout, config, force, provision)
    return plan(layout, generate_keys(layout), _transform(hooks, ctx), setup, force)


def merge_action(meta: dict, force: bool, provision: bool):
    layout = Layout.from_meta(meta)
    try:
        changeset = compute_changeset(layout, force, provision)
    except ProjectError as exc:
        return TaskFailed(exc.render())
    except (PluginError, ChangesetError) as exc:
        return TaskFailed(str(exc) if str(exc).startswith("error:") else f"error: {exc}")
    checkpoint("merge:planned")
    changeset.save(layout)
    checkpoint("merge:saved")
    return {"messages": changeset.messages}


def commit_action(meta: dict):
    layout = Layout.from_meta(meta)
    changeset = Changeset.load(layout)
    if changeset is None:
        return {"messages": []}
    try:
        done = apply(layout, changeset)
    except ChangesetError as exc:
        return TaskFailed(f"error: {exc}")
    if done.written or done.removed or done.merged or done.conflicts:
        touch_outputs_changed(layout)
    messages = [f"merged your edits of {shown(layout, rel)} with the spec's changes" for rel in done.merged]
    messages += [f"removed {shown(layout, rel)} (no longer generated)" for rel in done.removed]
    messages += [
        f"warning: {shown(layout, rel)}: your edits and the spec's changes overlap: conflict markers written"
        for rel in done.conflicts
    ]
    quiet = ("no longer generated", "conflict resolved")
    messages += [note for note in (_shown_note(layout, n) for n in done.notes) if not note.endswith(quiet)]
    messages += [
        f"warning: {shown(layout, rel)} changed while the build ran: left as it is (build again)"
        for rel in done.skipped
    ]
    return {"messages": messages}


def _shown_note(layout: Layout, note: str) -> str:
    rel, _, text = note.partition(": ")
    return f"{shown(layout, rel)}: {text}"
