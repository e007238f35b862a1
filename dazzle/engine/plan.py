"""What the task creators need to know, and the plan cache that spares a no-op build from
computing it.

*Facts* are the configured stacks, the DSL files, each generator's metadata (doc, per-item,
reads, template and source files) and the selected hooks. Computing them imports pydantic, the
IR and every plugin module; *hook declarations* (each hook's inputs and targets) may also read
the linked spec and walk the output folder. Both are saved in ``.dazzle/plan.json`` with a
fingerprint of what they were computed from (stats of ``dazzle.toml``, the DSL listing,
generator sources and template folders, the installed packages' folders), and the hook
declarations with a stamp of the spec and of the last change to the output folder. A build
whose fingerprint matches reads the plan instead: no plugin, pydantic or IR import at all.

Known limit: a file the user adds by hand to the output folder is seen by a hook's ``inputs``
only at the next build that changes something.
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dazzle import __version__
from dazzle.engine.paths import Layout
from dazzle.util.files import canonical_json, file_stamp, read_json, write_atomic

PLAN_FORMAT = 1


@dataclass
class GeneratorFacts:
    stack: str
    name: str
    doc: str
    per_item: bool
    reads: list[str]
    deps: list[str]  # template and source files (absolute)
    template_dirs: list[str]  # every folder of its template tree: a new template changes one


@dataclass
class Facts:
    stacks: list[str] = field(default_factory=list)
    dsl_dirs: list[str] = field(default_factory=list)
    dsl: list[list[str]] = field(default_factory=list)  # [relpath, default module name]
    generators: list[GeneratorFacts] = field(default_factory=list)
    hooks: dict[str, list[str]] = field(default_factory=dict)  # phase → selected hook names
    error: str | None = None  # the rendered reason the project cannot be read

    @property
    def sources(self) -> list[str]:
        return sorted({d for g in self.generators for d in g.deps if d.endswith(".py")})

    @classmethod
    def from_json(cls, data: dict) -> Facts:
        gens = [GeneratorFacts(**g) for g in data.pop("generators")]
        return cls(generators=gens, **data)


def compute_facts(layout: Layout, provision: bool) -> Facts:
    """The facts, fresh. A mistake in ``dazzle.toml`` or a broken plugin becomes ``error``."""
    from dazzle.ir.diagnostics import ProjectError
    from dazzle.plugins.registry import PluginError
    from dazzle.plugins.selection import generators_for, selected_hooks
    from dazzle.semantics import config as project

    try:
        config = project.load_config(layout.project_dir)
        files = project.dsl_files(layout.project_dir, config)
    except ProjectError as exc:
        return Facts(error=exc.render())
    facts = Facts(
        stacks=list(config.build.stacks),
        dsl_dirs=[os.path.normpath(layout.project_dir / p) for p in config.paths],
        dsl=[[rel, name] for rel, name in files],
    )
    try:
        for gen in generators_for(tuple(config.build.stacks)):
            templates = gen.template_dir()
            dirs = []
            if templates is not None and templates.is_dir():
                dirs = [str(templates)] + sorted(str(p) for p in templates.rglob("*") if p.is_dir())
            deps = sorted({str(p) for p in gen.template_files()} | {str(p) for p in gen.source_files()})
            facts.generators.append(
                GeneratorFacts(gen.stack, gen.name, gen.doc, gen.per_item, list(gen.reads), deps, dirs)
            )
        hooks = selected_hooks(config, provision)
    except PluginError as exc:
        facts.error = f"error: {exc}"
        return facts
    facts.hooks = {
        phase: [h.name for h in hooks if h.phase == phase]
        for phase in ("pre_build", "stage", "pre_commit", "post_build")
    }
    return facts


def compute_hook_decls(layout: Layout, phase: str, options: dict) -> list[dict]:
    """Each selected hook of ``phase``: name, doc, file_dep, targets, whether it always runs."""
    from dazzle.engine.hooks import hook_declaration
    from dazzle.engine.link import load_spec_json
    from dazzle.plugins.selection import selected_hooks
    from dazzle.semantics import config as project

    config = project.load_config(layout.project_dir)
    selected = selected_hooks(config, bool(options.get("provision")))
    by_name = {h.name: h for h in selected}
    hooks = [h for h in selected if h.phase == phase]
    spec = load_spec_json(layout) if any(h.needs_spec for h in hooks) else None
    return [hook_declaration(layout, config, h, by_name, options, spec) for h in hooks]


# ---------------------------------------------------------------- fingerprints


def dsl_listing(layout: Layout, dsl_dirs: list[str]) -> list[str]:
    found = set()
    for folder in dsl_dirs:
        for root, _dirs, names in os.walk(folder):
            for name in names:
                if name.endswith(".dsl"):
                    found.add(Path(os.path.relpath(os.path.join(root, name), layout.project_dir)).as_posix())
    return sorted(found)


def fingerprint(layout: Layout, facts: Facts, provision: bool) -> dict:
    # the DSL folders' own stats are left out: saving a file replaces it in its folder (a new
    # mtime) on most editors, and which files there are is the "dsl" listing below
    watched = [str(layout.config_file)]
    watched += installation_folders()
    for gen in facts.generators:
        watched += [d for d in gen.deps if d.endswith(".py")] + gen.template_dirs
    return {
        "dazzle": __version__,
        "python": sys.version,
        "provision": provision,
        "stats": {p: file_stamp(p) for p in sorted(set(watched))},
        "dsl": dsl_listing(layout, facts.dsl_dirs),
    }


def installation_folders() -> list[str]:
    """The folders of ``sys.path`` that hold installed distributions (where entry points come
    from; installing or removing a package changes the folder). Not the others: the first one
    is the running script's folder, which differs between `dazzle build` (the environment's
    ``bin/``) and `doit build` (the project), and would make each invalidate the other's plan."""
    found = []
    for path in dict.fromkeys(os.path.abspath(p or ".") for p in sys.path):
        try:
            names = os.listdir(path)
        except OSError:
            continue
        if any(name.endswith((".dist-info", ".egg-info", ".egg-link")) for name in names):
            found.append(path)
    return found


def hook_stamp(layout: Layout) -> list:
    return [file_stamp(str(layout.spec_json)), file_stamp(str(layout.outputs_changed))]


# ---------------------------------------------------------------- the plan file


def load_plan(layout: Layout, provision: bool) -> dict | None:
    """The saved plan, if what it was computed from is unchanged."""
    plan = read_json(layout.plan_file)
    if not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT:
        return None
    try:
        facts = Facts.from_json(dict(plan["facts"]))
    except (KeyError, TypeError):
        return None
    if plan.get("fingerprint") != fingerprint(layout, facts, provision):
        return None
    plan["facts"] = facts
    return plan


def save_plan(layout: Layout, facts: Facts, hooks: dict[str, list[dict]], provision: bool) -> None:
    plan = {
        "format": PLAN_FORMAT,
        "fingerprint": fingerprint(layout, facts, provision),
        "facts": asdict(facts),
        "hooks": hooks,
        "hook_stamp": hook_stamp(layout),
    }
    write_atomic(layout.plan_file, canonical_json(plan))
