"""Cycles in a directed graph: the strongly connected components that hold one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def cyclic_components(nodes: Iterable[str], edges: Mapping[str, Iterable[str]]) -> list[set[str]]:
    """The strongly connected components of the graph that hold a cycle — more than one node, or
    one with an edge to itself — in the order Tarjan's algorithm closes them (without recursion,
    so a long chain cannot exhaust the stack). ``edges`` maps a node to the nodes it points at."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def enter(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)

    for root in nodes:
        if root in index:
            continue
        enter(root)
        work = [(root, iter(edges.get(root, ())))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    enter(child)
                    work.append((child, iter(edges.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1 or node in edges.get(node, ()):
                    found.append(group)
    return found
