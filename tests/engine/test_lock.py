"""One build of a project at a time. A build held at a known moment (``DAZZLE_PAUSE_AT``, with
the project's lock taken) meets a second build: ``--no-wait`` says who runs and exits 2, a
waiting one says it waits and builds after — never a traceback, a wrong conflict or a stray file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from dazzle.engine import lock
from tests.teststack.harness import Project, Spec, clean_build_tree, teststack_fixture  # noqa: F401 (fixture)

DAZZLE = [sys.executable, "-c", "from dazzle.cli import main; raise SystemExit(main())"]


def wait_for(predicate, what: str, timeout: float = 60) -> None:
    """Wait until ``predicate()`` holds (checked every 10 ms); fail, saying what, if it never does."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def start(project: Project, env: dict, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*DAZZLE, "build", *options, str(project.folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_second_build_waits_or_says_who_runs(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    spec.entities["Product"].append(("stock", "int"))
    project.write(spec)
    gate = str(tmp_path / "gate")
    held = start(project, {**teststack.env(), "DAZZLE_PAUSE_AT": f"merge:planned={gate}"})
    wait_for(lambda: os.path.exists(gate + ".paused") or held.poll() is not None, "the first build to pause")
    assert held.poll() is None, held.communicate()[0]

    refused = subprocess.run(
        [*DAZZLE, "build", "--no-wait", str(project.folder)],
        env=teststack.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stderr == f"error: another build of this project is running (pid {held.pid})\n"

    lines: list[str] = []
    waiting = subprocess.Popen(  # `doit build` this time: the reporter takes the lock there
        [sys.executable, "-m", "doit", "-f", str(project.folder / "dodo.py"), "build"],
        cwd=project.folder,
        env=teststack.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    reader = threading.Thread(target=lambda: lines.extend(waiting.stdout), daemon=True)
    reader.start()
    wait_for(
        lambda: any("waiting for another build of this project is running" in line for line in lines),
        "the second build to say it waits",
    )
    assert waiting.poll() is None  # it really waits

    open(gate + ".go", "w").close()
    first = held.communicate(timeout=120)[0]
    assert held.returncode == 0, first
    assert waiting.wait(timeout=120) == 0
    reader.join(timeout=60)
    output = "".join(lines) + first
    assert "Traceback" not in output and "conflict" not in output and "merged your edits" not in output
    assert not list(project.state.rglob("*.dazzle-tmp")) and not list(project.out.rglob("*.dazzle-tmp"))
    assert project.tree() == clean_build_tree(tmp_path / "clean", spec)


def test_the_lock_is_taken_again_by_its_holder_and_let_go_of(tmp_path):
    lock.acquire(tmp_path)
    lock.acquire(tmp_path)  # dazzle build locks, then doit's reporter locks again
    assert lock.holds(tmp_path)
    lock.release(tmp_path)
    assert lock.holds(tmp_path)
    lock.release(tmp_path)
    assert not lock.holds(tmp_path)
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from dazzle.engine import lock; lock.acquire({str(tmp_path)!r}, wait=False)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr  # nobody holds it any more
