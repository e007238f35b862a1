"""The repository's own code is formatted and linted by ruff with the project's settings
(``[tool.ruff]`` in ``pyproject.toml``)."""

from __future__ import annotations

import subprocess

import pytest

from hooks.format_code import ruff_command
from tests.support import REPO

RUFF = ruff_command()
pytestmark = pytest.mark.skipif(RUFF is None, reason="ruff is not installed (pip install -e '.[dev]')")


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*RUFF, *args], cwd=REPO, capture_output=True, text=True, check=False)


def test_the_code_is_formatted():
    done = ruff("format", "--check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_code_passes_the_linter():
    done = ruff("check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr
