"""Run a corpus case as a new user would: ``dazzle check``, ``dazzle build`` (the real CLI, in a
subprocess), then the generated app's ``manage.py check``, ``makemigrations --check`` and its
tests, with the Python that runs these tests.

A case that must build is built with the REST API too (``with_api``: the ``django_api`` stack
added to its ``[build] stack`` when that holds ``django``), so its app's tests include
``test_api.py``.

``python -m tests.corpus.harness [NAME-PART ...]`` runs the cases (all, or those whose name
contains a part) and prints one line per case: the quick way to see what a change fixed.
"""

from __future__ import annotations

import py_compile
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from generators.django import naming
from tests.corpus.cases import CASES, Case
from tests.e2e.generated_app import app_env
from tests.support import with_stacks

PYTHON = sys.executable
LOCATION = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+)(?::(?P<column>\d+))?: error: ", re.MULTILINE)
API_STACK = naming.API_STACK


@dataclass
class Outcome:
    ok: bool
    step: str  # the step that failed, or "rejected" / "built" / "tested"
    detail: str = ""


def with_api(case: Case) -> Case:
    """``case`` built with the REST API as well: a case that must build, whose stacks include
    ``django``, gets ``django_api`` added to its ``[build] stack`` (the rest of its
    ``dazzle.toml`` kept). Any other case is left as it is: a refused case's error locations
    are lines of its own files."""
    if case.expect != "builds":
        return case
    stacks = tomllib.loads(case.toml).get("build", {}).get("stack", "django")
    stacks = [stacks] if isinstance(stacks, str) else list(stacks)
    if "django" not in stacks or API_STACK in stacks:
        return case
    return replace(case, toml=with_stacks(case.toml, [*stacks, API_STACK]))


def write_project(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for rel, content in {"dazzle.toml": case.toml, **case.files}.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return folder


def run(args: list[str], cwd: Path | None = None, timeout: int = 600) -> tuple[int, str]:
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, env=app_env()
    )
    return done.returncode, done.stdout + done.stderr


def dazzle(*args: str) -> tuple[int, str]:
    return run([PYTHON, "-m", "dazzle.cli", *args])


def output_folder(project: Path) -> Path:
    config = tomllib.loads((project / "dazzle.toml").read_text())
    return project / config.get("build", {}).get("output", "build")


def run_case(case: Case, folder: Path, django_tests: bool = True) -> Outcome:
    """Every step of ``case`` in ``folder``: the first step that goes wrong, or success.

    A case that must build skips the separate ``dazzle check`` unless it must warn (the build
    runs the same front end, and fails where check would), and ``manage.py check`` when the
    tests run (``manage.py test`` runs the system checks first). A case that must build is
    built with the REST API (``with_api``)."""
    case = with_api(case)
    project = write_project(case, folder / "project")
    if case.expect != "builds" or case.warns:
        code, out = dazzle("check", str(project))
        if "Traceback" in out:
            return Outcome(False, "check: traceback", out[-3000:])
        if case.expect == "rejected" or (case.expect == "either" and code != 0):
            return rejected(case, project, code, out)
        if code != 0:
            return Outcome(False, "check rejected it", out[-3000:])
        if case.warns and case.warns not in out:
            return Outcome(False, f"check gave no warning about '{case.warns}'", out[-3000:])
    code, built = dazzle("build", str(project))
    if code != 0 or "Traceback" in built:
        return Outcome(False, "build", built[-3000:])
    app = output_folder(project)
    for path in sorted(app.rglob("*.py")):
        try:
            py_compile.compile(str(path), doraise=True, cfile=str(folder / "compiled.pyc"))
        except py_compile.PyCompileError as exc:
            return Outcome(False, "compile", str(exc))
    steps = (
        [["makemigrations", "--check", "--dry-run"]]
        if django_tests
        else [["check"], ["makemigrations", "--check", "--dry-run"]]
    )
    for step in steps:
        code, out = run([PYTHON, "manage.py", *step], cwd=app)
        if code != 0:
            return Outcome(False, " ".join(step), out[-3000:])
    if not django_tests:
        return Outcome(True, "built")
    code, out = run([PYTHON, "manage.py", "test", "--no-input"], cwd=app)
    if code != 0 or "System check identified no issues" not in out:
        return Outcome(False, "test", out[-6000:])
    return Outcome(True, "tested")


def rejected(case: Case, project: Path, code: int, out: str) -> Outcome:
    """A case ``check`` must refuse: refused, at its location, and so is its build."""
    if code == 0:
        return Outcome(False, "check accepted it", out[-3000:])
    found = LOCATION.search(out)
    if found is None or (case.where and case.where not in out):
        return Outcome(False, f"check rejected it, not at {case.where}", out[-3000:])
    if case.message and case.message not in out:
        return Outcome(False, f"check rejected it without '{case.message}'", out[-3000:])
    code, built = dazzle("build", str(project))
    if code == 0 or "Traceback" in built:
        return Outcome(False, "build of a rejected spec", built[-3000:])
    return Outcome(True, "rejected", found.group(0))


def _run_numbered(job: tuple[int, Case, str]) -> Outcome:
    i, case, temp = job
    return run_case(case, Path(temp) / f"c{i}")


def main(argv: list[str]) -> int:
    from concurrent.futures import ProcessPoolExecutor

    verbose = "-v" in argv
    parts = [a for a in argv if a != "-v"]
    cases = [c for c in CASES if not parts or any(p in c.name for p in parts)]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="dazzle-corpus-") as temp, ProcessPoolExecutor(2) as pool:
        jobs = [(i, case, temp) for i, case in enumerate(cases)]
        for case, outcome in zip(cases, pool.map(_run_numbered, jobs)):
            failed += not outcome.ok
            print(f"{'ok  ' if outcome.ok else 'FAIL'} {case.name}: {outcome.step}", flush=True)
            if not outcome.ok and verbose:
                print("    " + outcome.detail.replace("\n", "\n    "), flush=True)
    print(f"{len(cases) - failed}/{len(cases)} as expected")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
