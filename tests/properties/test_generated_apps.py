"""The generators, on random valid projects (``tests/properties/specs.py``): every spec that
``dazzle check`` accepts builds an app that works, and one that it refuses is refused with a
location (issue #13).

- ``test_generated_code_is_sound``: the front end accepts the project (or, for a drawn
  mistake, refuses it with file:line:column, no traceback); the Django generators run on it;
  every generated Python file compiles and binds no module-level name twice; every template
  parses with Django's template engine; URL names and paths are distinct; the names ``naming``
  derived are distinct in each namespace. In-process, so it runs many examples.
- ``test_built_apps_pass_their_checks_and_tests``: a few projects through the real CLI
  (``dazzle build`` in a subprocess), then ``manage.py check``, ``makemigrations --check`` and
  the app's own tests — seconds per example, so few of them here and more in the ``slow`` run.

Deterministic (``derandomize``, no example database, no deadline): the same examples on every
run, never flaky.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from dazzle.ir.diagnostics import ProjectError
from dazzle.testing import run_generators, spec_from_sources
from tests.corpus.cases import Case
from tests.corpus.harness import run_case
from tests.properties.soundness import check_files, check_names
from tests.properties.specs import projects

SLOW = os.environ.get("DAZZLE_PROPERTY_EXAMPLES")  # more examples on demand: `=500`


def examples(normal: int, shrink: bool = True) -> settings:
    """``normal`` examples (``DAZZLE_PROPERTY_EXAMPLES`` overrides), the same ones every run.
    Without ``shrink`` a failure is reported as drawn: shrinking an example that takes seconds
    would take many minutes."""
    phases = list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(
        max_examples=int(SLOW) if SLOW else normal,
        derandomize=True,
        database=None,
        deadline=None,
        phases=phases,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def load(draft):
    """The spec of a drawn project, or None when check refuses it — which it must only do for a
    drawn mistake, and then at a location."""
    files = {path: text for path, text in draft.files.items() if path != "dazzle.toml"}
    try:
        spec = spec_from_sources(files, toml=draft.files["dazzle.toml"])
    except ProjectError as exc:
        assert draft.mistake, f"check refused a valid project:\n{exc.render()}\n{draft.files}"
        assert exc.errors and all(d.loc is not None for d in exc.errors), exc.render()
        assert any("Python keyword" in d.message for d in exc.errors), exc.render()
        return None
    assert not draft.mistake, f"check accepted an entity named like a Python keyword:\n{draft.files}"
    return spec


@examples(40)
@given(projects())
def test_generated_code_is_sound(draft):
    spec = load(draft)
    if spec is None:
        return
    check_names(spec)
    check_files(run_generators(spec, "django"))


def built_and_tested(draft) -> None:
    with tempfile.TemporaryDirectory(prefix="dazzle-property-") as temp:
        files = {path: text for path, text in draft.files.items() if path != "dazzle.toml"}
        case = Case(
            name="drawn",
            files=files,
            toml=draft.files["dazzle.toml"],
            expect="rejected" if draft.mistake else "builds",
        )
        outcome = run_case(case, Path(temp))
        assert outcome.ok, f"{outcome.step}:\n{outcome.detail}\n\n{draft.files}"


@examples(3, shrink=False)
@given(projects(max_entities=3))
def test_built_apps_pass_their_checks_and_tests(draft):
    built_and_tested(draft)


@pytest.mark.slow
@examples(300)
@given(projects())
def test_generated_code_is_sound_on_many_projects(draft):
    test_generated_code_is_sound.hypothesis.inner_test(draft)


@pytest.mark.slow
@examples(15, shrink=False)
@given(projects())
def test_many_built_apps_pass_their_checks_and_tests(draft):
    built_and_tested(draft)
