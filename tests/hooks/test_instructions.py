"""instructions: an exact guide after a build that changed something; its inputs decide when."""

from __future__ import annotations

from dazzle.ir import BuildConfig, HooksConfig, ProjectConfig
from hooks.instructions import InstructionsHook
from hooks.support import stamp_path
from tests.hooks.test_projects import APP, SPEC_V1, context, write_project


def test_guide_for_a_fresh_project(tmp_path, monkeypatch):
    ctx = context(tmp_path)
    write_project(ctx.output_dir)
    monkeypatch.chdir(ctx.project_dir)
    message = InstructionsHook().run(ctx).message
    assert message.splitlines() == [
        "To run Shop:",
        "  cd build",
        "  python3 -m venv .venv",
        "  .venv/bin/python -m pip install -r requirements.txt",
        "  .venv/bin/python manage.py migrate",
        "  .venv/bin/python manage.py createsuperuser   # use the login in .admin_credentials",
        "  .venv/bin/python manage.py runserver",
        "Then open http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/).",
        "Admin login: username and password in build/.admin_credentials (keep it private).",
        "Or let dazzle do the setup: dazzle build --provision",
    ]


def test_guide_after_provisioning_is_one_command(tmp_path, monkeypatch):
    ctx = context(tmp_path, options={"provision": True})
    out = write_project(ctx.output_dir)
    (out / ".venv").mkdir()
    (out / ".venv/.dazzle-requirements.sha256").write_text("x\n")
    monkeypatch.chdir(ctx.project_dir)
    message = InstructionsHook().run(ctx).message
    assert message.splitlines()[:3] == [
        "Shop is ready in build. To run it:",
        "  cd build",
        "  .venv/bin/python manage.py runserver",
    ]
    assert "migrate" not in message and "--provision" not in message
    assert "build/.admin_credentials" in message


def test_provisioned_earlier_still_says_to_migrate(tmp_path, monkeypatch):
    ctx = context(tmp_path)
    out = write_project(ctx.output_dir)
    (out / ".venv").mkdir()
    (out / ".venv/.dazzle-requirements.sha256").write_text("x\n")
    message = InstructionsHook().run(ctx).message
    assert ".venv/bin/python manage.py migrate" in message and "pip install" not in message


def test_inputs_are_what_matters_to_someone_running_the_project(tmp_path):
    ctx = context(tmp_path, spec=None)  # declared from the files alone: no spec, no artifact needed
    out, state = ctx.output_dir, ctx.state_dir
    write_project(out)  # what the generators have written by the time a post_build hook declares
    assert set(InstructionsHook().inputs(ctx)) == {
        out / ".admin_credentials",
        out / "manage.py",
        out / "config/settings.py",
        out / "requirements.txt",
        out / APP / "models.py",
        stamp_path(ctx, "migrations"),
    }
    provisioned = context(tmp_path, options={"provision": True})
    assert stamp_path(provisioned, "provision") in InstructionsHook().inputs(provisioned)
    assert state / "hook-stamps/provision.stamp" == stamp_path(provisioned, "provision")


def test_disabled_hooks_are_not_inputs(tmp_path):
    config = ProjectConfig(hooks=HooksConfig(disable=("format_code", "migrations", "admin_credentials")))
    ctx = context(tmp_path, config=config)
    inputs = InstructionsHook().inputs(ctx)
    assert stamp_path(ctx, "migrations") not in inputs
    assert ctx.output_dir / ".admin_credentials" not in inputs
    write_project(ctx.output_dir)
    assert "createsuperuser" not in InstructionsHook().run(ctx).message


def test_another_stack_gets_a_plain_line(tmp_path, monkeypatch):
    ctx = context(tmp_path, config=ProjectConfig(build=BuildConfig(stacks=("teststack",))))
    monkeypatch.chdir(ctx.project_dir)
    assert InstructionsHook().inputs(ctx) == []
    assert InstructionsHook().run(ctx).message == "built into build"


def test_spec_key_is_the_app_name_and_title():
    hook = InstructionsHook()
    assert hook.spec_key(SPEC_V1) == ["shop", "Shop"]
    assert hook.spec_key(SPEC_V1.model_copy(update={"entities": ()})) == ["shop", "Shop"]
