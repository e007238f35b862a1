"""The shape of the house, read from the import statements (``import_graph``): no cycles, the
stages of ``dazzle/`` import one way, the front end knows no stack, and a stack's generators
never import one another (what one needs from another comes through an artifact, or from a
shared helper module of the stack such as ``naming``). Imports inside functions count too.
"""

from __future__ import annotations

import tomllib

from tests.house.import_graph import REPO, Graph, cycles, read_graph

# What each stage of dazzle/ may import, besides itself and the ``dazzle`` package (its version).
STAGES = {
    "util": set(),
    "ir": {"util"},
    "syntax": {"util", "ir"},
    "plugins": {"util", "ir"},
    "semantics": {"util", "ir", "syntax", "plugins"},
    "testing": {"util", "ir", "syntax", "plugins", "semantics"},
    "engine": {"util", "ir", "syntax", "plugins", "semantics"},
    "cli": {"util", "ir", "syntax", "plugins", "semantics", "engine"},
}
# What generators and hooks may import of dazzle/: the plugin API and what it speaks in.
PLUGIN_SIDE = {"util", "ir", "plugins"}

GRAPH = read_graph()


def stage(module: str) -> str | None:
    """``dazzle.engine.tasks`` → ``engine``; the ``dazzle`` package itself → None."""
    parts = module.split(".")
    return parts[1] if parts[0] == "dazzle" and len(parts) > 1 else None


def registered_generators() -> dict[str, str]:
    """Module → entry-point name of every generator the project registers."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    groups = data["project"]["entry-points"]
    return {value.split(":")[0]: name for name, value in groups["dazzle.generators"].items()}


def violations(graph: Graph, rule) -> list[str]:
    found = []
    for importer in sorted(graph.modules):
        for imported, line in sorted(graph.imports(importer).items()):
            problem = rule(importer, imported)
            if problem:
                found.append(
                    f"{graph.modules[importer].relative_to(REPO)}:{line}: {importer} → {imported}: {problem}"
                )
    return found


def test_there_is_no_import_cycle():
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_cycles():
    graph = Graph(
        modules={name: REPO / f"{name}.py" for name in ("a", "b", "c", "d")},
        edges={"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}},
    )
    assert cycles(graph) == [["a", "b", "c"]]


def _stage_rule(importer: str, imported: str) -> str | None:
    here, there = stage(importer), stage(imported)
    if importer.startswith("dazzle") and imported.split(".")[0] in ("generators", "hooks"):
        return "the core never imports a stack's generators or hooks (they are plugins)"
    if here is None or there is None or here == there:
        return None
    if there not in STAGES.get(here, set()):
        return f"the {here} stage may import only {', '.join(sorted(STAGES.get(here, ()))) or 'nothing'}"
    return None


def test_the_stages_of_dazzle_import_one_way():
    assert violations(GRAPH, _stage_rule) == []


def test_every_module_of_dazzle_belongs_to_a_stage():
    stray = [m for m in GRAPH.modules if m.startswith("dazzle.") and stage(m) not in STAGES]
    assert stray == []


def _plugin_rule(importer: str, imported: str) -> str | None:
    top = importer.split(".")[0]
    if top not in ("generators", "hooks"):
        return None
    if imported.startswith("dazzle.") and stage(imported) not in PLUGIN_SIDE:
        return f"plugins speak only to {', '.join(sorted(PLUGIN_SIDE))} of dazzle/"
    if top == "hooks" and imported.startswith("generators."):
        return "a hook reads what a generator decided from its artifact (Hook.reads), not its code"
    if top == "generators" and imported.startswith("hooks."):
        return "a generator knows nothing of hooks"
    return None


def test_generators_and_hooks_use_only_the_plugin_api():
    assert violations(GRAPH, _plugin_rule) == []


def test_no_generator_imports_another_generator():
    generators = registered_generators()
    assert generators, "no generator is registered in pyproject.toml"

    def rule(importer: str, imported: str) -> str | None:
        if importer.startswith("generators.") and imported in generators:
            return f"{imported} is the generator {generators[imported]}: read its artifact instead"
        return None

    assert violations(GRAPH, rule) == []


EXTENDS = {
    "django_api": {"django"},  # the API is added to the Django stack's project: its names, its rules
    "openapi": {"django", "django_api"},  # the document describes the django_api stack's API
}
"""A stack that extends another may use that stack's helper modules (naming, plans), never its
generators (``test_no_generator_imports_another_generator``): docs/architecture.md."""


def test_a_stack_imports_no_other_stack():
    def rule(importer: str, imported: str) -> str | None:
        a, b = importer.split("."), imported.split(".")
        if a[0] == b[0] == "generators" and len(a) > 1 and len(b) > 1 and a[1] != b[1]:
            if b[1] in EXTENDS.get(a[1], ()):
                return None
            return "stacks are independent plugins"
        return None

    assert violations(GRAPH, rule) == []
