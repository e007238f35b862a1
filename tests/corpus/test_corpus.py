"""The odd-spec corpus (``cases.py``), each case with the outcome it must have (issue #13).

- ``test_case_checks_and_generates``: every case through the front end and the Django
  generators in-process: a case that must be refused is refused at its ``file:line:column``;
  one that must build is accepted (with the REST API stack added, ``harness.with_api``), warns
  where it should, and generates code that compiles, templates that parse and names that are
  distinct (``tests/properties/soundness.py``) — the ``django`` stack's files and, apart, the
  ``django_api`` stack's (each has its own ``urls.py``).
- ``test_sample_builds_and_passes``: a sample through the real CLI in a subprocess — ``dazzle
  check``, ``dazzle build`` (hooks and all, with the REST API), ``manage.py check``,
  ``makemigrations --check``, the app's own tests (``test_api.py`` among them).
- ``test_every_case_builds_and_passes`` (``slow``): every case so, two at a time.

``python -m tests.corpus.harness [NAME-PART ...]`` runs cases the slow way and says which fail.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from dazzle.ir.diagnostics import ProjectError
from dazzle.semantics.frontend import load_project
from dazzle.testing import run_generators
from tests.corpus.cases import CASES, Case
from tests.corpus.harness import API_STACK, run_case, with_api, write_project
from tests.properties.soundness import check_files, check_names

SAMPLE = (
    "a module whose tests need nothing from the app",
    "ItemA and Item_A",
    "app named sessions",
    "reserved and awkward field names",
    "every type and modifier",
    "a required cycle of two",
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_checks_and_generates(case: Case, tmp_path):
    project = write_project(with_api(case), tmp_path / "project")
    try:
        spec, warnings = load_project(project)
    except ProjectError as exc:
        assert case.expect in ("rejected", "either"), exc.render()
        errors = exc.errors
        assert errors and all(d.loc is not None for d in errors), exc.render()
        first = min(errors, key=lambda d: d.sort_key())
        assert str(first.loc).startswith(case.where or ""), (str(first.loc), exc.render())
        assert case.message is None or any(case.message in d.message for d in errors), exc.render()
        return
    assert case.expect in ("builds", "either"), f"accepted, but must be refused at {case.where}"
    if case.warns:
        assert any(case.warns in d.message for d in warnings), [d.message for d in warnings]
    check_names(spec)
    check_files(run_generators(spec, "django"))
    if API_STACK in spec.config.build.stacks:
        check_files(run_generators(spec, API_STACK))
    else:
        assert case.expect != "builds" or "django" not in spec.config.build.stacks


@pytest.mark.parametrize("name", SAMPLE)
def test_sample_builds_and_passes(name, tmp_path):
    [case] = [c for c in CASES if c.name == name]
    outcome = run_case(case, tmp_path)
    assert outcome.ok, f"{outcome.step}:\n{outcome.detail}"


def _run(job):
    index, case, folder = job
    return case.name, run_case(case, Path(folder) / f"c{index}")


@pytest.mark.slow
def test_every_case_builds_and_passes():
    with tempfile.TemporaryDirectory(prefix="dazzle-corpus-") as folder, ProcessPoolExecutor(2) as pool:
        outcomes = list(pool.map(_run, [(i, case, folder) for i, case in enumerate(CASES)]))
    failed = [f"{name}: {o.step}\n{o.detail}" for name, o in outcomes if not o.ok]
    assert not failed, f"{len(failed)} of {len(outcomes)} cases:\n\n" + "\n\n".join(failed)
