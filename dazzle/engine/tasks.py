"""The doit task graph of one project: task creators and ``DOIT_CONFIG`` as a namespace that
``dodo.py`` (``globals().update(...)``) or doit's ``ModuleTaskLoader`` loads.

    parse:<file>          one per DSL file → .dazzle/modules/<file>.pickle
    link                  dazzle.toml + module pickles → spec.json, slices, index
    pre_build:<hook>      before the generators
    generate:<stack>:<generator>[:<item>]   created after link, from the slice index; each
                          depends on its slice and its generator's templates and sources
                          (through one code stamp for the tasks of a per-item generator) and
                          stages its files in .dazzle/stage/ (never the output folder)
    merge                 the staged files through the stage hooks, merged with the user's
                          files → the pending changeset (targets: the output files)
    pre_commit:<hook>     checks of the pending commit (may refuse it, or add files)
    commit                the changeset applied to the output folder, as one step
    post_build:<hook>     after the commit
    build                 the default task: all of the above, then fails if conflicts remain

The creators work from *facts* (``plan.py``: fresh, or from the plan cache when nothing they
were computed from changed), the slice index and ``outputs.json`` — never from the IR. With no
IR yet (``doit list``, ``info``, ``clean`` on a fresh project, where doit does not delay
creation) the generate stage simply has no sub-tasks. A project that cannot be read (a mistake
in ``dazzle.toml``, a broken plugin) gets one failing task that shows the rendered error.
"""

from __future__ import annotations

from pathlib import Path

from doit import create_after
from doit.tools import config_changed

from dazzle import __version__
from dazzle.engine import actions
from dazzle.engine import plan as facts_mod
from dazzle.engine.clean import clean_generated, clean_state
from dazzle.engine.index import read_index
from dazzle.engine.paths import Layout, flat_name, generator_key, task_name_of
from dazzle.engine.phase_tasks import PhaseTasks
from dazzle.engine.report import DazzleReporter, register_engine
from dazzle.util.files import (
    canonical_json,
    file_identity,
    read_bytes,
    read_json_shared,
    sha256,
    write_atomic,
)

PHASES = ("pre_build", "stage", "pre_commit", "post_build")  # stage hooks run inside the merge task


class Engine(PhaseTasks):
    """Builds the task dicts of one project (``layout``); one instance serves every doit run of
    a process (``dazzle watch`` rebuilds in one process)."""

    def __init__(
        self, layout: Layout, force: bool = False, provision: bool = False, allow_data_loss: bool = False
    ):
        self.layout = layout
        self.force = force
        self.provision = provision
        self.options = {"force": force, "provision": provision, "allow_data_loss": allow_data_loss}
        self.meta = layout.to_meta()
        self.facts: facts_mod.Facts | None = None
        self.plan: dict | None = None
        register_engine(self)

    # ---- facts, once per doit run

    def load_facts(self) -> facts_mod.Facts:
        """(Re)read the facts: from the plan when it is still valid, else computed fresh."""
        self.plan = facts_mod.load_plan(self.layout, self.provision)
        if self.plan is not None:
            self.facts = self.plan["facts"]
        else:
            self.facts = facts_mod.compute_facts(self.layout, self.provision)
        return self.facts

    def current_facts(self) -> facts_mod.Facts:
        return self.facts if self.facts is not None else self.load_facts()

    def hook_decls(self, phase: str) -> list[dict]:
        plan = self.plan
        if plan is not None and plan.get("hook_stamp") == facts_mod.hook_stamp(self.layout):
            return plan["hooks"].get(phase, [])
        return facts_mod.compute_hook_decls(self.layout, phase, self.options)

    def finish_run(self, executed: list[str]) -> None:
        """After a build: save the plan when what it holds may have changed, so that the next
        no-op build reads it instead of importing every plugin."""
        facts = self.facts
        if facts is None or facts.error:
            return
        always = set()
        if self.plan is not None:
            always = {d["name"] for phase in PHASES for d in self.plan["hooks"].get(phase, []) if d["always"]}
        hooks_ran = any(
            n.split(":", 1)[0] in PHASES and n.split(":", 1)[1] not in always for n in executed if ":" in n
        )
        if (
            self.plan is not None
            and not hooks_ran
            and self.plan.get("hook_stamp") == facts_mod.hook_stamp(self.layout)
        ):
            return
        try:
            decls = {p: facts_mod.compute_hook_decls(self.layout, p, self.options) for p in PHASES}
        except Exception:  # noqa: BLE001 - a broken hook fails its own task next build; no plan then
            return
        facts_mod.save_plan(self.layout, facts, decls, self.provision)

    # ---- creators

    def parse_tasks(self):
        facts = self.load_facts()  # the first creator of every doit run
        if facts.error and not facts.dsl:
            yield self._failing("dazzle.toml", facts.error)
            return
        for relpath, default_name in facts.dsl:
            yield {
                "name": relpath,
                "doc": f"parse {relpath}",
                "actions": [(actions.parse, [self.meta, relpath, default_name])],
                "file_dep": [str(self.layout.dsl_file(relpath))],
                "targets": [str(self.layout.module_pickle(relpath))],
                "uptodate": [config_changed(f"{__version__}|{default_name}")],
                "clean": [(clean_state, [[self.layout.module_pickle(relpath)], self.layout.state_dir])],
            }

    def link_task(self) -> dict:
        facts = self.current_facts()
        layout = self.layout
        task = {
            "basename": "link",
            "doc": "link the modules, validate the spec, write one slice per generator task",
            "actions": [(actions.link, [self.meta])],
            "task_dep": ["parse"],
            "meta": {"dazzle": self.meta},
            "verbosity": 1,
        }
        if facts.error:
            if facts.dsl:  # the DSL is fine but a plugin is broken: link says so
                task["actions"] = [(actions.fail, [facts.error])]
            return task
        slice_files = []
        index = read_index(layout)
        if index is not None:
            slices = f"{layout.slices_dir}/"  # plain strings: path objects cost over hundreds of tasks
            slice_files = [f"{slices}{k}.json" for entry in index.values() for k in entry.keys]
        state_files = [layout.spec_json, layout.slice_index]
        task["file_dep"] = (
            [str(layout.config_file)]
            + [str(layout.module_pickle(rel)) for rel, _ in facts.dsl]
            + facts.sources
        )
        task["targets"] = [str(p) for p in state_files] + slice_files
        state_files.append(layout.ir_pickle)  # written on demand (see link.load_spec): cleaned only
        bases = ",".join(f"{g.stack}:{g.name}" for g in facts.generators)
        task["uptodate"] = [config_changed(f"{__version__}|{bases}")]
        task["clean"] = [
            (
                clean_state,
                [
                    state_files
                    + [layout.slices_dir, layout.plan_file, layout.outputs_index, layout.state_dir / "code"],
                    layout.state_dir,
                ],
            )
        ]
        return task

    def generate_tasks(self):
        facts = self.current_facts()
        if facts.error:
            return
        layout = self.layout
        index = read_index(layout) or {}
        outputs = read_json_shared(layout.outputs_index, {}) or {}
        stacks = list(facts.stacks)
        stage = f"{layout.state_dir}/stage/"
        pre_build = [f"pre_build:{name}" for name in facts.hooks.get("pre_build", [])]
        version = str(self._version_stamp())
        # plain strings: path objects cost too much over thousands of tasks
        slices = f"{layout.slices_dir}/"
        artifacts = f"{layout.state_dir}/artifacts/"
        manifests = f"{layout.state_dir}/manifest/"
        for gen in facts.generators:
            entry = index.get(generator_key(gen.stack, gen.name))
            if entry is None:
                continue
            # one task: its files themselves (as `doit info` shows them); hundreds of tasks: the stamp
            common = [version] + ([self._code_stamp(gen)] if entry.per_item else gen.deps)
            for name in gen.reads:
                producer = index.get(generator_key(gen.stack, name))
                if producer is not None:
                    common += [f"{artifacts}{k}.pickle" for k in producer.keys]
            for item in entry.items if entry.per_item else (None,):
                key = generator_key(gen.stack, gen.name, item)
                name = task_name_of(key)
                yield {
                    "name": name[len("generate:") :],
                    "doc": gen.doc,
                    "actions": [(actions.generate, [self.meta, stacks, gen.stack, gen.name, item])],
                    "file_dep": [f"{slices}{key}.json"] + common,
                    "targets": [f"{artifacts}{key}.pickle", f"{manifests}{key}.json"]
                    + [f"{stage}{key}/{flat_name(rel)}" for rel in outputs.get(name, ())],
                    "task_dep": pre_build,
                    "clean": [(clean_generated, [self.meta, key])],
                    "verbosity": 1,
                }

    def _version_stamp(self) -> Path:
        stamp = self.layout.version_stamp
        text = f"dazzle {__version__}\n".encode()
        try:
            current = stamp.read_bytes()
        except OSError:
            current = None
        if current != text:
            write_atomic(stamp, text)
        return stamp

    def _code_stamp(self, gen: facts_mod.GeneratorFacts) -> str:
        """Write the generator's code stamp (``Layout.code_stamp``) when a template or source
        changed content; a few dozen small files, checked on every build — read again only when
        their stat changed (the hashes by stat are kept beside the stamp)."""
        stamp = self.layout.code_stamp(gen.stack, gen.name)
        by_stat_file = stamp.with_name(stamp.name + ".stats")
        known = read_json_shared(by_stat_file, {}) or {}
        hashes, by_stat = {}, {}
        for dep in gen.deps:
            st = file_identity(dep)
            cached = known.get(dep)
            if st is not None and cached is not None and cached[:3] == st:
                hashes[dep] = cached[3]
            else:
                data = read_bytes(Path(dep))
                hashes[dep] = sha256(data) if data is not None else None
            if st is not None:
                by_stat[dep] = [*st, hashes[dep]]
        write_atomic(stamp, canonical_json(hashes))
        if by_stat != known:
            write_atomic(by_stat_file, canonical_json(by_stat))
        return str(stamp)

    def _failing(self, name: str, message: str) -> dict:
        return {"name": name, "doc": "the project cannot be read", "actions": [(actions.fail, [message])]}

    # ---- the namespace doit loads

    def namespace(self) -> dict:
        engine = self

        def task_parse():
            """Parse each DSL file into its module (one sub-task per file)."""
            yield from engine.parse_tasks()

        def task_link():
            """Link and validate the modules; write the IR and the generators' slices."""
            return engine.link_task()

        def task_pre_build():
            """Hooks that run before the generators."""
            yield from engine.hook_tasks("pre_build")

        @create_after(executed="link")
        def task_generate():
            """Run the generators (one sub-task per generator, or per item such as an entity)."""
            yield from engine.generate_tasks()

        @create_after(executed="generate")
        def task_merge():
            """Format the generated files and merge them with your edits into the pending commit."""
            return engine.merge_task() or {"actions": None}

        @create_after(executed="merge")
        def task_pre_commit():
            """Hooks that check the pending commit (e.g. the migrations it needs)."""
            yield from engine.hook_tasks("pre_commit")

        @create_after(executed="pre_commit")
        def task_commit():
            """Apply the pending commit to the output folder."""
            return engine.commit_task() or {"actions": None}

        @create_after(executed="commit")
        def task_post_build():
            """Hooks that run after the commit."""
            yield from engine.hook_tasks("post_build")

        def task_build():
            """Build the project: parse, link, generate, merge, commit, hooks (the default task)."""
            return {
                "actions": [(actions.check_conflicts, [engine.meta])],
                "task_dep": [
                    "parse",
                    "link",
                    "pre_build",
                    "generate",
                    "merge",
                    "pre_commit",
                    "commit",
                    "post_build",
                ],
            }

        self.layout.state_dir.mkdir(parents=True, exist_ok=True)
        return {
            "DOIT_CONFIG": {
                "backend": "sqlite3",
                "dep_file": str(self.layout.dep_file),
                "default_tasks": ["build"],
                "reporter": DazzleReporter,
                "continue": True,
            },
            "DAZZLE_ENGINE": self,
            "task_parse": task_parse,
            "task_link": task_link,
            "task_pre_build": task_pre_build,
            "task_generate": task_generate,
            "task_merge": task_merge,
            "task_pre_commit": task_pre_commit,
            "task_commit": task_commit,
            "task_post_build": task_post_build,
            "task_build": task_build,
        }


def output_dir_for(project_dir: Path) -> Path:
    """The configured output folder (``[build] output``), or ``build/`` when ``dazzle.toml``
    cannot be read yet (the parse task then reports why). Read without the full config checker:
    it runs on every build, and the checker imports the IR."""
    import tomllib

    try:
        data = tomllib.loads((Path(project_dir) / "dazzle.toml").read_text("utf-8-sig"))
        output = data.get("build", {}).get("output", "build")
    except (OSError, ValueError, AttributeError):
        output = "build"
    usable = isinstance(output, str) and output.strip() and "\x00" not in output  # else link reports it
    return Path(project_dir) / (output if usable else "build")
