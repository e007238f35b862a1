"""post_build hook ``format_code``: the generated Python formatted by ``ruff format``.

ruff's formatter is black-compatible; it runs with its defaults (``--isolated``: a
``pyproject.toml`` in some parent folder must not change what is generated) unless the
generated project carries its own ruff configuration. Migration files are left alone (they are
never rewritten), and so are files the user has edited (``HookContext.is_pristine``). Every
file it changes is recorded (``HookContext.record``) so that the manifest holds the formatted
bytes and the next build is still a no-op.

Its target is a stamp; hooks that read generated files list it (``after_formatting``) so that
they run after it and see the formatted bytes — otherwise the next build would find their
inputs changed.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from dazzle.plugins import Hook, HookContext, HookResult
from hooks.support import hook_enabled, source_files, stamp_path, write_if_changed

NAME = "format_code"
RUFF_CONFIGS = ("ruff.toml", ".ruff.toml", "pyproject.toml")


def after_formatting(ctx: HookContext) -> list[Path]:
    """The input that orders a hook after ``format_code`` (nothing when it is disabled)."""
    return [stamp_path(ctx, NAME)] if hook_enabled(ctx, NAME) else []


def ruff_command() -> list[str] | None:
    found = shutil.which("ruff")
    if found:
        return [found]
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    return None


def ruff_config(output_dir: Path) -> list[str]:
    for name in RUFF_CONFIGS:
        path = output_dir / name
        if path.is_file() and (
            name != "pyproject.toml" or "[tool.ruff" in path.read_text("utf-8", "replace")
        ):
            return ["--config", str(path)]
    return ["--isolated"]


def run_ruff_format(ruff: list[str], files: list[Path], output_dir: Path) -> subprocess.CompletedProcess:
    """``ruff format`` the files; a ruff that cannot start comes back as a failed process."""
    args = [*ruff, "format", "--no-cache", *ruff_config(output_dir), *map(str, files)]
    try:
        return subprocess.run(args, check=False, cwd=output_dir, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(args, -1, "", f"ruff format could not run: {exc}")


def format_new_files(ctx: HookContext, files: list[Path]) -> None:
    """Format files another hook has just created (new migrations), when this hook is on and
    ruff is installed. Best effort: unformatted code is still correct code."""
    ruff = ruff_command()
    if files and ruff is not None and hook_enabled(ctx, NAME):
        run_ruff_format(ruff, files, ctx.output_dir)


def python_sources(output_dir: Path) -> list[Path]:
    return list(source_files(output_dir, ".py", skip=frozenset({"migrations"})))


class FormatCodeHook(Hook):
    name = NAME
    phase = "post_build"
    doc = "Format the generated Python with ruff (black-compatible) when ruff is installed."

    def inputs(self, ctx: HookContext) -> list[Path]:
        return python_sources(ctx.output_dir)

    def targets(self, ctx: HookContext) -> list[Path]:
        return [stamp_path(ctx, self.name)]

    def run(self, ctx: HookContext) -> HookResult:
        result = self._format(ctx)
        if result.severity != "error":
            # Constant content: dependents run after this hook, not because of it.
            write_if_changed(stamp_path(ctx, self.name), "formatting done\n")
        return result

    def _format(self, ctx: HookContext) -> HookResult:
        ruff = ruff_command()
        if ruff is None:
            return HookResult("ruff is not installed (pip install ruff)", skipped=True)
        files = python_sources(ctx.output_dir)
        if ctx.is_pristine is not None:
            files = [f for f in files if ctx.is_pristine(f)]
        if not files:
            return HookResult()
        before = {f: f.read_bytes() for f in files}
        done = run_ruff_format(ruff, files, ctx.output_dir)
        changed = [f for f in files if f.read_bytes() != before[f]]
        if ctx.record is not None:
            for path in changed:
                ctx.record(path)
        if done.returncode != 0:
            # ruff formats what it can parse and names the rest: generated code that does not
            # parse is a generator bug the user must hear about.
            return HookResult(
                f"ruff format failed:\n{(done.stderr or done.stdout).strip()}", severity="error"
            )
        if not changed:
            return HookResult()
        return HookResult(f"formatted {len(changed)} file{'s' if len(changed) != 1 else ''} with ruff")
