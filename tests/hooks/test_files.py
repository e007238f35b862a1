"""The hooks that write small files once: env_file, admin_credentials, gitignore, and the
pre_build check of the environment."""

from __future__ import annotations

import stat

import pytest

from dazzle.ir import BuildConfig, ProjectConfig
from hooks import check_environment
from hooks.check_environment import CheckEnvironmentHook
from hooks.django.admin_credentials import AdminCredentialsHook, CredentialsError, read_credentials
from hooks.env_file import EnvFileHook
from hooks.gitignore import REQUIRED_PATTERNS, GitignoreHook, merge_gitignore
from hooks.support import stamp_path
from tests.hooks.test_projects import context


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def ctx(tmp_path):
    ctx = context(tmp_path)
    ctx.output_dir.mkdir(parents=True)
    return ctx


# ---------------------------------------------------------------- env_file


def test_env_file_is_private_random_and_never_rewritten(ctx, tmp_path):
    hook = EnvFileHook()
    assert hook.targets(ctx) == [ctx.output_dir / ".env"] and hook.inputs(ctx) == []
    first = hook.run(ctx)
    env = ctx.output_dir / ".env"
    text = env.read_text()
    assert first.severity == "info" and "created .env" in first.message
    assert mode(env) == 0o600
    values = dict(line.split("=", 1) for line in text.splitlines() if not line.startswith("#"))
    assert values["DEBUG"] == "1" and values["ALLOWED_HOSTS"] == "localhost,127.0.0.1"
    assert len(values["SECRET_KEY"]) >= 50 and set(values["SECRET_KEY"]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    # A rebuild keeps the key (and a user's edit) byte for byte.
    env.write_text(text + "EXTRA=1\n")
    again = hook.run(ctx)
    assert again.message == "" and env.read_text() == text + "EXTRA=1\n"
    # Another project gets another key.
    other = context(tmp_path / "other")
    other.output_dir.mkdir(parents=True)
    hook.run(other)
    assert (other.output_dir / ".env").read_text() != text


def test_env_file_warns_about_a_readable_existing_file(ctx):
    env = ctx.output_dir / ".env"
    env.write_text("SECRET_KEY=mine\n")
    env.chmod(0o644)
    result = EnvFileHook().run(ctx)
    assert result.severity == "warning" and "chmod 600" in result.message
    assert env.read_text() == "SECRET_KEY=mine\n"


# ---------------------------------------------------------------- admin_credentials


def test_credentials_are_created_once_private_and_handed_on(ctx):
    hook = AdminCredentialsHook()
    path = ctx.output_dir / ".admin_credentials"
    assert hook.targets(ctx) == [path]
    first = hook.run(ctx)
    assert mode(path) == 0o600
    creds = first.artifacts
    assert creds["username"].startswith("admin_") and len(creds["password"]) >= 20
    assert creds["path"] == str(path) and creds["email"].endswith("@example.com")
    assert read_credentials(path) == creds
    text = path.read_text()
    again = hook.run(ctx)
    assert path.read_text() == text and again.artifacts == creds and again.message == ""


def test_a_mangled_credentials_file_is_a_clear_error(ctx):
    path = ctx.output_dir / ".admin_credentials"
    path.write_text("username=someone\n")
    path.chmod(0o600)
    result = AdminCredentialsHook().run(ctx)
    assert result.severity == "error" and "no password, email line" in result.message
    with pytest.raises(CredentialsError):
        read_credentials(path)


# ---------------------------------------------------------------- gitignore


def test_gitignore_written_fresh(ctx):
    result = GitignoreHook().run(ctx)
    lines = (ctx.output_dir / ".gitignore").read_text().splitlines()
    assert all(p in lines for p in REQUIRED_PATTERNS)
    assert result.message == "wrote .gitignore"
    assert mode(ctx.output_dir / ".gitignore") & 0o044 == 0o044  # not a secret: readable as usual
    assert GitignoreHook().run(ctx).message == ""  # complete already: untouched


def test_gitignore_merges_with_the_users_lines():
    user = "# mine\n/.venv\nnode_modules/\n!.env\n*.log"
    merged = merge_gitignore(user)
    assert merged.startswith(user + "\n")  # the user's lines, in order, untouched
    added = merged[len(user) :].split()
    assert ".venv/" not in added and ".env" not in added  # present in another spelling / un-ignored
    assert "db.sqlite3" in added and ".admin_credentials" in added
    assert merge_gitignore(merged) == merged


def test_gitignore_hook_keeps_the_users_file(ctx):
    path = ctx.output_dir / ".gitignore"
    path.write_text("secret-notes.txt\n")
    path.chmod(0o640)
    result = GitignoreHook().run(ctx)
    text = path.read_text()
    assert text.startswith("secret-notes.txt\n") and "db.sqlite3\n" in text
    assert result.message.startswith("completed .gitignore: added .env, .admin_credentials, db.sqlite3")
    assert mode(path) == 0o640  # the user's permissions kept


# ---------------------------------------------------------------- check_environment


def test_check_environment_passes_and_creates_the_output_folder(tmp_path):
    ctx = context(tmp_path)
    hook = CheckEnvironmentHook()
    result = hook.run(ctx)
    assert result.severity == "info", result.message
    assert ctx.output_dir.is_dir() and stamp_path(ctx, "check_environment").is_file()
    assert hook.targets(ctx) == [stamp_path(ctx, "check_environment")]


def test_output_inside_the_dsl_folder_is_an_error(tmp_path):
    ctx = context(tmp_path, config=ProjectConfig(build=BuildConfig(output="dsl/out")))
    ctx.output_dir = ctx.project_dir / "dsl" / "out"
    result = CheckEnvironmentHook().run(ctx)
    assert result.severity == "error"
    assert (
        "[build] output = 'dsl/out'" in result.message and "inside the DSL folder './dsl'" in result.message
    )
    assert not ctx.output_dir.exists()


def test_output_containing_the_dsl_folder_is_an_error(tmp_path):
    ctx = context(tmp_path, config=ProjectConfig(build=BuildConfig(output=".")))
    ctx.output_dir = ctx.project_dir
    result = CheckEnvironmentHook().run(ctx)
    assert result.severity == "error" and "contains the DSL folder" in result.message


def test_output_that_is_a_file_is_an_error(tmp_path):
    ctx = context(tmp_path)
    ctx.output_dir.write_text("not a folder")
    result = CheckEnvironmentHook().run(ctx)
    assert result.severity == "error" and "is not a folder" in result.message


def test_unwritable_output_is_an_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # chmod does not stop root (tests may run as root), so refuse the probe file instead.
    monkeypatch.setattr(check_environment.tempfile, "TemporaryFile", refuse)
    result = CheckEnvironmentHook().run(context(tmp_path))
    assert result.severity == "error" and "is not writable: Permission denied" in result.message


def test_uncreatable_output_is_an_error(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    ctx = context(tmp_path)
    ctx.output_dir = blocker / "build"
    result = CheckEnvironmentHook().run(ctx)
    assert result.severity == "error" and "cannot be created" in result.message


def test_old_python_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(check_environment.sys, "version_info", (3, 9, 1, "final", 0))
    result = CheckEnvironmentHook().run(context(tmp_path))
    assert (
        result.severity == "error" and "Python 3.9.1" in result.message and "3.11 or later" in result.message
    )
