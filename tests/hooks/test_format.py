"""format_code: ruff-formatted generated Python, recorded for the manifest, idempotent."""

from __future__ import annotations

import pytest

from dazzle.ir import HooksConfig, ProjectConfig
from hooks import format_code
from hooks.format_code import FormatCodeHook, after_formatting
from hooks.support import stamp_path
from tests.hooks.test_projects import context

UGLY = "x = {  'a':1 }\ndef f( a ):\n  return a\n"
PRETTY = 'x = {"a": 1}\n\n\ndef f(a):\n    return a\n'

pytestmark = pytest.mark.skipif(format_code.ruff_command() is None, reason="ruff is not installed")


@pytest.fixture
def ctx(tmp_path):
    recorded = []
    ctx = context(tmp_path, record=recorded.append)
    ctx.recorded = recorded
    out = ctx.output_dir
    for rel in (
        "app/views.py",
        "app/migrations/0001_initial.py",
        ".venv/lib/site.py",
        "app/__pycache__/x.py",
    ):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(UGLY)
    return ctx


def test_formats_generated_python_and_records_it(ctx):
    out = ctx.output_dir
    hook = FormatCodeHook()
    assert hook.inputs(ctx) == [out / "app/views.py"]  # no migrations, environments, caches
    result = hook.run(ctx)
    assert result.severity == "info" and result.message == "formatted 1 file with ruff"
    assert (out / "app/views.py").read_text() == PRETTY
    assert ctx.recorded == [out / "app/views.py"]
    for untouched in ("app/migrations/0001_initial.py", ".venv/lib/site.py"):
        assert (out / untouched).read_text() == UGLY
    assert stamp_path(ctx, "format_code").is_file()
    # Formatting is stable: a second run changes and records nothing.
    assert hook.run(ctx).message == "" and ctx.recorded == [out / "app/views.py"]


def test_black_defaults_ignore_a_parent_ruff_config(ctx):
    (ctx.project_dir / "pyproject.toml").write_text("[tool.ruff]\nline-length = 20\n")
    (ctx.output_dir / "app/views.py").write_text(PRETTY)
    FormatCodeHook().run(ctx)
    assert (ctx.output_dir / "app/views.py").read_text() == PRETTY


def test_a_ruff_config_of_the_generated_project_is_honoured(ctx):
    (ctx.output_dir / "ruff.toml").write_text("[format]\nquote-style = 'single'\n")
    FormatCodeHook().run(ctx)
    assert (ctx.output_dir / "app/views.py").read_text() == PRETTY.replace('"a"', "'a'")


def test_user_edited_files_are_left_alone(ctx):
    ctx.is_pristine = lambda path: path.name != "views.py"
    (ctx.output_dir / "app/models.py").write_text(UGLY)
    FormatCodeHook().run(ctx)
    assert (ctx.output_dir / "app/views.py").read_text() == UGLY
    assert (ctx.output_dir / "app/models.py").read_text() == PRETTY
    assert ctx.recorded == [ctx.output_dir / "app/models.py"]


def test_without_ruff_it_is_skipped_but_up_to_date(ctx, monkeypatch):
    monkeypatch.setattr(format_code, "ruff_command", lambda: None)
    result = FormatCodeHook().run(ctx)
    assert result.skipped and "ruff is not installed" in result.message
    assert (ctx.output_dir / "app/views.py").read_text() == UGLY
    assert stamp_path(ctx, "format_code").is_file()


def test_code_that_does_not_parse_is_an_error(ctx):
    (ctx.output_dir / "app/broken.py").write_text("def f(:\n")
    result = FormatCodeHook().run(ctx)
    assert result.severity == "error" and "broken.py" in result.message
    # What did parse was still formatted and recorded.
    assert ctx.recorded == [ctx.output_dir / "app/views.py"]


def test_disabled_formatter_orders_nothing(tmp_path):
    ctx = context(tmp_path, config=ProjectConfig(hooks=HooksConfig(disable=("format_code",))))
    assert after_formatting(ctx) == []
    assert after_formatting(context(tmp_path)) == [stamp_path(context(tmp_path), "format_code")]


def test_only_files_not_yet_formatted_go_to_ruff(ctx, monkeypatch):
    out = ctx.output_dir
    calls = []
    run = format_code.run_ruff_format
    monkeypatch.setattr(
        format_code,
        "run_ruff_format",
        lambda ruff, files, where: calls.append(files) or run(ruff, files, where),
    )
    hook = FormatCodeHook()
    hook.run(ctx)
    assert calls == [[out / "app/views.py"]]
    assert hook.run(ctx).message == "" and len(calls) == 1  # nothing new: ruff is not started
    (out / "app/models.py").write_text(UGLY)
    (out / "app/views.py").write_text(UGLY)  # regenerated: its bytes are not the formatted ones
    assert hook.run(ctx).message == "formatted 2 files with ruff"
    assert calls[1] == [out / "app/models.py", out / "app/views.py"]
    (out / "ruff.toml").write_text("[format]\nquote-style = 'single'\n")  # another setup: all again
    hook.run(ctx)
    assert calls[2] == [out / "app/models.py", out / "app/views.py"]
    assert (out / "app/views.py").read_text() == PRETTY.replace('"a"', "'a'")


def test_a_file_ruff_could_not_parse_is_tried_again(ctx):
    broken = ctx.output_dir / "app/broken.py"
    broken.write_text("def f(:\n")
    assert FormatCodeHook().run(ctx).severity == "error"
    assert FormatCodeHook().run(ctx).severity == "error"
    broken.write_text(UGLY)
    assert FormatCodeHook().run(ctx).severity == "info"
    assert broken.read_text() == PRETTY
