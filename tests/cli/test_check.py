"""`dazzle check` and `dazzle --version` as a user runs them: a subprocess, exit codes 0/1/2,
never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import dazzle
from tests.support import EXAMPLES, REPO


def dazzle_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "dazzle.cli", *args],
        cwd=cwd or REPO,
        capture_output=True,
        check=False,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


EXPECTED_SUMMARIES = {
    "todo": "todo: 1 module, 1 entity, 4 surfaces, 0 experiences, 0 services, 0 foreign models, 0 integrations — OK",
    "helpdesk": "helpdesk: 2 modules, 4 entities, 11 surfaces, 0 experiences, 0 services, 0 foreign models, "
    "0 integrations — OK",
    "invoicing": "invoicing: 1 module, 3 entities, 8 surfaces, 1 experience, 2 services, 2 foreign models, "
    "2 integrations — OK",
}


@pytest.mark.parametrize("example", sorted(EXPECTED_SUMMARIES))
def test_examples_check_clean(example):
    result = dazzle_cli("check", str(EXAMPLES / example))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == EXPECTED_SUMMARIES[example]


def test_check_defaults_to_the_current_folder():
    result = dazzle_cli("check", cwd=EXAMPLES / "todo")
    assert result.returncode == 0 and result.stdout.startswith("todo: ")


def test_check_accepts_the_path_of_dazzle_toml(capsys):
    from dazzle.cli import main

    assert main(["check", str(EXAMPLES / "todo" / "dazzle.toml")]) == 0
    assert capsys.readouterr().out.startswith("todo: ")


def write(root: Path, dsl: str, toml: str = '[project]\nname = "shop"\n') -> Path:
    (root / "dsl").mkdir(parents=True, exist_ok=True)
    (root / "dazzle.toml").write_text(toml, encoding="utf-8")
    (root / "dsl" / "app.dsl").write_text(dsl, encoding="utf-8")
    return root


def test_errors_go_to_stderr_with_caret_and_exit_1(tmp_path):
    write(tmp_path, "app shop\nentity Customer:\n  name: str(20)\nentity Case:\n  customer: ref Custmer\n")
    result = dazzle_cli("check", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "dsl/app.dsl:5:17: error: unknown entity `Custmer` in ref; did you mean `Customer`?"
    assert lines[1] == " 5 |   customer: ref Custmer"
    assert lines[2] == "   |                 ^"
    assert lines[-1] == "1 error"


def test_warnings_are_printed_and_the_check_passes(tmp_path):
    write(
        tmp_path,
        "app shop\nentity Item:\n  title: str(20) required\n  notes: text\n"
        "surface item_new:\n  uses entity Item\n  mode: create\n  section main:\n    field notes\n",
    )
    result = dazzle_cli("check", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "dsl/app.dsl:5:9: warning: create surface `item_new` leaves out `title`" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("shop: 1 module, 1 entity, 1 surface,")


def test_missing_project_folder_is_an_error_not_a_crash(tmp_path):
    result = dazzle_cli("check", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "no dazzle.toml" in result.stderr


def test_bad_config_is_reported(tmp_path):
    write(tmp_path, "app shop\n", toml='[project]\nname = "shop"\nroot = 3\n')
    result = dazzle_cli("check", str(tmp_path))
    assert result.returncode == 1
    assert (
        "dazzle.toml:3:1: error: [project] root in dazzle.toml must be a string, not an integer"
        in result.stderr
    )


@pytest.mark.parametrize("args", [("frobnicate",), ("check", "a", "b")])
def test_usage_errors_exit_2(args):
    result = dazzle_cli(*args)
    assert result.returncode == 2
    assert "usage: dazzle" in result.stderr


@pytest.mark.parametrize("args", [["check", "--bogus"], []])
def test_more_usage_errors_exit_2_in_process(args, capsys):
    from dazzle.cli import main

    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    assert "usage: dazzle" in capsys.readouterr().err


def test_version():
    result = dazzle_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"dazzle {dazzle.__version__}"


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "dazzle"
    if not script.exists():
        pytest.skip("the console script is not installed in this environment")
    result = subprocess.run(
        [str(script), "check", str(EXAMPLES / "todo")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("todo: ")
