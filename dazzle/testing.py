"""Run a stack's generators on a spec without doit: the test helper for plugin authors.

    from dazzle.testing import run_generators, spec_from_sources

    spec = spec_from_sources({"dsl/app.dsl": DSL}, toml='[build]\\nstack = "hello"\\n')
    files = run_generators(spec)            # output path → bytes, as a build writes them

- ``load_spec(project_dir)`` and ``spec_from_sources(sources, toml=...)``: a linked spec through
  the real front end (parse, link, validate, the stack checks): a mistake raises ``ProjectError``;
- ``run_generators(spec, stack=None, only=None)``: every generator of the stack (default: the
  spec's ``[build] stack``), in registry order → ``{path: bytes}``; ``run_stack`` gives each
  generator's ``GeneratorRun`` instead (its files, its artifact, which task wrote what);
- ``run_generator(generator, spec, artifacts=None)``: one generator → its ``GeneratorRun``.

Data is handed over as the build engine hands it, so a test fails where the build would: each
slice goes through its JSON (``slice_model.model_validate_json(...)``, as the generate task
reads its slice file: source locations and anything JSON cannot carry are gone); a per-item
generator runs once per item; the artifacts a generator ``reads`` come in the engine's shape,
``{generator name: artifact dict}`` (per-item producer: ``{item: artifact dict}``), through a
pickle round trip (an artifact the build could not store fails here too); generators run in
registry order. Unlike the engine, nothing is written and nothing is incremental.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dazzle.ir import AppSpec
from dazzle.ir.diagnostics import ProjectError
from dazzle.plugins import Generated, GeneratedFile, Generator, registry
from dazzle.util.files import model_json
from dazzle.util.pickles import dumps, loads
from dazzle.util.relpaths import checked_path

__all__ = [
    "DEFAULT_TOML",
    "GeneratorRun",
    "load_spec",
    "run_generator",
    "run_generators",
    "run_stack",
    "spec_from_sources",
]

DEFAULT_TOML = '[project]\nname = "test"\n'


# ---------------------------------------------------------------- specs


def load_spec(project_dir: Path | str) -> AppSpec:
    """The linked, validated spec of the project in ``project_dir`` (raises ``ProjectError``)."""
    from dazzle.semantics.frontend import load_project

    spec, _warnings = load_project(Path(project_dir))
    return spec


def spec_from_sources(
    sources: Mapping[str, str | bytes], toml: str = DEFAULT_TOML, folder: Path | str | None = None
) -> AppSpec:
    """The spec of a project made of ``sources`` (path relative to the project folder, such as
    ``"dsl/app.dsl"`` → text) and ``toml`` (the ``dazzle.toml``; say ``stack = "..."`` under
    ``[build]`` so that the stack's checks run). The files are written to ``folder`` (kept),
    or to a temporary folder; a ``ProjectError`` still shows the offending source lines."""
    if folder is not None:
        return _load_written(Path(folder), sources, toml)
    with tempfile.TemporaryDirectory(prefix="dazzle-test-") as temp:
        try:
            return _load_written(Path(temp), sources, toml)
        except ProjectError as exc:  # the folder goes: keep the lines the messages quote
            raise _with_source_lines(exc) from None


def _load_written(folder: Path, sources: Mapping[str, str | bytes], toml: str) -> AppSpec:
    for rel, content in {"dazzle.toml": toml, **sources}.items():
        path = folder / checked_path(rel)  # the same rule: a source name stays inside the folder
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return load_spec(folder)


def _with_source_lines(exc: ProjectError) -> ProjectError:
    """``exc`` with the source line of each located diagnostic kept in it, read while the files
    are still there."""
    diagnostics = []
    for d in exc.diagnostics:
        if d.loc is not None and d.source_line is None and exc.root is not None:
            try:
                lines = (exc.root / d.loc.file).read_bytes().decode("utf-8-sig", "replace").splitlines()
            except OSError:
                lines = []
            if 1 <= d.loc.line <= len(lines):
                d = dataclasses.replace(d, source_line=lines[d.loc.line - 1])
        diagnostics.append(d)
    return ProjectError(diagnostics)


# ---------------------------------------------------------------- running generators


@dataclass
class GeneratorRun:
    """What one generator produced: ``files`` (output path → ``GeneratedFile``, every item's),
    ``tasks`` (the build's task name → the paths that task writes, e.g.
    ``generate:hello:page:Task``) and ``artifacts`` (as a reader receives it: the artifact
    dict, or item → artifact dict for a per-item generator)."""

    generator: Generator
    files: dict[str, GeneratedFile] = field(default_factory=dict)
    tasks: dict[str, list[str]] = field(default_factory=dict)
    artifacts: Any = None

    @property
    def data(self) -> dict[str, bytes]:
        return {path: f.data for path, f in self.files.items()}


def run_generator(
    generator: Generator | type[Generator] | str,
    spec: AppSpec,
    artifacts: Mapping[str, Any] | None = None,
) -> GeneratorRun:
    """Slice ``spec`` for ``generator`` (an instance, a class, or ``"<stack>.<name>"`` of an
    installed one) and generate. ``artifacts``: what it ``reads``, in the engine's shape; by
    default the installed producers of its stack are run for them."""
    gen = _generator(generator)
    if artifacts is None:
        artifacts = {}
        if gen.reads:
            producers = _with_producers(registry.generators([gen.stack]), [(gen.stack, n) for n in gen.reads])
            artifacts = {r.generator.name: r.artifacts for r in _run_all(producers, spec)}
    missing = [name for name in gen.reads if name not in artifacts]
    if missing:
        raise LookupError(f"generator {gen.task_base} reads {', '.join(missing)}: pass their artifacts")
    # pickled, as the build stores them: what cannot be pickled fails here too
    try:
        stored = dumps({name: artifacts[name] for name in gen.reads})
    except Exception as exc:
        raise TypeError(f"the artifacts given to {gen.task_base} cannot be pickled: {exc}") from exc
    run = GeneratorRun(gen)
    produced: dict[str, Any] = {}
    for item, sliced in _slices(gen, spec).items():
        task = f"generate:{gen.stack}:{gen.name}" + (f":{item}" if item is not None else "")
        result = gen.generate(sliced, loads(stored))  # a fresh copy per task, as each task reads its own
        if not isinstance(result, Generated):
            raise TypeError(f"{task}: generate() returned {type(result).__name__}, not a Generated")
        run.tasks[task] = []
        for f in result.files:
            path = checked_path(f.path)
            if path in run.files:
                raise ValueError(f"{task} produces {path!r} twice")
            run.files[path] = f
            run.tasks[task].append(path)
        try:
            produced[item] = loads(dumps(dict(result.artifacts)))
        except Exception as exc:
            raise TypeError(
                f"{task}: its artifacts cannot be pickled, so the build cannot store them: {exc}"
            ) from exc
    run.artifacts = produced if gen.per_item else produced[None]
    return run


def run_stack(
    spec: AppSpec, stack: str | None = None, only: Iterable[str] | None = None
) -> list[GeneratorRun]:
    """Every generator of ``stack`` (default: the spec's ``[build] stack``, all of them when it
    lists several), in registry order. ``only``: names of the generators whose runs you want
    (the producers they read run too, for their artifacts, but are left out)."""
    stacks = [stack] if stack is not None else list(spec.config.build.stacks)
    gens = registry.generators(stacks)
    if only is None:
        return _run_all(gens, spec)
    names = set(only)
    wanted = {(g.stack, g.name) for g in gens if g.name in names or f"{g.stack}.{g.name}" in names}
    unknown = names - {n for stack_, name in wanted for n in (name, f"{stack_}.{name}")}
    if unknown:
        installed = ", ".join(f"{g.stack}.{g.name}" for g in gens)
        raise LookupError(f"no generator {', '.join(sorted(unknown))}; installed: {installed}")
    runs = _run_all(_with_producers(gens, sorted(wanted)), spec)
    return [r for r in runs if (r.generator.stack, r.generator.name) in wanted]


def run_generators(
    spec: AppSpec, stack: str | None = None, only: Iterable[str] | None = None
) -> dict[str, bytes]:
    """The files of ``run_stack``: output path → bytes. A path two tasks produce is an error."""
    files: dict[str, bytes] = {}
    owner: dict[str, str] = {}
    for run in run_stack(spec, stack, only):
        for task, paths in run.tasks.items():
            for path in paths:
                if path in owner:
                    raise ValueError(f"{path!r} is produced by both {owner[path]} and {task}")
                owner[path] = task
                files[path] = run.files[path].data
    return files


def _run_all(gens: list[Generator], spec: AppSpec) -> list[GeneratorRun]:
    runs: list[GeneratorRun] = []
    done: dict[tuple[str, str], Any] = {}
    for gen in gens:
        reads = {name: done[(gen.stack, name)] for name in gen.reads}
        run = run_generator(gen, spec, reads)
        done[(gen.stack, gen.name)] = run.artifacts
        runs.append(run)
    return runs


def _with_producers(gens: list[Generator], keys: list[tuple[str, str]]) -> list[Generator]:
    """The generators ``keys`` name (stack, name) and every one they read, transitively, in the
    order of ``gens`` (producers first: the registry's order)."""
    by_key = {(g.stack, g.name): g for g in gens}
    needed: set[tuple[str, str]] = set()
    pending = list(keys)
    while pending:
        key = pending.pop()
        if key in needed:
            continue
        if key not in by_key:
            raise LookupError(
                f"the artifacts of {key[0]}.{key[1]} are read, but no such generator is installed"
            )
        needed.add(key)
        pending.extend((key[0], name) for name in by_key[key].reads)
    return [g for g in gens if (g.stack, g.name) in needed]


# ---------------------------------------------------------------- as the engine does it


def _generator(generator: Generator | type[Generator] | str) -> Generator:
    if isinstance(generator, str):
        stack, _, name = generator.partition(".")
        for gen in registry.generators([stack]):
            if gen.name == name:
                return gen
        raise LookupError(f"no generator {generator!r} is installed (entry points `dazzle.generators`)")
    if isinstance(generator, type):
        generator = generator()
    if not isinstance(generator, Generator):
        raise TypeError(f"{generator!r} is not a Generator")
    return generator


def _slices(gen: Generator, spec: AppSpec) -> dict[str | None, Any]:
    """Item → the slice as the generate task reads it back from its file (None: not per-item).
    The checks are the engine's (``dazzle.engine.slices.compute_slices``)."""
    sliced = gen.slice(spec)
    if not gen.per_item:
        if isinstance(sliced, dict):
            raise TypeError(f"generator {gen.task_base} is not per_item: slice() must return one model")
        return {None: gen.slice_model.model_validate_json(model_json(sliced))}
    if not isinstance(sliced, dict):
        raise TypeError(f"generator {gen.task_base} is per_item: slice() must return a dict of items")
    for item in sliced:
        if not str(item).isidentifier():
            raise TypeError(f"generator {gen.task_base}: item name {item!r} is not an identifier")
    return {item: gen.slice_model.model_validate_json(model_json(m)) for item, m in sliced.items()}
