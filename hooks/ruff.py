"""Running ``ruff format``: where ruff is, which configuration applies, and what decides its
output. Shared by the ``format_code`` stage hook and the ``migrations`` hook (which formats the
migrations it creates). Not a hook itself.

ruff's formatter is black-compatible; it runs with its defaults (``--isolated``: a
``pyproject.toml`` in some parent folder must not change what is generated) unless the
generated project carries its own ruff configuration.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dazzle.util.faults import checkpoint
from dazzle.util.files import sha256

RUFF_CONFIGS = ("ruff.toml", ".ruff.toml", "pyproject.toml")


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


def format_files(
    ruff: list[str], files: dict[str, bytes], output_dir: Path, scratch: Path
) -> tuple[dict[str, bytes], str]:
    """``ruff format`` the files (path → bytes) in one run, in a scratch copy under ``scratch``
    laid out like the output folder; returns the formatted bytes of those ruff formatted and
    its complaints ('' when it formatted everything). The output folder is not touched."""
    scratch.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="format-", dir=scratch))
    try:
        for rel, data in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        args = [*ruff, "format", "--no-cache", *ruff_config(output_dir), *files]
        checkpoint("format:before")
        try:
            done = subprocess.run(args, check=False, cwd=folder, capture_output=True, text=True, timeout=300)
            complaint = (done.stderr or done.stdout).strip() if done.returncode != 0 else ""
        except (OSError, subprocess.TimeoutExpired) as exc:
            complaint = f"ruff format could not run: {exc}"
        checkpoint("format:after")
        formatted = {rel: (folder / rel).read_bytes() for rel in files}
        return formatted, complaint.replace(str(folder) + os.sep, "")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
