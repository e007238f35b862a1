"""The front end as one pipeline: dazzle.toml → the DSL files → parse each → link → validate.

``load_project`` runs all of it; the build engine calls the steps separately (``parse_file``
per parse task, ``build_spec`` in the link task). Whatever goes wrong is reported as one
``ProjectError`` with every problem found, sorted by file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic, ProjectError
from dazzle.semantics.config import dsl_files, load_config
from dazzle.semantics.linker import link_modules
from dazzle.semantics.validate import validate
from dazzle.util.collector import collector_paused


def parse_file(project_dir: Path, relpath: str, default_name: str) -> ir.Module:
    """Parse one DSL file of the project (``relpath`` relative to the project folder)."""
    from dazzle.syntax.parser import parse_module

    path = Path(project_dir) / relpath
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise ProjectError(
            [Diagnostic(f"cannot read {relpath}: {exc.strerror}", file=relpath)], root=project_dir
        ) from None
    return parse_module(source, relpath, default_name)


def stack_checks(spec: ir.AppSpec) -> list[Diagnostic]:
    """The diagnostics of the stack checks (``dazzle.checks`` plugins) of the project's stacks."""
    from dazzle.plugins import registry

    return [d for check in registry.checks(spec.config.build.stacks) for d in check.check(spec)]


def build_spec(
    project_dir: Path, config: ir.ProjectConfig, modules: Sequence[ir.Module]
) -> tuple[ir.AppSpec, list[Diagnostic]]:
    """Link and validate; the spec and its warnings, or a ``ProjectError`` holding every error
    (and the warnings)."""
    if not modules:
        raise _empty_project(project_dir, config)
    with collector_paused():
        spec, link_diagnostics = link_modules(modules, config)
        checks = validate(spec) + stack_checks(spec)
    # A name the linker could not resolve is reported there, with the better message: the
    # validator's own report of it at the same spot is dropped.
    reported_at = {(d.loc.file, d.loc.line, d.loc.column) for d in link_diagnostics if d.loc is not None}
    checks = [
        d
        for d in checks
        if d.loc is None
        or (d.loc.file, d.loc.line, d.loc.column) not in reported_at
        or d.severity == "warning"
    ]
    diagnostics = sorted(link_diagnostics + checks, key=Diagnostic.sort_key)
    if any(d.severity == "error" for d in diagnostics):
        raise ProjectError(diagnostics, root=Path(project_dir))
    return spec, diagnostics


def _empty_project(project_dir: Path, config: ir.ProjectConfig) -> ProjectError:
    folders = ", ".join(f"`{p}`" for p in config.paths)
    return ProjectError(
        [
            Diagnostic(
                f"empty project: no .dsl files under {folders}",
                file=config.paths[0] if len(config.paths) == 1 else "dazzle.toml",
                hint='add a file such as dsl/app.dsl with an `app <name> "<Title>"` line and an entity',
            )
        ],
        root=Path(project_dir),
    )


def parse_all(project_dir: Path, files: Sequence[tuple[str, str]]) -> list[ir.Module]:
    """Every file parsed; the errors of all files that fail are raised together."""
    modules: list[ir.Module] = []
    errors: list[Diagnostic] = []
    for relpath, default_name in files:
        try:
            modules.append(parse_file(project_dir, relpath, default_name))
        except ProjectError as exc:
            errors.extend(exc.diagnostics)
    if errors:
        raise ProjectError(errors, root=Path(project_dir))
    return modules


def load_project(project_dir: Path) -> tuple[ir.AppSpec, list[Diagnostic]]:
    """The whole front end for the project in ``project_dir``: the spec and its warnings."""
    project_dir = Path(project_dir)
    config = load_config(project_dir)
    files = dsl_files(project_dir, config)
    if not files:
        raise _empty_project(project_dir, config)
    with collector_paused():  # one pause for all the steps: see dazzle.util.collector
        modules = parse_all(project_dir, files)
        return build_spec(project_dir, config, modules)
