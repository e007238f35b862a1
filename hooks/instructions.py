"""post_build hook ``instructions``: after a build that changed something, how to run the result.

A short, exact guide — the commands, the URL, where the admin login is — returned as the
hook's message. Its inputs are the files whose change matters to someone running the project
(for Django: ``manage.py``, settings, the app's models — found where Django keeps them,
``hooks.django.generated_models`` — requirements, the credentials, the migrations and
provision stamps), so a no-op build does not run it and prints nothing; of the
spec it reads only the app's name and title (``spec_key``), so a label edit does not either. It
runs last among the hooks it depends on, so it can tell a provisioned project from a fresh one.
"""

from __future__ import annotations

from pathlib import Path

from dazzle.ir import AppSpec
from dazzle.plugins import Hook, HookContext, HookResult
from hooks.django.generated_models import models_modules
from hooks.support import existing, hook_enabled, shown_path, stamp_path

URL = "http://127.0.0.1:8000/"
CREDENTIALS = ".admin_credentials"
REQUIREMENTS_STAMP = ".venv/.dazzle-requirements.sha256"


def _django(ctx: HookContext) -> bool:
    return "django" in ctx.config.build.stacks


def django_guide(ctx: HookContext) -> str:
    out = ctx.output_dir
    title = ctx.spec.app.label if ctx.spec is not None else out.name
    python = ".venv/bin/python"
    provisioned = (out / REQUIREMENTS_STAMP).is_file()
    provisioned_now = hook_enabled(ctx, "provision", opt_in=True)
    lines = [f"{title} is ready in {shown_path(out)}. To run it:" if provisioned else f"To run {title}:"]
    lines.append(f"  cd {shown_path(out)}")
    if not provisioned:
        lines += [
            "  python3 -m venv .venv",
            f"  {python} -m pip install -r requirements.txt",
        ]
    if not provisioned_now:
        lines.append(f"  {python} manage.py migrate")
    credentials = out / CREDENTIALS
    has_credentials = credentials.is_file() or hook_enabled(ctx, "admin_credentials")
    if has_credentials and not provisioned_now:
        lines.append(f"  {python} manage.py createsuperuser   # use the login in {CREDENTIALS}")
    lines.append(f"  {python} manage.py runserver")
    lines.append(f"Then open {URL} (admin: {URL}admin/).")
    if has_credentials:
        lines.append(f"Admin login: username and password in {shown_path(credentials)} (keep it private).")
    if not provisioned_now:
        lines.append("Or let dazzle do the setup: dazzle build --provision")
    return "\n".join(lines)


class InstructionsHook(Hook):
    name = "instructions"
    phase = "post_build"
    needs_spec = True
    doc = "After a build that changed something, print how to set up and run the generated app."

    def spec_key(self, spec: AppSpec) -> list[str]:
        return [spec.app.name, spec.app.label]

    def inputs(self, ctx: HookContext) -> list[Path]:
        out = ctx.output_dir
        deps: list[Path] = []
        if not _django(ctx):
            return deps
        credentials = out / CREDENTIALS
        deps += [credentials] if hook_enabled(ctx, "admin_credentials") else existing([credentials])
        # Written by the Django generators of this very build: present by the time this runs.
        deps += [out / "manage.py", out / "config" / "settings.py", out / "requirements.txt"]
        deps += models_modules(out)
        if hook_enabled(ctx, "migrations"):
            deps.append(stamp_path(ctx, "migrations"))
        if hook_enabled(ctx, "provision", opt_in=True):
            deps.append(stamp_path(ctx, "provision"))
        return deps

    def run(self, ctx: HookContext) -> HookResult:
        if _django(ctx) and (ctx.output_dir / "manage.py").is_file():
            return HookResult(django_guide(ctx))
        return HookResult(f"built into {shown_path(ctx.output_dir)}")
