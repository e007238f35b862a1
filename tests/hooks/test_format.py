"""format_code: a stage hook — generated Python formatted by ruff before it is committed, so the
formatted bytes are the base of the next merge. Called directly (the engine calls it in its
merge step)."""

from __future__ import annotations

import pytest

from hooks import format_code, ruff
from hooks.format_code import FormatCodeHook
from tests.hooks.test_projects import context

UGLY = b"x = {  'a':1 }\ndef f( a ):\n  return a\n"
PRETTY = b'x = {"a": 1}\n\n\ndef f(a):\n    return a\n'

pytestmark = pytest.mark.skipif(ruff.ruff_command() is None, reason="ruff is not installed")


@pytest.fixture
def ctx(tmp_path):
    ctx = context(tmp_path)
    ctx.output_dir.mkdir(parents=True)
    return ctx


def test_formats_the_changed_python_files_and_returns_what_it_rewrote(ctx):
    files = {
        "app/views.py": UGLY,
        "app/pretty.py": PRETTY,
        "app/page.html": UGLY,
        "app/migrations/0001_initial.py": UGLY,
    }
    result = FormatCodeHook().transform(ctx, files)
    assert result.severity == "info" and not result.skipped
    assert result.files == {"app/views.py": PRETTY}  # already formatted, not Python, migrations: left
    assert not any(ctx.output_dir.rglob("*")), "the output folder is not touched"
    assert list((ctx.state_dir / "tmp").iterdir()) == [], "no scratch copy is left behind"


def test_black_defaults_ignore_a_parent_ruff_config(ctx):
    (ctx.project_dir / "pyproject.toml").write_text("[tool.ruff]\nline-length = 20\n")
    assert FormatCodeHook().transform(ctx, {"app/views.py": PRETTY}).files == {}


def test_a_ruff_config_of_the_generated_project_is_honoured_and_changes_the_setup(ctx):
    hook = FormatCodeHook()
    before = hook.setup(ctx)
    (ctx.output_dir / "ruff.toml").write_text("[format]\nquote-style = 'single'\n")
    assert hook.setup(ctx) != before  # every generated file goes through the formatter again
    assert hook.transform(ctx, {"app/views.py": UGLY}).files == {
        "app/views.py": PRETTY.replace(b'"a"', b"'a'")
    }


def test_without_ruff_it_is_skipped(ctx, monkeypatch):
    monkeypatch.setattr(format_code, "ruff_command", lambda: None)
    result = FormatCodeHook().transform(ctx, {"app/views.py": UGLY})
    assert result.skipped and "ruff is not installed" in result.message and not result.files
    assert FormatCodeHook().setup(ctx) is None


def test_code_that_does_not_parse_is_an_error_naming_the_file(ctx):
    result = FormatCodeHook().transform(ctx, {"app/views.py": UGLY, "app/broken.py": b"def f(:\n"})
    assert result.severity == "error" and "app/broken.py" in result.message
    assert str(ctx.state_dir) not in result.message  # the scratch folder is not the user's business


def test_nothing_to_format_starts_no_ruff(ctx, monkeypatch):
    monkeypatch.setattr(format_code, "format_files", lambda *a: pytest.fail("ruff was started"))
    assert FormatCodeHook().transform(ctx, {"app/page.html": b"<p>\n"}).files is None
