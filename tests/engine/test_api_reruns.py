"""The API stacks' tasks re-run only for the slices they read (issue #16), on the helpdesk
example: built with ``stack = ["django", "django_api"]``, a label edit re-runs none of the
``django_api`` tasks, and a column added to a list re-runs the endpoints and their tests but not
the shared framework; built with ``stack = ["openapi"]``, the document re-runs only for what it
shows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support import example_copy

APP_DSL = "dsl/app.dsl"
DOCUMENT = "generate:openapi:document"


def build(project: Path, prefix: str = "generate:django_api:") -> set[str]:
    """``dazzle build`` of ``project``: the tasks it ran whose names start with ``prefix``."""
    done = subprocess.run(
        [sys.executable, "-m", "dazzle.cli", "build", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads((project / ".dazzle" / "last_run.json").read_text())
    return {name for name in record["executed"] if name.startswith(prefix)}


def edit(project: Path, old: str, new: str) -> None:
    path = project / APP_DSL
    text = path.read_text()
    assert old in text, f"{old!r} is no longer in the example's {APP_DSL}"
    path.write_text(text.replace(old, new, 1))


def test_api_tasks_rerun_only_for_what_they_read(tmp_path):
    project = example_copy("helpdesk", tmp_path)
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


def test_the_document_reruns_only_for_what_it_shows(tmp_path):
    project = example_copy("helpdesk", tmp_path, ["openapi"])
    assert build(project, DOCUMENT) == {DOCUMENT}
    first = (project / "build" / "openapi.json").read_bytes()
    assert build(project, DOCUMENT) == set()

    edit(project, 'field subject "Subject"', 'field subject "Topic"')  # a label
    edit(project, "sort: -opened, subject", "sort: subject")  # the default order
    edit(project, 'entity Reply "Reply"', 'entity Reply "Answer"')  # no path holds a reply's key
    assert build(project, DOCUMENT) == set()
    assert (project / "build" / "openapi.json").read_bytes() == first

    edit(project, 'entity Case "Support case"', 'entity Case "Ticket"')  # "… identifying this Ticket."
    assert build(project, DOCUMENT) == {DOCUMENT}
    assert b"A UUID string identifying this Ticket." in (project / "build" / "openapi.json").read_bytes()

    edit(
        project,
        '    field opened "Opened"\n\nsurface',
        '    field opened "Opened"\n    field body "Body"\n\nsurface',
    )
    assert build(project, DOCUMENT) == {DOCUMENT}
    document = json.loads((project / "build" / "openapi.json").read_text())
    assert "body" in document["components"]["schemas"]["CaseList"]["properties"]
