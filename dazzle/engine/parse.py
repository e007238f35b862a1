"""The action of a ``parse:<file>`` task: one DSL file → its module pickle.

A user's mistake fails the task with the rendered diagnostics (``TaskFailed``: no traceback);
nothing after it runs. ``load_module`` is how the link task reads a module: a pickle that is
stale or corrupt is re-parsed on the spot. A process keeps the modules it parsed or read, by
the identity of their pickle (IR nodes are frozen: sharing them is safe), so a rebuild under
``dazzle watch`` reads back only the pickles of the files that changed.
"""

from __future__ import annotations

from doit.exceptions import TaskFailed

from dazzle.engine import artifacts
from dazzle.engine.paths import Layout
from dazzle.ir.diagnostics import ProjectError
from dazzle.util.files import file_identity

_MODULES: dict[str, tuple] = {}  # module pickle → (its identity, the module)


def parse_producer(relpath: str) -> str:
    return f"parse:{relpath}"


def parse_module(layout: Layout, relpath: str, default_name: str):
    """Parse one DSL file and store its module pickle (raises ProjectError)."""
    from dazzle.semantics import frontend

    module = frontend.parse_file(layout.project_dir, relpath, default_name)
    target = layout.module_pickle(relpath)
    artifacts.write_model(target, parse_producer(relpath), module)
    _MODULES[str(target)] = (file_identity(target), module)
    return module


def parse_action(meta: dict, relpath: str, default_name: str):
    layout = Layout.from_meta(meta)
    try:
        parse_module(layout, relpath, default_name)
    except ProjectError as exc:
        return TaskFailed(exc.render())
    return None


def load_module(layout: Layout, relpath: str, default_name: str):
    target = layout.module_pickle(relpath)
    stamp = file_identity(target)
    known = _MODULES.get(str(target))
    if known is not None and stamp is not None and known[0] == stamp:
        return known[1]
    try:
        module = artifacts.read_model(target, parse_producer(relpath))
    except artifacts.StaleArtifact:
        return parse_module(layout, relpath, default_name)
    _MODULES[str(target)] = (stamp, module)
    return module
