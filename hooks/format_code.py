"""post_build hook ``format_code``: the generated Python formatted by ``ruff format``.

ruff's formatter is black-compatible; it runs with its defaults (``--isolated``: a
``pyproject.toml`` in some parent folder must not change what is generated) unless the
generated project carries its own ruff configuration. Migration files are left alone (they are
never rewritten), and so are files the user has edited (``HookContext.is_pristine``). Every
file it changes is recorded (``HookContext.record``) so that the manifest holds the formatted
bytes and the next build is still a no-op.

Only files that may need it are formatted, in one ``ruff format`` call: the hook keeps the hash
of every file it has seen formatted (``.dazzle/hook-stamps/format_code.files.json``, valid for one
ruff and one ruff configuration), so a build that regenerated one module formats that module
alone, and one that changed no Python file starts no ruff at all.

Its target is a stamp; hooks that read generated files list it (``after_formatting``) so that
they run after it and see the formatted bytes — otherwise the next build would find their
inputs changed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dazzle.plugins import Hook, HookContext, HookResult
from dazzle.util.files import sha256
from hooks.support import STAMP_FOLDER, hook_enabled, source_files, stamp_path, write_if_changed

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
        try:  # the binary `python -m ruff` would exec, without starting Python first
            from ruff import find_ruff_bin

            return [os.fsdecode(find_ruff_bin())]
        except (ImportError, FileNotFoundError):
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


class FormattedFiles:
    """The hash of each file as ruff left it, for one ruff and one configuration (``setup``):
    a file that still holds those bytes needs no formatting."""

    def __init__(self, ctx: HookContext, setup: list[str]):
        self.path = ctx.state_dir / STAMP_FOLDER / f"{NAME}.files.json"
        self.output_dir = ctx.output_dir
        self.setup = setup
        self.files: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("setup") == setup and isinstance(data.get("files"), dict):
                self.files = data["files"]
        except (OSError, ValueError, AttributeError):
            pass

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.output_dir).as_posix()

    def is_formatted(self, path: Path, data: bytes) -> bool:
        return self.files.get(self._rel(path)) == sha256(data)

    def add(self, path: Path, data: bytes) -> None:
        self.files[self._rel(path)] = sha256(data)

    def save(self, present: list[Path]) -> None:
        kept = {rel: self.files[rel] for rel in sorted(map(self._rel, present)) if rel in self.files}
        write_if_changed(self.path, json.dumps({"setup": self.setup, "files": kept}, indent=0) + "\n")


def ruff_setup(ruff: list[str], output_dir: Path) -> list[str]:
    """What decides ruff's output besides the file: the executable (its path and stat, or the
    package's version behind ``python -m ruff``) and the configuration (the arguments and the
    config file's bytes)."""
    config = ruff_config(output_dir)
    setup = [*ruff, *config]
    try:
        st = os.stat(ruff[0])
        setup.append(f"{st.st_mtime_ns}:{st.st_size}")
    except OSError:
        setup.append("missing")
    if ruff[1:] == ["-m", "ruff"]:
        from importlib.metadata import PackageNotFoundError, version

        try:
            setup.append(version("ruff"))
        except PackageNotFoundError:
            pass
    if config[0] == "--config":
        setup.append(sha256(Path(config[1]).read_bytes()))
    return setup


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
        present = python_sources(ctx.output_dir)
        formatted = FormattedFiles(ctx, ruff_setup(ruff, ctx.output_dir))
        before = {f: f.read_bytes() for f in present}
        files = [f for f in present if not formatted.is_formatted(f, before[f])]
        if ctx.is_pristine is not None:
            files = [f for f in files if ctx.is_pristine(f)]
        if not files:
            formatted.save(present)
            return HookResult()
        done = run_ruff_format(ruff, files, ctx.output_dir)
        after = {f: f.read_bytes() for f in files}
        changed = [f for f in files if after[f] != before[f]]
        if ctx.record is not None:
            for path in changed:
                ctx.record(path)
        # When ruff failed, an unchanged file may be one it could not parse: only what it
        # changed is known to be formatted.
        for path in files if done.returncode == 0 else changed:
            formatted.add(path, after[path])
        formatted.save(present)
        if done.returncode != 0:
            # ruff formats what it can parse and names the rest: generated code that does not
            # parse is a generator bug the user must hear about.
            return HookResult(
                f"ruff format failed:\n{(done.stderr or done.stdout).strip()}", severity="error"
            )
        if not changed:
            return HookResult()
        return HookResult(f"formatted {len(changed)} file{'s' if len(changed) != 1 else ''} with ruff")
