"""The Django stack's rendering helper: compiled templates are kept between processes in the
user cache folder, and a cache that cannot be written never fails a render."""

from __future__ import annotations

import tempfile

import pytest

from generators.django import render


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    render.environment.cache_clear()
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "hello.txt.j2").write_text("hello [[ who ]]\n")
    yield templates
    render.environment.cache_clear()


def test_a_compiled_template_is_kept_in_the_user_cache(fresh_cache, tmp_path):
    assert render.render(fresh_cache, "hello.txt.j2", who="you") == "hello you\n"
    kept = list((tmp_path / "cache" / "dazzle").glob("jinja-*/__jinja2_*.cache"))
    assert len(kept) == 1


def test_a_cache_that_cannot_be_written_does_not_fail_the_render(fresh_cache, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    assert render.render(fresh_cache, "hello.txt.j2", who="you") == "hello you\n"
    assert list((tmp_path / "cache" / "dazzle").glob("jinja-*/__jinja2_*.cache")) == []
