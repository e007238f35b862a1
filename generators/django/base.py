"""The base class of the Django generators: the stack's name, and source files that include
the shared helper modules a generator renders with.

A generator's output depends on more than its own module: ``naming`` decides its names,
``render`` its escaping, ``wiring`` how a surface connects to pages and actions, ``test_values``
the values of the generated tests. ``source_files`` is therefore the generator's module plus
every module of this package it imports, directly or through another, read from the ``import``
statements — so editing a helper re-runs exactly the generators that use it, with nothing to
keep in step by hand. No generator imports another (what one needs of another is in that one's
artifact), so editing a generator's code re-runs its own tasks, and its readers only when the
artifact's bytes change.
"""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path

from dazzle.plugins import Generator

PACKAGE = __name__.rpartition(".")[0]  # generators.django


@cache
def _imported(module: str, path: Path, packages: tuple[str, ...] = (PACKAGE,)) -> frozenset[str]:
    """The modules of ``packages`` that ``module`` (source file ``path``) imports."""
    found: set[str] = set()
    package = module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + [base]
                ).strip(".")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return frozenset(name for name in found if name.startswith(tuple(p + "." for p in packages)))


def _origin(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin).resolve()


@cache
def helper_modules(module: str, packages: tuple[str, ...] = (PACKAGE,)) -> tuple[Path, ...]:
    """The source files of ``module`` and of every module of ``packages`` (this one, unless
    told) it imports, transitively."""
    files: dict[str, Path] = {}
    pending = [module]
    while pending:
        name = pending.pop()
        if name in files:
            continue
        path = _origin(name)
        if path is None:  # a name imported from a module, not a module
            continue
        files[name] = path
        pending.extend(_imported(name, path, packages) - set(files))
    return tuple(sorted(set(files.values())))


class DjangoGenerator(Generator):
    """Base of every generator of the Django stack."""

    stack = "django"

    @classmethod
    def source_files(cls) -> list[Path]:
        return sorted(set(super().source_files()) | set(helper_modules(cls.__module__)))
