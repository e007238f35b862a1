"""The two plugin kinds — generators and hooks — as plain objects that know nothing of doit.

A **generator** picks its slice of the IR (``slice``) and turns it into files and artifacts
(``generate``). The engine alone maps generators to doit tasks: a slice is written as canonical
JSON, and the generate task depends only on that file, the generator's templates and its source.

A **hook** has a place in the build (``phase``): ``pre_build`` (before the generators),
``stage`` (rewrites the generated files before they reach the output folder: the formatter),
``pre_commit`` (checks what the commit is about to write, may refuse it or add files: the
migrations) or ``post_build`` (after the output folder holds the new version). It declares its
``inputs`` and ``targets`` and reports one ``HookResult``.

A **stack check** adds a stack's own rules to ``dazzle check`` (names its generated code cannot
use), so that a spec the stack cannot build is rejected with a location before any build.

All are found through entry points (``dazzle.generators``, ``dazzle.hooks``, ``dazzle.checks``);
an entry point names a class or a zero-argument factory returning an instance.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

from dazzle.ir import AppSpec, ProjectConfig
from dazzle.ir.diagnostics import Diagnostic
from dazzle.util.relpaths import OutputPathError, checked_path  # noqa: F401 - part of the API


@dataclass(frozen=True)
class GeneratedFile:
    """One file a generator produces. ``path`` is relative to the output folder, with ``/``.

    ``user_owned`` files are written only when absent and then belong to the user: the engine
    never overwrites, reports or deletes them (e.g. a module the user fills in)."""

    path: str
    content: str | bytes
    executable: bool = False
    user_owned: bool = False

    @property
    def data(self) -> bytes:
        return self.content.encode("utf-8") if isinstance(self.content, str) else self.content


@dataclass
class Generated:
    """What ``Generator.generate`` returns."""

    files: list[GeneratedFile] = field(default_factory=list)
    artifacts: dict[str, Any] = field(default_factory=dict)


class Generator:
    """Base class for generators. Subclasses set the class attributes and implement
    ``slice`` and ``generate``.

    - ``slice(spec)`` returns one pydantic model (the generator runs once), or a dict of
      item name → model (one task per item, e.g. per entity). Item names are identifiers.
    - ``generate(slice, artifacts)`` receives an instance of ``slice_model`` (re-read from the
      slice file) and the artifacts of the generators named in ``reads``: a mapping of generator
      name → that generator's artifact dict (for a per-item generator: item → artifact dict).
    """

    name: ClassVar[str]
    stack: ClassVar[str]
    doc: ClassVar[str] = ""
    slice_model: ClassVar[type[BaseModel]]
    per_item: ClassVar[bool] = False
    reads: ClassVar[tuple[str, ...]] = ()
    # Folder of jinja2 templates, relative to the module's folder (None: no templates).
    templates: ClassVar[str | None] = None

    def slice(self, spec: AppSpec) -> BaseModel | dict[str, BaseModel]:
        raise NotImplementedError

    def generate(self, slice: BaseModel, artifacts: Mapping[str, Any]) -> Generated:
        raise NotImplementedError

    # ---- helpers the engine uses to compute dependencies

    @classmethod
    def source_files(cls) -> list[Path]:
        """The module defining the generator (and its base classes inside this package)."""
        files = []
        for klass in cls.__mro__:
            if klass in (Generator, object):
                continue
            try:
                files.append(Path(inspect.getfile(klass)).resolve())
            except (TypeError, OSError):
                continue
        return sorted(set(files))

    @classmethod
    def template_dir(cls) -> Path | None:
        if cls.templates is None:
            return None
        return (Path(inspect.getfile(cls)).resolve().parent / cls.templates).resolve()

    @classmethod
    def template_files(cls) -> list[Path]:
        folder = cls.template_dir()
        if folder is None or not folder.is_dir():
            return []
        return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)

    @property
    def task_base(self) -> str:
        return f"{self.stack}:{self.name}"


Severity = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class HookResult:
    """The one channel through which a hook reports. ``error`` stops the build (before the
    commit, for ``stage`` and ``pre_commit`` hooks: then no output changes)."""

    message: str = ""
    severity: Severity = "info"
    artifacts: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False  # the hook could not apply here (e.g. no Django); not a failure
    files: dict[str, bytes] | None = None  # a stage hook's rewritten files (output path → bytes)


class PendingCommit:
    """What a ``pre_commit`` hook sees of the commit about to happen (``HookContext.pending``).
    Paths are relative to the output folder, with ``/``."""

    def content(self, path: str) -> bytes | None:
        """What the output file will hold after the commit (None: it will not exist). A file the
        commit writes with conflict markers is given as generated: a check sees code that runs."""
        raise NotImplementedError

    def changed(self) -> list[str]:
        """The output files the commit writes or removes."""
        raise NotImplementedError

    def materialize(self, folder: Path, suffixes: tuple[str, ...] = ()) -> Path:
        """Copy the output folder as it will be after the commit into ``folder`` (environments,
        caches and databases left out; with ``suffixes``, only the files whose names end so) and
        return it: for a check that must run the result. Files may be hard links to the output
        folder's: add files to the copy, never write into its files."""
        raise NotImplementedError

    def add(self, path: str, data: bytes) -> None:
        """A new file for the commit to create (e.g. a migration). It is never overwritten
        afterwards and is not tracked as a generated file."""
        raise NotImplementedError


@dataclass
class HookContext:
    """What a hook may look at. Paths are absolute."""

    project_dir: Path
    output_dir: Path
    state_dir: Path  # .dazzle/
    config: ProjectConfig
    spec: AppSpec | None = None  # the linked IR when the hook needs_spec (no locations in inputs())
    artifacts: dict[str, Any] = field(default_factory=dict)  # producer name → artifact dict
    force: bool = False
    options: dict[str, Any] = field(
        default_factory=dict
    )  # e.g. {"provision": True, "allow_data_loss": False}
    pending: PendingCommit | None = None  # for pre_commit hooks: the commit about to happen


class Hook:
    """Base class for hooks. ``stack`` is None for hooks that apply to any stack.
    ``opt_in`` hooks run only when enabled in ``dazzle.toml [hooks] enable``."""

    name: ClassVar[str]
    phase: ClassVar[Literal["pre_build", "stage", "pre_commit", "post_build"]]
    stack: ClassVar[str | None] = None
    doc: ClassVar[str] = ""
    opt_in: ClassVar[bool] = False
    reads: ClassVar[tuple[str, ...]] = ()  # artifacts (generator or hook names) it reads
    needs_spec: ClassVar[bool] = False

    def spec_key(self, spec: AppSpec) -> Any:
        """For a ``needs_spec`` hook: the part of the spec whose change makes it run again (any
        JSON-able value). None, the default, means the whole spec: then any edit of the spec,
        even a label, re-runs the hook."""
        return None

    def inputs(self, ctx: HookContext) -> list[Path]:
        """Files whose change makes the hook run again."""
        return []

    def targets(self, ctx: HookContext) -> list[Path]:
        """Files the hook produces; missing targets make it run again."""
        return []

    def run(self, ctx: HookContext) -> HookResult:
        """What a pre_build, pre_commit or post_build hook does."""
        raise NotImplementedError

    def transform(self, ctx: HookContext, files: dict[str, bytes]) -> HookResult:
        """What a stage hook does: ``files`` are generated files that changed (output path →
        bytes); return the ones it rewrites in ``HookResult.files``. Runs in the build's merge
        step, so the result is what the output folder gets and what later merges start from."""
        raise NotImplementedError

    def setup(self, ctx: HookContext) -> Any:
        """For a stage hook: what besides the files decides its output (a tool's version, its
        configuration), as JSON-able data. When it changes, every generated file goes through
        the hook again."""
        return None

    @classmethod
    def source_files(cls) -> list[Path]:
        return [Path(inspect.getfile(cls)).resolve()]


class StackCheck:
    """Base class for a stack's own rules over a linked spec, run by ``dazzle check`` and by the
    build's link task for projects that build with ``stack``. ``check`` returns diagnostics
    (errors and warnings) at the most precise location it has. Register it under the entry-point
    group ``dazzle.checks`` as ``<stack>.<name>``."""

    name: ClassVar[str]
    stack: ClassVar[str]

    def check(self, spec: AppSpec) -> Iterable[Diagnostic]:
        raise NotImplementedError


class DevError(Exception):
    """A dev server could not do what ``dazzle dev`` asked (no Python with the stack's
    packages, a migration refused, a server that did not start); the message says why."""


@dataclass
class DevContext:
    """What ``dazzle dev`` hands a stack's dev server: the folders, where to listen, and where
    the development-only files live (``dev_dir``, inside ``.dazzle/``: nothing there reaches
    the output folder). ``status_file`` is the JSON that ``dazzle dev`` rewrites after each
    build (``{"build": n, "error": text or null}``); open pages follow it (``live_reload_js``)."""

    project_dir: Path
    output_dir: Path
    state_dir: Path
    dev_dir: Path
    status_file: Path
    host: str
    port: int
    say: Any = print  # one line for the terminal


class DevServer:
    """Base class for what ``dazzle dev`` runs for a stack: its development server, kept in step
    with each build. Register it under the entry-point group ``dazzle.dev`` as the stack's
    name. Every page the server sends in HTML must load ``live_reload_js`` (the server injects
    it; nothing of it is written to the output folder).

    ``start`` brings the app up (the database migrated, the server listening); ``refresh`` is
    called after each build, and after the user changed files in the output folder, with the
    output paths that changed: it migrates, restarts or does nothing, as those need, and
    returns what it did (lines for the terminal); ``stop`` stops everything it started. Each
    raises ``DevError`` with a message for the person when it cannot."""

    stack: ClassVar[str]

    def start(self, ctx: DevContext) -> list[str]:
        raise NotImplementedError

    def refresh(self, ctx: DevContext, changed: list[str]) -> list[str]:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def login_hint(self, ctx: DevContext) -> str:
        """Where the person finds how to sign in (shown beside the URL); "" if nowhere."""
        return ""
