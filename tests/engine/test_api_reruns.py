"""The ``django_api`` stack's tasks re-run only for the slices they read (issue #16): on the
helpdesk example (built with ``stack = ["django", "django_api"]``), a label edit re-runs none of
them, and a column added to a list re-runs the endpoints and their tests but not the shared
framework."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support import EXAMPLES

APP_DSL = "dsl/app.dsl"


def build(project: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-m", "dazzle.cli", "build", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads((project / ".dazzle" / "last_run.json").read_text())
    return {name for name in record["executed"] if name.startswith("generate:django_api:")}


def edit(project: Path, old: str, new: str) -> None:
    path = project / APP_DSL
    text = path.read_text()
    assert old in text, f"{old!r} is no longer in the example's {APP_DSL}"
    path.write_text(text.replace(old, new, 1))


def test_api_tasks_rerun_only_for_what_they_read(tmp_path):
    project = Path(shutil.copytree(EXAMPLES / "helpdesk", tmp_path / "helpdesk"))
    for path in (project, *project.rglob("*")):  # the examples may be read-only
        path.chmod(path.stat().st_mode | 0o200)
    assert '"django_api"' in (project / "dazzle.toml").read_text()
    assert build(project) == {
        "generate:django_api:framework",
        "generate:django_api:endpoints",
        "generate:django_api:tests",
    }
    assert build(project) == set()

    edit(project, 'field subject "Subject"', 'field subject "Topic"')  # a label: not in the API
    assert build(project) == set()

    edit(
        project,
        '    field opened "Opened"\n\nsurface',
        '    field opened "Opened"\n    field body "Body"\n\nsurface',
    )
    assert build(project) == {"generate:django_api:endpoints", "generate:django_api:tests"}
    serializers = (project / "build" / "helpdesk" / "api" / "serializers.py").read_text()
    listed = serializers.split("class CaseListSerializer", 1)[1].split("\n\n\nclass ", 1)[0]
    assert '"body"' in listed
