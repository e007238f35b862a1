"""The module linker: parsed modules in, one ``AppSpec`` with global names out.

It owns module names (declared or from the path, each taken once), ``use`` lines (unknown
modules, cycles, aliases), the single ``app`` and its place in the root module, and the
resolution of every name a module writes (``Doctor``, ``staff.Doctor``, ``s.Doctor``) against
what that module may see: its own definitions and those of the modules it uses, not
transitively. The rewriting of the IR with resolved names lives in
``dazzle.semantics.rewrite``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic, ProjectError, did_you_mean
from dazzle.semantics.rewrite import rewrite_module

KIND_WORDS = {
    "entity": "entity",
    "surface": "surface",
    "experience": "experience",
    "service": "service",
    "foreign_model": "foreign model",
    "integration": "integration",
}
COLLECTIONS = {
    "entity": "entities",
    "surface": "surfaces",
    "experience": "experiences",
    "service": "services",
    "foreign_model": "foreign_models",
    "integration": "integrations",
}


@dataclass
class ModuleScope:
    """What one module can name: its own definitions plus those of the modules it uses."""

    module: ir.Module
    plain: list[str] = field(default_factory=list)  # modules used without alias (incl. itself first)
    aliases: dict[str, str] = field(default_factory=dict)  # alias → module


class Linker:
    def __init__(self, modules: Sequence[ir.Module], config: ir.ProjectConfig):
        self.modules = sorted(modules, key=lambda m: m.file)
        self.config = config
        self.diagnostics: list[Diagnostic] = []
        self.by_name: dict[str, ir.Module] = {}
        # kind → module name → names defined there
        self.defined: dict[str, dict[str, set[str]]] = {kind: {} for kind in COLLECTIONS}
        self.scopes: dict[str, ModuleScope] = {}

    def error(self, message: str, loc: ir.Location | None, file: str | None = None, hint: str | None = None):
        self.diagnostics.append(Diagnostic(message, loc=loc, file=None if loc else file, hint=hint))

    # ------------------------------------------------------------- modules and uses

    def collect_modules(self) -> list[ir.Module]:
        """Module names taken once; the later file of a clash is reported and left out."""
        kept = []
        for module in self.modules:
            first = self.by_name.get(module.name)
            if first is not None:
                how = "declares" if module.declared else "is named after its path as"
                self.error(
                    f"{module.file} {how} module `{module.name}`, which {first.file} already is",
                    module.loc if module.declared else None,
                    file=module.file,
                    hint="module names must be unique: rename one (`module <name>` as the first line)",
                )
                continue
            self.by_name[module.name] = module
            kept.append(module)
            for kind, collection in COLLECTIONS.items():
                self.defined[kind][module.name] = {node.name for node in getattr(module, collection)}
        return kept

    def collect_uses(self, modules: list[ir.Module]) -> None:
        for module in modules:
            scope = ModuleScope(module, plain=[module.name])
            seen: set[str] = set()
            for use in module.uses:
                if use.module not in self.by_name:
                    others = [m for m in self.by_name if m != module.name]
                    self.error(
                        f"unknown module `{use.module}` in `use`" + _suffix(did_you_mean(use.module, others)),
                        use.loc,
                        file=module.file,
                        hint=None if others else "this project has no other module",
                    )
                    continue
                if use.module in seen:
                    self.error(f"module `{use.module}` is used twice", use.loc, file=module.file)
                    continue
                seen.add(use.module)
                if use.alias is None:
                    if use.module != module.name:
                        scope.plain.append(use.module)
                elif use.alias in scope.aliases:
                    self.error(
                        f"alias `{use.alias}` is already given to module `{scope.aliases[use.alias]}`",
                        use.where("alias"),
                        file=module.file,
                    )
                else:
                    scope.aliases[use.alias] = use.module
            self.scopes[module.name] = scope

    def check_cycles(self, modules: list[ir.Module]) -> None:
        """One error per cycle of `use` lines, at the use line of its first file (path order)."""
        graph = {m.name: [u.module for u in m.uses if u.module in self.by_name] for m in modules}
        reported: set[frozenset[str]] = set()
        for start in modules:  # path order
            cycle = _find_cycle(graph, start.name)
            if cycle is None or frozenset(cycle) in reported:
                continue
            reported.add(frozenset(cycle))
            first_use = next(u for u in start.uses if u.module == cycle[1])
            self.error(
                "cycle of `use` lines: " + " -> ".join(cycle),
                first_use.loc,
                file=start.file,
                hint="modules may not use each other in a circle: move the shared definitions into one module",
            )

    # ------------------------------------------------------------- names

    def resolve(self, module: str, kind: str, written: str, loc: ir.Location | None, role: str) -> str:
        """The global name ``written`` means in ``module``; on error, ``written`` unchanged."""
        scope = self.scopes.get(module)
        if scope is None:  # a module dropped as a duplicate: its names are not checked again
            return written
        file = scope.module.file
        word = KIND_WORDS[kind]
        if "." in written:
            qualifier, _, base = written.rpartition(".")
            target = scope.aliases.get(qualifier)
            if target is None and qualifier in scope.plain:
                target = qualifier
            if target is None:
                self._bad_qualifier(scope, qualifier, written, loc, role)
                return written
            if base in self.defined[kind].get(target, ()):
                return base
            self._unknown(scope, kind, written, base, loc, role, in_module=target)
            return written
        for candidate in scope.plain:
            if written in self.defined[kind].get(candidate, ()):
                return written
        for alias, target in scope.aliases.items():
            if written in self.defined[kind].get(target, ()):
                self.error(
                    f"{word} `{written}` is in module `{target}`, which this module uses as `{alias}`: "
                    f"write `{alias}.{written}`",
                    loc,
                    file=file,
                )
                return written
        owners = [m for m, names in self.defined[kind].items() if written in names]
        if owners:
            owner = owners[0]
            self.error(
                f"{word} `{written}` is defined in module `{owner}` ({self.by_name[owner].file}), "
                f"which module `{module}` does not use; add `use {owner}`",
                loc,
                file=file,
                hint=f"add the line `use {owner}` near the top of {file}",
            )
            return written
        self._unknown(scope, kind, written, written, loc, role, in_module=None)
        return written

    def _bad_qualifier(self, scope: ModuleScope, qualifier: str, written: str, loc, role: str) -> None:
        file = scope.module.file
        alias_of = {target: alias for alias, target in scope.aliases.items()}
        if qualifier in alias_of:
            self.error(
                f"module `{qualifier}` is used as `{alias_of[qualifier]}`: write "
                f"`{alias_of[qualifier]}.{written.rpartition('.')[2]}`",
                loc,
                file=file,
            )
        elif qualifier in self.by_name:
            self.error(
                f"`{written}` in {role} names module `{qualifier}`, which module `{scope.module.name}` "
                f"does not use; add `use {qualifier}`",
                loc,
                file=file,
                hint=f"add the line `use {qualifier}` near the top of {file}",
            )
        else:
            known = list(scope.aliases) + scope.plain
            self.error(
                f"unknown module `{qualifier}` in `{written}` ({role})"
                + _suffix(did_you_mean(qualifier, known)),
                loc,
                file=file,
            )

    def _unknown(self, scope: ModuleScope, kind, written, base, loc, role, in_module: str | None) -> None:
        word = KIND_WORDS[kind]
        if in_module is not None:
            qualifier = written.rpartition(".")[0]
            pool = {f"{qualifier}.{n}" for n in self.defined[kind].get(in_module, ())}
            where = f" (module `{in_module}`)"
        else:
            pool = {n for m in scope.plain for n in self.defined[kind].get(m, ())}
            pool |= {f"{a}.{n}" for a, m in scope.aliases.items() for n in self.defined[kind].get(m, ())}
            where = ""
        other = self._other_kind(scope, kind, base, in_module)
        if other:
            message = f"`{written}` in {role} is {_article(KIND_WORDS[other])}, not {_article(word)}"
        else:
            message = f"unknown {word} `{written}` in {role}{where}" + _suffix(did_you_mean(written, pool))
        self.error(message, loc, file=scope.module.file)

    def _other_kind(self, scope: ModuleScope, kind: str, name: str, in_module: str | None) -> str | None:
        modules = [in_module] if in_module else scope.plain
        for other in COLLECTIONS:
            if other != kind and any(name in self.defined[other].get(m, ()) for m in modules):
                return other
        return None

    # ------------------------------------------------------------- the app

    def find_app(self, modules: list[ir.Module]) -> ir.App | None:
        with_app = [m for m in modules if m.app is not None]
        root = self.config.root
        if root is not None and root not in self.by_name:
            self.error(
                f"[project] root names module `{root}`, which no .dsl file is"
                + _suffix(did_you_mean(root, self.by_name)),
                self.config.locs.get("project.root"),
                file="dazzle.toml",
            )
            root = None
        if not with_app:
            where = self.by_name[root].file if root else (modules[0].file if modules else "dazzle.toml")
            self.error(
                "no `app` line in the project",
                None,
                file=where,
                hint='add `app <name> "<Title>"` to the root module' + (f" `{root}`" if root else ""),
            )
            return None
        for extra in with_app[1:]:
            self.error(
                f"a second `app` line: the project already has `app {with_app[0].app.name}` in {with_app[0].file}",
                extra.app.loc,
                file=extra.file,
                hint="a project has exactly one `app`, in its root module",
            )
        first = with_app[0]
        if root is not None and first.name != root:
            self.error(
                f"`app` must be in the root module `{root}` ([project] root in dazzle.toml), "
                f"not in module `{first.name}`",
                first.app.loc,
                file=first.file,
            )
        return first.app


def _find_cycle(graph: dict[str, list[str]], start: str) -> list[str] | None:
    """A path start -> ... -> start through the use graph, or None (depth first, in use order)."""
    stack = [(start, iter(graph.get(start, ())))]
    path = [start]
    visited = {start}
    while stack:
        _, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            path.pop()
            continue
        if child == start:
            return path + [start]
        if child not in visited:
            visited.add(child)
            stack.append((child, iter(graph.get(child, ()))))
            path.append(child)
    return None


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _suffix(hint: str | None) -> str:
    return f"; {hint}" if hint else ""


def link_modules(
    modules: Sequence[ir.Module], config: ir.ProjectConfig
) -> tuple[ir.AppSpec, list[Diagnostic]]:
    """Link without raising: the spec (names resolved where they could be) and every problem.

    When the project has no ``app``, a stand-in named after the project is used so that the
    rest can still be validated; the missing app is among the diagnostics."""

    linker = Linker(modules, config)
    kept = linker.collect_modules()
    linker.collect_uses(kept)
    linker.check_cycles(kept)
    app = linker.find_app(kept)
    if app is None:
        app = ir.App.trusted(name=config.name or "app")
    parts: dict[str, list] = {collection: [] for collection in COLLECTIONS.values()}
    for module in kept:
        rewritten = rewrite_module(module, linker.resolve)
        for collection in COLLECTIONS.values():
            parts[collection].extend(getattr(rewritten, collection))
    # Every part is already an IR node of its exact type: no validation needed (see Node.trusted).
    spec = ir.AppSpec.trusted(
        name=config.name or app.name,
        version=config.version,
        app=app,
        config=config,
        modules=tuple(m.name for m in kept),
        **{collection: tuple(nodes) for collection, nodes in parts.items()},
    )
    return spec, linker.diagnostics


def link(modules: Sequence[ir.Module], config: ir.ProjectConfig) -> ir.AppSpec:
    """The linked ``AppSpec``; raises ``ProjectError`` with every linking error."""
    spec, diagnostics = link_modules(modules, config)
    if any(d.severity == "error" for d in diagnostics):
        raise ProjectError(diagnostics)
    return spec
