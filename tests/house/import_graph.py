"""The import graph of the repository's own code (``dazzle``, ``generators``, ``hooks``), read
from the source with ``ast``: every ``import`` statement, at module level or inside a function.

``from a.b import c`` is an edge to ``a.b.c`` when that is a module of the repository, else to
``a.b``. Relative imports are resolved against the importing module's package.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from dazzle.util.graphs import cyclic_components

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("dazzle", "generators", "hooks")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass
class Graph:
    modules: dict[str, Path] = field(default_factory=dict)  # name → source file
    edges: dict[str, dict[str, int]] = field(default_factory=dict)  # importer → {imported: line}

    def is_package(self, name: str) -> bool:
        return self.modules[name].name == "__init__.py"

    def imports(self, name: str) -> dict[str, int]:
        return self.edges.get(name, {})


def _resolve(graph: Graph, importer: str, node: ast.ImportFrom) -> str:
    base = node.module or ""
    if node.level:
        package = importer if graph.is_package(importer) else importer.rpartition(".")[0]
        parts = package.split(".")
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join(p for p in [*parts, base] if p)
    return base


def read_graph() -> Graph:
    graph = Graph()
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            graph.modules[module_name(path)] = path
    for name, path in graph.modules.items():
        found: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(graph, name, node)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in graph.modules else base)
            for target in targets:
                # `import a.b.c` binds a but runs a.b.c: the edge is to the deepest module known
                while target and target not in graph.modules and "." in target:
                    target = target.rpartition(".")[0]
                if target in graph.modules and target != name:
                    found.setdefault(target, node.lineno)
        graph.edges[name] = found
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Every strongly connected component of more than one module, each as a sorted list."""
    return sorted(sorted(c) for c in cyclic_components(sorted(graph.modules), graph.edges) if len(c) > 1)
