"""End to end: schemathesis against the REST API of every example, built with the real CLI and
the ``django_api`` stack. On a fresh database with a superuser, ``api_support.py`` runs in the
generated project (its own Django), calls the app in process through WSGI and holds every
answer to the app's own document (``/api/schema/``): no 5xx, a documented status, content type
and body — as the superuser (token) and without credentials, for valid and invalid data, and
through schemathesis's stateful links. Hypothesis runs with fixed seeds and no example
database, and every request meets the database as seeded: the same requests each run.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
import tomllib
from pathlib import Path

import pytest

from tests.e2e.generated_app import PYTHON, app_env, create_admin, dazzle
from tests.support import EXAMPLES, example_copy

pytestmark = pytest.mark.slow

RUNNER = Path(__file__).with_name("api_support.py")
STACKS = ["django", "django_api"]
MAX_EXAMPLES = 25  # cases of each mode (valid, invalid data) per operation and person
SCENARIOS, STEPS = 10, 6  # of the stateful test, per person


def build_with_api(example: str, dest: Path) -> Path:
    """``examples/<example>`` copied to ``dest`` with the API stack and built there; the
    generated project."""
    project = example_copy(example, dest, STACKS)
    toml = project / "dazzle.toml"
    done = dazzle(project, "build")
    assert done.returncode == 0, f"dazzle build {example} failed:\n{done.stdout}\n{done.stderr}"
    out = project / (tomllib.loads(toml.read_text())["build"].get("output") or "build")
    assert (out / "manage.py").is_file() and any(out.glob("*/api/rules.py")), done.stdout
    return out


NOISE = {"user-agent", "accept-encoding", "accept", "connection", "x-schemathesis-testcaseid"}
"""Headers every request sends, left out of the report."""


def described(number: int, failure: dict) -> str:
    """One failure as the report shows it: the operation, who, the check, how many requests
    failed it, then the first such request, its answer and the server's traceback."""
    lines = [
        f"{number}. {failure['operation']} as {failure['who']} ({failure['phase']}): {failure['check']}"
        f" — {failure['count']} request(s)",
        failure["message"].strip(),
    ]
    request, response = failure.get("request"), failure.get("response")
    if request:
        lines.append(f"request: {request['method']} {request['url']}")
        headers = {k: v for k, v in (request.get("headers") or {}).items() if k.lower() not in NOISE}
        if headers:
            lines.append(f"headers: {headers}")
        if request.get("body") not in (None, "None", ""):
            lines.append(f"body: {request['body']}")
    if response:
        lines.append(f"answer: {response['status']} {response['content_type'] or '(no content type)'}")
        lines.append(response["body"] or "(no body)")
    if failure.get("server_traceback"):
        lines.append(f"server traceback:\n{failure['server_traceback']}")
    first, *rest = lines
    return first + "\n" + textwrap.indent("\n".join(rest), "   ")


def schemathesis_report(project: Path, credentials: dict[str, str]) -> dict:
    """``api_support.py`` run in ``project``: its report."""
    request = {
        "username": credentials["username"],
        "password": credentials["password"],
        "max_examples": MAX_EXAMPLES,
        "scenarios": SCENARIOS,
        "steps": STEPS,
        "report": str(project / "schemathesis.json"),
    }
    (project / "schemathesis-request.json").write_text(json.dumps(request))
    done = subprocess.run(
        [PYTHON, str(RUNNER), "schemathesis-request.json"],
        cwd=project,
        env=app_env(LOG_LEVEL="CRITICAL"),  # no log line per 4xx: the report has what failed
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"api_support.py failed:\n{done.stdout}\n{done.stderr[-10000:]}"
    return json.loads(Path(request["report"]).read_text())


@pytest.mark.parametrize("example", sorted(p.parent.name for p in EXAMPLES.glob("*/dazzle.toml")))
def test_the_api_answers_as_its_schema_says(example, tmp_path):
    project = build_with_api(example, tmp_path)
    report = schemathesis_report(project, create_admin(project))

    failures = report["failures"]
    if failures:
        found = "\n\n".join(described(n, f) for n, f in enumerate(failures, 1))
        pytest.fail(
            f"schemathesis: {len(failures)} failure(s) in the {example} API\n\n{found}", pytrace=False
        )
    # The run reached the records: every operation succeeded for the superuser at least once (a
    # read, change or delete of a seeded key, a create with seeded references), not only 4xx.
    statuses = report["statuses"]
    operations = {label.split(" ", 1)[1] for label in statuses if not label.endswith("(stateful)")}
    assert operations, statuses
    for operation in sorted(operations):
        answered = statuses.get(f"superuser {operation}", {})
        assert any(code.startswith("2") for code in answered), f"{operation} never succeeded: {answered}"
