"""Editing a Django generator's *code* re-runs its own tasks, and the tasks of the generators
that read its artifact only when the artifact's bytes changed — because no generator imports
another (a generator's code is its module and the helpers it imports, ``generators/django/
base.py``; what one needs of another comes through the artifact, a file_dep of the reader).

The builds run in a subprocess over a copy of ``generators/``: with the copy first on
``PYTHONPATH`` (and the current folder elsewhere than the repository), Python's path finder
finds it before the editable install's finder finds the repository's, so a test may edit the
code without touching the repository. The fixture checks that the copy is what is imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import EXAMPLES, REPO

GENERATED = "helpdesk/urls.py"


class Checkout:
    """A copy of the generators and a copy of the helpdesk example built with it."""

    def __init__(self, root: Path):
        self.root = root
        self.code = root / "code"
        shutil.copytree(
            REPO / "generators", self.code / "generators", ignore=shutil.ignore_patterns("__pycache__")
        )
        self.project = Path(shutil.copytree(EXAMPLES / "helpdesk", root / "helpdesk"))
        for path in (self.project, *self.project.rglob("*")):  # the examples may be read-only
            path.chmod(path.stat().st_mode | 0o200)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env["PYTHONPATH"] = str(self.code)
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # an edited module is never read from a stale .pyc
        return env

    def python(self, *args: str) -> subprocess.CompletedProcess:
        # Not from the repository's folder: `-c` and `-m` put the current folder first on sys.path.
        return subprocess.run(
            [sys.executable, *args],
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def build(self) -> set[str]:
        """``dazzle build``; the generate tasks it executed."""
        done = self.python("-m", "dazzle.cli", "build", str(self.project))
        assert done.returncode == 0, done.stdout + done.stderr
        record = json.loads((self.project / ".dazzle" / "last_run.json").read_text())
        return {name for name in record["executed"] if name.startswith("generate:")}

    def edit(self, module: str, old: str | None, new: str) -> None:
        """Replace ``old`` by ``new`` in the copy's ``generators/django/<module>.py`` (append
        ``new`` when ``old`` is None)."""
        path = self.code / "generators" / "django" / f"{module}.py"
        text = path.read_text()
        if old is None:
            text += new
        else:
            assert old in text, f"{old!r} is no longer in {module}.py"
            text = text.replace(old, new, 1)
        path.write_text(text)


@pytest.fixture
def checkout(tmp_path) -> Checkout:
    checkout = Checkout(tmp_path)
    # The copy shadows the repository's package in the builds' interpreter.
    done = checkout.python("-c", "import generators.django.views as m; print(m.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve() == (checkout.code / "generators/django/views.py").resolve()
    first = checkout.build()
    assert "generate:django:views" in first and "generate:django:urls" in first
    assert checkout.build() == set()  # a no-op build runs no generator
    return checkout


def test_a_code_edit_that_changes_no_artifact_reruns_that_generator_alone(checkout):
    # Each of these hands on an artifact that others read (urls, deployment, integrations, the hooks).
    for module in ("views", "experiences", "integrations", "services", "models"):
        checkout.edit(module, None, "\n# an edit that changes nothing generated\n")
        assert checkout.build() == {f"generate:django:{module}"}, module


def test_a_code_edit_that_changes_the_artifact_reruns_its_readers_too(checkout):
    urls = checkout.project / "build" / GENERATED
    assert "views.HomeView.as_view()" in urls.read_text()
    checkout.edit("views", 'HOME_VIEW = "HomeView"', 'HOME_VIEW = "StartView"')  # a naming decision
    # Its readers: urls, and customization (whose skeletons' examples name a view; written once).
    assert checkout.build() == {
        "generate:django:views",
        "generate:django:urls",
        "generate:django:customization",
    }
    assert "views.StartView.as_view()" in urls.read_text()
    assert "class StartView(" in (checkout.project / "build" / "helpdesk" / "views.py").read_text()
