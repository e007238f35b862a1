"""Which Python runs the generated Django project, and how hooks run scripts with it.

The generated project's own ``.venv`` comes first (it has the project's pinned requirements);
otherwise the interpreter running DAZZLE, when it can import Django. Scripts run in a clean
environment: a ``PYTHONPATH`` or ``DJANGO_SETTINGS_MODULE`` meant for DAZZLE must not leak into
the generated project.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent / "scripts"
_LEAKY_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "DJANGO_SETTINGS_MODULE")


def venv_python(output_dir: Path) -> Path:
    if os.name == "nt":
        return output_dir / ".venv" / "Scripts" / "python.exe"
    return output_dir / ".venv" / "bin" / "python"


def project_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY_VARIABLES}
    env.update(extra or {})
    return env


def has_django(python: Path) -> bool:
    if Path(python) == Path(sys.executable):
        return importlib.util.find_spec("django") is not None
    try:
        done = subprocess.run(
            [str(python), "-c", "import django"],
            check=False,
            env=project_env(),
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def django_python(output_dir: Path) -> Path | None:
    """The project's ``.venv`` Python if it has Django, else this interpreter if it has, else None."""
    own = venv_python(output_dir)
    if own.exists() and has_django(own):
        return own
    current = Path(sys.executable)
    if has_django(current):
        return current
    return None


def run_python(
    python: Path, args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run ``python ARGS`` in ``cwd``; output captured as text. Never raises for a failing command
    (the caller reports ``returncode`` and ``stderr``); a timeout comes back as returncode -1."""
    try:
        return subprocess.run(
            [str(python), *args],
            check=False,
            cwd=cwd,
            env=project_env(env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(exc.cmd, -1, exc.stdout or "", f"timed out after {timeout:.0f} s")
    except OSError as exc:
        return subprocess.CompletedProcess([str(python), *args], -1, "", str(exc))


def run_script(python: Path, script: str, args: list[str], cwd: Path, env: dict[str, str] | None = None):
    """Run one of ``hooks/django/scripts/<script>.py`` with ``python``."""
    return run_python(python, [str(SCRIPTS / f"{script}.py"), *args], cwd, env)


def failure_text(done: subprocess.CompletedProcess, limit: int = 25) -> str:
    """The end of a failed command's output: where Python puts the line that matters."""
    lines = (done.stderr or done.stdout or "").strip().splitlines()
    return "\n".join("    " + line for line in lines[-limit:])
