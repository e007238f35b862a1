"""The action of the ``link`` task, and the linked spec as later tasks read it.

link: every module pickle + ``dazzle.toml`` → the linked spec (``spec.json``), the slice files
and the slice index. A user's mistake fails the task with the rendered diagnostics.

The spec with its source locations (what a hook's messages point at) is ``load_spec``'s: the
very object when this process linked it (doit runs the hooks in the process that ran link),
else ``ir.pickle``. Link removes that pickle instead of writing it — pickling a big spec costs
more than linking it — and the first reader in another process links again from the module
pickles and writes it for the next. Hooks that only declare their inputs read the spec without
locations from ``spec.json`` (``load_spec_json``), several times faster.
"""

from __future__ import annotations

from doit.exceptions import TaskFailed

from dazzle.engine import artifacts
from dazzle.engine.parse import load_module
from dazzle.engine.paths import Layout
from dazzle.ir.diagnostics import ProjectError
from dazzle.plugins.registry import PluginError
from dazzle.plugins.selection import generators_for
from dazzle.util.files import file_stamp, model_json, remove_file, write_atomic


def link_spec(layout: Layout):
    """Config + module pickles → (config, spec, warnings); raises ProjectError."""
    from dazzle.semantics import config as project
    from dazzle.semantics import frontend

    config = project.load_config(layout.project_dir)
    modules = [load_module(layout, rel, name) for rel, name in project.dsl_files(layout.project_dir, config)]
    spec, warnings = frontend.build_spec(layout.project_dir, config, modules)
    return config, spec, warnings


_LINKED: dict[str, object] = {}  # state folder → the spec this process last linked there


def link(layout: Layout) -> dict:
    """Everything the link task does; returns its report values. Raises ProjectError."""
    from dazzle.engine.slices import write_slices
    from dazzle.util.collector import collector_paused

    _LINKED.pop(str(layout.state_dir), None)
    if layout.ir_pickle.exists():  # from an older link: never to be read after this one
        remove_file(layout.ir_pickle, layout.state_dir)
    with collector_paused():  # hundreds of thousands of objects, no cycles: see dazzle.util.collector
        config, spec, warnings = link_spec(layout)
        write_atomic(layout.spec_json, model_json(spec))
        remember_spec(layout, spec)
        write_slices(layout, generators_for(tuple(config.build.stacks)), spec)
    _LINKED[str(layout.state_dir)] = spec
    messages = [w.render(layout.project_dir) for w in warnings]
    return {"messages": messages}


def link_action(meta: dict):
    layout = Layout.from_meta(meta)
    try:
        return link(layout)
    except ProjectError as exc:
        return TaskFailed(exc.render())
    except PluginError as exc:
        return TaskFailed(f"error: {exc}")


def load_spec(layout: Layout):
    """The linked spec, with source locations: the one this process linked, else ir.pickle,
    else linked again from the module pickles (and ir.pickle written). Raises ProjectError."""
    spec = _LINKED.get(str(layout.state_dir))
    if spec is not None:
        return spec
    try:
        return artifacts.read_model(layout.ir_pickle, "link")
    except artifacts.StaleArtifact:
        from dazzle.util.collector import collector_paused

        with collector_paused():
            _config, spec, _warnings = link_spec(layout)
            artifacts.write_model(layout.ir_pickle, "link", spec)
        return spec


_SPEC_CACHE: dict[str, tuple] = {}


def load_spec_json(layout: Layout):
    """The linked spec as hooks see it when they declare their inputs (from spec.json: no
    source locations, but several times faster to read than the IR pickle). None before the
    first link. Read once per version of the file in a process."""
    from dazzle.ir import AppSpec

    stamp = file_stamp(str(layout.spec_json))
    cached = _SPEC_CACHE.get(str(layout.spec_json))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        spec = AppSpec.model_validate_json(layout.spec_json.read_bytes())
    except (OSError, ValueError):
        spec = None
    _SPEC_CACHE[str(layout.spec_json)] = (stamp, spec)
    return spec


def remember_spec(layout: Layout, spec) -> None:
    """The spec link has just written to spec.json: this process need not read it back."""
    _SPEC_CACHE[str(layout.spec_json)] = (file_stamp(str(layout.spec_json)), spec)
