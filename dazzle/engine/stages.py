"""The actions of the ``parse`` and ``link`` tasks (plain functions doit calls).

parse: one DSL file → its module pickle. link: every module pickle + ``dazzle.toml`` → the
linked spec (``spec.json``), the slice files and the slice index. A user's mistake fails the
task with the rendered diagnostics (``TaskFailed``: no traceback); nothing after it runs. A
module pickle that is stale or corrupt is re-parsed on the spot.

The spec with its source locations (what a hook's messages point at) is ``load_spec``'s: the
very object when this process linked it (doit runs the hooks in the process that ran link),
else ``ir.pickle``. Link removes that pickle instead of writing it — pickling a big spec costs
more than linking it — and the first reader in another process links again from the module
pickles and writes it for the next.
"""

from __future__ import annotations

from functools import cache

from doit.exceptions import TaskFailed

from dazzle.engine import artifacts
from dazzle.engine.atomic import remove_file, write_atomic
from dazzle.engine.layout import Layout, model_json
from dazzle.errors import ProjectError
from dazzle.registry import PluginError


@cache
def generators_for(stacks: tuple[str, ...]):
    from dazzle import registry

    return registry.generators(stacks)


def find_generator(stacks: tuple[str, ...], stack: str, name: str):
    for gen in generators_for(stacks):
        if gen.stack == stack and gen.name == name:
            return gen
    raise PluginError(f"generator {stack}:{name} is not installed")


def parse_producer(relpath: str) -> str:
    return f"parse:{relpath}"


def parse_module(layout: Layout, relpath: str, default_name: str):
    """Parse one DSL file and store its module pickle (raises ProjectError)."""
    from dazzle import frontend

    module = frontend.parse_file(layout.project_dir, relpath, default_name)
    artifacts.write_model(layout.module_pickle(relpath), parse_producer(relpath), module)
    return module


def parse_action(meta: dict, relpath: str, default_name: str):
    layout = Layout.from_meta(meta)
    try:
        parse_module(layout, relpath, default_name)
    except ProjectError as exc:
        return TaskFailed(exc.render())
    return None


def load_module(layout: Layout, relpath: str, default_name: str):
    try:
        return artifacts.read_model(layout.module_pickle(relpath), parse_producer(relpath))
    except artifacts.StaleArtifact:
        return parse_module(layout, relpath, default_name)


def link_spec(layout: Layout):
    """Config + module pickles → (config, spec, warnings); raises ProjectError."""
    from dazzle import frontend, project

    config = project.load_config(layout.project_dir)
    modules = [load_module(layout, rel, name) for rel, name in project.dsl_files(layout.project_dir, config)]
    spec, warnings = frontend.build_spec(layout.project_dir, config, modules)
    return config, spec, warnings


_LINKED: dict[str, object] = {}  # state folder → the spec this process last linked there


def link(layout: Layout) -> dict:
    """Everything the link task does; returns its report values. Raises ProjectError."""
    from dazzle.collector import collector_paused
    from dazzle.engine.facts import remember_spec
    from dazzle.engine.slices import write_slices

    _LINKED.pop(str(layout.state_dir), None)
    if layout.ir_pickle.exists():  # from an older link: never to be read after this one
        remove_file(layout.ir_pickle, layout.state_dir)
    with collector_paused():  # hundreds of thousands of objects, no cycles: see dazzle.collector
        config, spec, warnings = link_spec(layout)
        write_atomic(layout.spec_json, model_json(spec))
        remember_spec(layout, spec)
        pruned = write_slices(layout, generators_for(tuple(config.build.stacks)), spec)
    _LINKED[str(layout.state_dir)] = spec
    if pruned.removed:
        from dazzle.engine.facts import touch_outputs_changed

        touch_outputs_changed(layout)
    messages = [w.render(layout.project_dir) for w in warnings]
    messages += [f"removed {rel} (no longer generated)" for rel in pruned.removed]
    messages += [f"kept {rel}: no longer generated, but you edited it" for rel in pruned.kept_edited]
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
        from dazzle.collector import collector_paused

        with collector_paused():
            _config, spec, _warnings = link_spec(layout)
            artifacts.write_model(layout.ir_pickle, "link", spec)
        return spec
