"""The build commands: ``doit list/info/clean`` (also before any build), parallel builds,
``doit watch``, ``dazzle build|list|clean|init``. Uses the test stack, never Django."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from dazzle import cli
from dazzle.cli.init import create_project
from dazzle.semantics import frontend
from tests.teststack.harness import Project, Spec, teststack_fixture  # noqa: F401 (fixture)


def test_list_info_and_clean_work_before_any_build(teststack, tmp_path):
    project = Project(tmp_path / "p")
    listed = project.build("list")
    assert listed.code == 0
    for stage in ("build", "parse", "link", "generate", "pre_build", "post_build"):
        assert any(line.split()[0] == stage for line in listed.output.splitlines() if line.strip())
    assert project.build("list", "--all").code == 0
    info = project.build("info", "link")
    assert info.code == 1 and "status     : run" in info.output  # doit: 1 = not up to date
    assert project.build("clean").code == 0
    assert "Traceback" not in listed.output


def test_list_all_shows_every_subtask_and_info_its_dependencies(teststack, tmp_path):
    project = Project(tmp_path / "p")
    assert project.build().code == 0
    listed = project.build("list", "--all").output
    for name in (
        "parse:dsl/app.dsl",
        "generate:teststack:models:Product",
        "generate:teststack:pages:order_new",
        "generate:teststack:index",
        "post_build:summary",
    ):
        assert name in listed
    assert "one model module per entity" in listed
    info = project.build("info", "generate:teststack:index").output
    assert "slices/teststack/index.json" in info
    assert "artifacts/teststack/models/Product.pickle" in info
    assert "index.j2" in info or "init.py.j2" in info


def test_clean_removes_generated_files_but_keeps_edited_and_user_owned_ones(teststack, tmp_path):
    project = Project(tmp_path / "p")
    assert project.build().code == 0
    (project.out / "app/pages/order_new.html").write_text("edited\n")
    result = project.build("clean")
    assert result.code == 0
    left = sorted(p.relative_to(project.out).as_posix() for p in project.out.rglob("*") if p.is_file())
    assert left == ["SUMMARY.txt", "app/custom.py", "app/pages/order_new.html"]
    assert not (project.state / "ir.pickle").exists()
    rebuilt = project.build()  # the edited page is still the user's, merged with the spec as before
    assert rebuilt.code == 0, rebuilt.output
    assert (project.out / "app/pages/order_new.html").read_text() == "edited\n"


def test_parallel_build_equals_serial_build(teststack, tmp_path):
    spec = Spec()
    for i in range(12):
        spec.entities[f"E{i}"] = [("id", "uuid pk"), ("n", "int")]
        spec.surfaces[f"e{i}_list"] = (f"E{i}", "list", [("n", "Number")])
    serial = Project(tmp_path / "serial", spec)
    assert serial.build().code == 0
    parallel = Project(tmp_path / "parallel", spec)
    done = parallel.doit(teststack, "-n", "2", "-P", "process", "build")
    assert done.returncode == 0, done.stdout + done.stderr
    assert parallel.tree() == serial.tree()
    assert (parallel.state / "last_run.json").exists()
    again = parallel.doit(teststack, "-n", "2", "-P", "process", "build")
    assert again.stdout.startswith("dazzle: 0 tasks ran"), again.stdout


def test_doit_var_force_overwrites_an_edited_file(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    model = project.out / "app/models/order.py"
    model.write_text(model.read_text().replace('qty = "int"', 'qty = "# mine"'))
    spec.entities["Order"][2] = ("qty", "text")
    project.write(spec)
    refused = project.doit(teststack, "build")
    assert refused.returncode != 0 and "# mine" in model.read_text() and "<<<<<<< yours" in model.read_text()
    assert "dazzle diff build/app/models/order.py" in refused.stderr
    forced = project.doit(teststack, "force=1", "build")
    assert forced.returncode == 0, forced.stderr
    assert 'qty = "text"' in model.read_text() and "mine" not in model.read_text()


# ``python -m doit`` with Ctrl-C raising KeyboardInterrupt, whatever the parent ignored
WATCH_WITH_CTRL_C = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'doit'; runpy.run_module('doit', run_name='__main__', alter_sys=True)"
)


class Watch:
    """``doit watch`` on a project, its output collected line by line.

    Ctrl-C's default action is restored in the child (``WATCH_WITH_CTRL_C``): a test run
    started where SIGINT is ignored (a background job of a script, ``nohup``) would hand that
    on, and Python leaves an ignored SIGINT ignored. ``stop()`` presses Ctrl-C and returns the exit code; a watch that
    does not stop is killed, never left running."""

    def __init__(self, project: Project, env: dict[str, str]):
        self.process = subprocess.Popen(
            [sys.executable, "-c", WATCH_WITH_CTRL_C, "-f", str(project.folder / "dodo.py"), "watch"],
            cwd=project.folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(
            target=lambda: self.lines.extend(iter(self.process.stdout.readline, "")), daemon=True
        )
        self.reader.start()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, needle: str, timeout: float) -> bool:
        """Whether ``needle`` shows in the output within ``timeout`` seconds (False at once if
        the watch has ended)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(needle in line for line in self.lines):
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("watch did not stop on Ctrl-C:\n" + self.output) from None
        self.reader.join(timeout=5)
        return code


def test_watch_rebuilds_after_a_real_edit_and_stops_cleanly_on_ctrl_c(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    watch = Watch(project, teststack.env())
    try:
        assert watch.wait_for("watching", 60), watch.output
        spec.surfaces["order_new"][2][1] = ("qty", "How many")
        project.write(spec)
        assert watch.wait_for("generate:teststack:pages:order_new", 30), watch.output
        assert "How many" in (project.out / "app/pages/order_new.html").read_text()

        (project.folder / "dsl" / "app.dsl").write_text("entity Broken:\n  x: nosuchtype\n")
        assert watch.wait_for("build failed", 30), watch.output
        assert watch.process.poll() is None  # a DSL error does not stop watching
    finally:
        code = watch.stop()
    assert code == 0, watch.output
    assert "stopped watching" in watch.output
    assert "Traceback" not in watch.output


def test_watch_sees_an_edit_saved_while_its_first_build_runs(teststack, tmp_path):
    """The first build is held (DAZZLE_PAUSE_AT) while the spec is saved: watch catches up on
    it once its watcher is armed, without another edit."""
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    gate = str(tmp_path / "gate")
    watch = Watch(project, {**teststack.env(), "DAZZLE_PAUSE_AT": f"merge:planned={gate}"})
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(gate + ".paused"):
            assert time.monotonic() < deadline and watch.process.poll() is None, watch.output
            time.sleep(0.01)
        spec.surfaces["order_new"][2][1] = ("qty", "How many")
        project.write(spec)
        open(gate + ".go", "w").close()  # every later pass of the checkpoint goes on at once
        assert watch.wait_for("generate:teststack:pages:order_new", 60), watch.output
        assert "How many" in (project.out / "app/pages/order_new.html").read_text()
    finally:
        watch.stop()


def test_dazzle_cli_build_list_and_clean(teststack, tmp_path, capsys):
    project = Project(tmp_path / "p")
    assert cli.main(["build", str(project.folder)]) == 0
    assert (project.out / "app/models/product.py").exists()
    assert cli.main(["list", str(project.folder)]) == 0
    assert "generate" in capsys.readouterr().out
    assert cli.main(["clean", str(project.folder)]) == 0
    assert not (project.out / "app/models/product.py").exists()
    assert cli.main(["build", str(tmp_path / "nothing-here")]) == 2


def test_dazzle_init_creates_a_project_that_parses(tmp_path):
    folder = tmp_path / "my-shop"
    assert cli.main(["init", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "dazzle.toml", "dodo.py", "dsl"]
    spec, _warnings = frontend.load_project(folder)
    assert spec.app.name == "my_shop"
    assert [e.name for e in spec.entities] == ["Task"]
    assert cli.main(["init", str(folder)]) == 2  # not over an existing project
    compile((folder / "dodo.py").read_text(), "dodo.py", "exec")


def test_create_project_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    from dazzle.cli.init import ScaffoldError

    try:
        create_project(tmp_path / "taken")
    except ScaffoldError as exc:
        assert "not an empty folder" in str(exc)
    else:
        raise AssertionError("expected ScaffoldError")
    assert Path(tmp_path / "taken" / "file").read_text() == "x"
    assert os.listdir(tmp_path / "taken") == ["file"]
