"""pre_build hook ``check_environment``: the Python versions and the output folder are usable.

Checked before anything is generated, so a bad ``[build] output`` fails with one clear message
instead of half a build: the folder must exist or be creatable, be writable, and must not be
inside a DSL folder (the next parse would read generated files) nor contain one (removing stale
outputs could reach the spec).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from dazzle.plugins import Hook, HookContext, HookResult
from hooks.support import stamp_path, write_if_changed

# DAZZLE itself needs 3.11 (pyproject's requires-python); Django 5.2 runs on 3.10 and later.
DAZZLE_MIN_PYTHON = (3, 11)
PROJECT_MIN_PYTHON = (3, 10)


class CheckEnvironmentHook(Hook):
    name = "check_environment"
    phase = "pre_build"
    doc = "Check the Python version and that the output folder is writable and outside the DSL folders."

    def inputs(self, ctx: HookContext) -> list[Path]:
        toml = ctx.project_dir / "dazzle.toml"
        return [toml] if toml.is_file() else []

    def targets(self, ctx: HookContext) -> list[Path]:
        return [stamp_path(ctx, self.name)]

    def run(self, ctx: HookContext) -> HookResult:
        problems = python_problems(sys.version_info[:3], DAZZLE_MIN_PYTHON, "DAZZLE runs on")
        problems += output_folder_problems(ctx)
        if not problems:
            problems += project_python_problems(ctx.output_dir)
        if problems:
            return HookResult("\n".join(problems), severity="error")
        write_if_changed(
            stamp_path(ctx, self.name),
            f"python {sys.version.split()[0]}\noutput {ctx.output_dir.resolve()}\n",
        )
        return HookResult()


def python_problems(version: tuple[int, ...], minimum: tuple[int, int], what: str) -> list[str]:
    if tuple(version[:2]) >= minimum:
        return []
    have = ".".join(str(v) for v in version)
    need = ".".join(str(v) for v in minimum)
    return [f"{what} Python {have}, but it needs Python {need} or later; install a newer Python and use it."]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def output_folder_problems(ctx: HookContext) -> list[str]:
    configured = ctx.config.build.output
    out = ctx.output_dir.resolve()
    where = f"dazzle.toml: [build] output = {configured!r} ({out})"
    problems = []
    for dsl in ctx.config.paths:
        dsl_dir = (ctx.project_dir / dsl).resolve()
        if _inside(out, dsl_dir):
            problems.append(
                f"{where} is inside the DSL folder {dsl!r}: generated files would be read as spec. "
                f'Choose an output folder outside it, e.g. output = "build".'
            )
        elif _inside(dsl_dir, out):
            problems.append(
                f"{where} contains the DSL folder {dsl!r}: cleaning the output could delete the spec. "
                f'Choose a folder of its own, e.g. output = "build".'
            )
    if problems:
        return problems
    if out.exists() and not out.is_dir():
        return [f"{where} exists but is not a folder; remove it or choose another output folder."]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return [f"{where} cannot be created: {exc.strerror or exc}. Choose a folder you can write to."]
    try:
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        return [
            f"{where} is not writable: {exc.strerror or exc}. Fix its permissions or choose another folder."
        ]
    return []


def project_python_problems(output_dir: Path) -> list[str]:
    """The generated project's own environment, when it has one, must run Django 5.2."""
    python = output_dir / ".venv" / "bin" / "python"
    if not python.exists():
        return []
    try:
        done = subprocess.run(
            [str(python), "-c", "import sys; print(*sys.version_info[:3])"],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        version = tuple(int(v) for v in done.stdout.split())
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return [
            f"{python} does not run; delete {output_dir / '.venv'} and build with --provision to recreate it."
        ]
    if len(version) != 3:
        return [
            f"{python} does not run; delete {output_dir / '.venv'} and build with --provision to recreate it."
        ]
    return python_problems(version, PROJECT_MIN_PYTHON, f"The generated project's environment ({python}) has")
