"""The callables doit runs, as thin wrappers that import their stage only when they run.

A no-op build creates every task but runs none: keeping pydantic, the IR, jinja2 and the
generator modules out of task creation is what makes it fast.
"""

from __future__ import annotations


def fail(message: str):
    from doit.exceptions import TaskFailed

    return TaskFailed(message)


def parse(meta: dict, relpath: str, default_name: str):
    from dazzle.engine.parse import parse_action

    return parse_action(meta, relpath, default_name)


def link(meta: dict):
    from dazzle.engine.link import link_action

    return link_action(meta)


def generate(meta: dict, stacks, stack: str, name: str, item: str | None):
    from dazzle.engine.generate import generate_action

    return generate_action(meta, tuple(stacks), stack, name, item)


def merge(meta: dict, force: bool, provision: bool):
    from dazzle.engine.publish import merge_action

    return merge_action(meta, force, provision)


def commit(meta: dict):
    from dazzle.engine.publish import commit_action

    return commit_action(meta)


def hook(meta: dict, name: str, options: dict, inputs: list[str]):
    from dazzle.engine.hooks import hook_action

    return hook_action(meta, name, options, inputs)


def check_conflicts(meta: dict):
    from dazzle.engine.commit import check_conflicts_action

    return check_conflicts_action(meta)
