"""Finds generators, hooks and stack checks through entry points (``dazzle.generators``,
``dazzle.hooks``, ``dazzle.checks``) and the stacks' dev servers (``dazzle.dev``).

The built-ins register the same way as a third-party package would, in ``pyproject.toml``.
"""

from __future__ import annotations

import sys

from dazzle.plugins.api import DevServer, Generator, Hook, StackCheck
from dazzle.util.files import file_identity

GENERATOR_GROUP = "dazzle.generators"
HOOK_GROUP = "dazzle.hooks"
CHECK_GROUP = "dazzle.checks"
DEV_GROUP = "dazzle.dev"


_SCANNED: dict[tuple, object] = {}  # what sys.path held (folders and their stats) → its entry points


def _entry_points(group: str):
    """The entry points of ``group``. Every call of ``importlib.metadata.entry_points`` reads
    every installed distribution (~6 ms here, and a build asks a few dozen times), so the scan is
    kept per process for as long as no folder of ``sys.path`` changes (installing a package
    changes its folder: pip writes a new ``*.dist-info`` folder)."""
    key = tuple((p, tuple(file_identity(p or ".") or ())) for p in sys.path)
    found = _SCANNED.get(key)
    if found is None:
        # importlib.metadata costs ~40 ms to import: a lazy import keeps it off `dazzle check`,
        # which needs ``PluginError`` but no plugin.
        from importlib.metadata import entry_points

        _SCANNED.clear()
        found = _SCANNED[key] = entry_points()
    return found.select(group=group)


class PluginError(Exception):
    """A plugin that cannot be loaded or is inconsistent (not a mistake in the user's spec)."""


def _load(group: str, base: type, wanted=None):
    """Instances of the plugins of ``group``; ``wanted(entry_point_name)`` picks which to import
    (a generator's entry point is named ``<stack>.<generator>``, so a stack's generators load
    without importing the other stacks' modules)."""
    found = {}
    for ep in sorted(_entry_points(group=group), key=lambda e: e.name):
        if wanted is not None and not wanted(ep.name):
            continue
        try:
            obj = ep.load()
            instance = obj() if callable(obj) and not isinstance(obj, base) else obj
        except Exception as exc:  # a broken plugin must not crash with a traceback
            raise PluginError(f"cannot load {group} plugin {ep.name!r} ({ep.value}): {exc}") from exc
        if not isinstance(instance, base):
            raise PluginError(f"{group} plugin {ep.name!r} ({ep.value}) is not a {base.__name__}")
        stacked = base in (Generator, StackCheck)  # named <stack>.<name>
        key = (
            f"{instance.stack}.{instance.name}"
            if stacked
            else getattr(instance, "name", None) or instance.stack
        )
        if stacked and ep.name != key:
            raise PluginError(f"{group} plugin {ep.name!r} ({ep.value}) must be registered as {key!r}")
        if key in found:
            continue  # the same plugin installed twice (e.g. editable + regular): first wins
        found[key] = instance
    return list(found.values())


def _stack_of(entry_point_name: str) -> str:
    return entry_point_name.split(".", 1)[0]


def available_stacks() -> list[str]:
    """Stack names, from the entry-point names alone (no plugin module is imported)."""
    return sorted({_stack_of(ep.name) for ep in _entry_points(group=GENERATOR_GROUP)})


def generators(stacks: tuple[str, ...] | list[str]) -> list[Generator]:
    """Generators of the given stacks, ordered so that every generator comes after those whose
    artifacts it reads (stable: by name otherwise)."""
    loaded = _load(GENERATOR_GROUP, Generator, lambda name: _stack_of(name) in stacks)
    chosen = [g for g in loaded if g.stack in stacks]
    by_name = {(g.stack, g.name): g for g in chosen}
    ordered: list[Generator] = []
    state: dict[tuple[str, str], str] = {}

    def visit(g: Generator, trail: tuple[str, ...]) -> None:
        key = (g.stack, g.name)
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            raise PluginError(
                f"generators read each other's artifacts in a cycle: {' -> '.join(trail + (g.name,))}"
            )
        state[key] = "visiting"
        for read in g.reads:
            dep = by_name.get((g.stack, read))
            if dep is None:
                raise PluginError(
                    f"generator {g.task_base} reads the artifacts of {read!r}, which is not installed"
                )
            visit(dep, trail + (g.name,))
        state[key] = "done"
        ordered.append(g)

    for g in sorted(chosen, key=lambda g: (g.stack, g.name)):
        visit(g, ())
    return ordered


def hooks() -> list[Hook]:
    return sorted(_load(HOOK_GROUP, Hook), key=lambda h: h.name)


def checks(stacks: tuple[str, ...] | list[str]) -> list[StackCheck]:
    """The stack checks of the given stacks, by name."""
    loaded = _load(CHECK_GROUP, StackCheck, lambda name: _stack_of(name) in stacks)
    return [c for c in loaded if c.stack in stacks]


def dev_server(stacks: tuple[str, ...] | list[str]) -> DevServer | None:
    """The dev server of the first of ``stacks`` that has one (``dazzle dev``), else None."""
    loaded = {d.stack: d for d in _load(DEV_GROUP, DevServer, lambda name: name in stacks)}
    return next((loaded[s] for s in stacks if s in loaded), None)
