"""The ``openapi`` stack's ``openapi.json`` is the document the ``django_api`` stack serves.

Each project is built with ``stack = ["django", "django_api", "openapi"]``; the generated app
gives its document (``manage.py spectacular --format openapi-json``, what ``/api/schema/``
serves), both documents must be valid OpenAPI (``openapi_spec_validator.validate``), and
``openapi.json`` must hold, byte for byte, the served document written as the stack writes it
(``json.dumps(..., indent=2)`` and a newline): same paths, operations, parameters, bodies,
answers, security and components, in the same order. Nothing is normalized.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from tests.corpus.cases import CASES
from tests.corpus.harness import output_folder, write_project
from tests.e2e.generated_app import dazzle, manage
from tests.support import example_copy, with_stacks

pytestmark = pytest.mark.slow

STACKS = ["django", "django_api", "openapi"]
EXAMPLE_NAMES = ("helpdesk", "invoicing", "todo")
CORPUS_NAMES = (
    "every type and modifier",  # every type and modifier, a composite unique line with defaults
    "every key type",  # uuid, int and str keys, references to each
    "decimals at the edges",  # decimal(1,1), decimal(20,20), decimal(30,0) ...
    "reserved and awkward field names",  # renamed attributes: titles
    "roles, row rules and user fields with awkward names",  # user fields, `anyone`, surface permits
    "login not required",  # every operation open to visitors
    "only a create surface",  # a viewset whose classes give no description
    "entities named like the API's own routes",  # /api/docs-2/ beside /api/docs/
)


def project_of(source: str, folder: Path) -> Path:
    if source in EXAMPLE_NAMES:
        return example_copy(source, folder, STACKS)
    [case] = [c for c in CASES if c.name == source]
    project = write_project(case, folder / "project")
    (project / "dazzle.toml").write_text(with_stacks(case.toml, STACKS))
    return project


def built(project: Path) -> Path:
    done = dazzle(project, "build")
    assert done.returncode == 0, f"dazzle build failed:\n{done.stdout}\n{done.stderr}"
    return output_folder(project)


def served(out: Path) -> dict:
    manage(out, "spectacular", "--format", "openapi-json", "--file", "served.json")
    return json.loads((out / "served.json").read_text())


def written(document: dict) -> str:
    return json.dumps(document, indent=2) + "\n"


@pytest.mark.parametrize("source", EXAMPLE_NAMES + CORPUS_NAMES)
def test_openapi_json_is_the_served_document(source, tmp_path):
    out = built(project_of(source, tmp_path))
    mine = (out / "openapi.json").read_text(encoding="utf-8")
    document, serving = json.loads(mine), served(out)
    validate(document)
    validate(serving)
    expected = written(serving)
    if mine != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), mine.splitlines(), "served", "openapi.json", lineterm=""
        )
        pytest.fail("openapi.json is not the served document:\n" + "\n".join(list(diff)[:200]))


def test_the_stack_alone_needs_no_django(tmp_path):
    """``stack = "openapi"`` alone writes the same document, and no Django project."""
    together = built(project_of("helpdesk", tmp_path / "together"))
    alone = project_of("helpdesk", tmp_path / "alone")
    toml = (alone / "dazzle.toml").read_text()
    (alone / "dazzle.toml").write_text(with_stacks(toml, ["openapi"]))
    done = dazzle(alone, "build")
    assert done.returncode == 0, done.stdout + done.stderr
    output = output_folder(alone)
    assert not (output / "manage.py").exists()
    assert (output / "openapi.json").read_bytes() == (together / "openapi.json").read_bytes()
