"""The action of a ``parse:<file>`` task: one DSL file → its module pickle.

A user's mistake fails the task with the rendered diagnostics (``TaskFailed``: no traceback);
nothing after it runs. ``load_module`` is how the link task reads a module: a pickle that is
stale or corrupt is re-parsed on the spot.
"""

from __future__ import annotations

from doit.exceptions import TaskFailed

from dazzle.engine import artifacts
from dazzle.engine.paths import Layout
from dazzle.ir.diagnostics import ProjectError


def parse_producer(relpath: str) -> str:
    return f"parse:{relpath}"


def parse_module(layout: Layout, relpath: str, default_name: str):
    """Parse one DSL file and store its module pickle (raises ProjectError)."""
    from dazzle.semantics import frontend

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
