"""Which plugins a project uses: the generators of its stacks and the hooks its ``dazzle.toml``
turns on.

Hooks: those of ``registry.hooks()`` whose stack is one of the build's stacks (or None: any
stack), minus ``[hooks] disable``; an ``opt_in`` hook only when named in ``[hooks] enable`` (or
``provision`` with ``--provision``).
"""

from __future__ import annotations

from functools import cache

from dazzle.plugins import registry
from dazzle.plugins.api import Generator, Hook
from dazzle.plugins.registry import PluginError


@cache
def generators_for(stacks: tuple[str, ...]) -> list[Generator]:
    """The generators of ``stacks``, loaded once per process (ordered as ``registry.generators``)."""
    return registry.generators(stacks)


def find_generator(stacks: tuple[str, ...], stack: str, name: str) -> Generator:
    for gen in generators_for(stacks):
        if gen.stack == stack and gen.name == name:
            return gen
    raise PluginError(f"generator {stack}:{name} is not installed")


def selected_hooks(config, provision: bool = False) -> list[Hook]:
    enabled = set(config.hooks.enable) | ({"provision"} if provision else set())
    disabled = set(config.hooks.disable)
    stacks = set(config.build.stacks)
    chosen = []
    for hook in registry.hooks():
        if hook.stack is not None and hook.stack not in stacks:
            continue
        if hook.name in disabled or (hook.opt_in and hook.name not in enabled):
            continue
        chosen.append(hook)
    return chosen


def find_hook(name: str) -> Hook:
    for hook in registry.hooks():
        if hook.name == name:
            return hook
    raise PluginError(f"hook {name} is not installed")
