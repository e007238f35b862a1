"""post_build hook ``provision`` (opt-in): a generated project that runs with one command.

Enabled by ``dazzle.toml [hooks] enable = ["provision"]`` or ``dazzle build --provision``. In the
output folder it

1. creates ``.venv`` (``uv venv`` when uv is on PATH, else ``python -m venv``);
2. installs ``requirements.txt`` only when its hash differs from the one stamped in
   ``.venv/.dazzle-requirements.sha256`` after the last successful install;
3. makes any missing migrations with that environment (covers a first build where DAZZLE's
   own interpreter has no Django), then applies them (``migrate``);
4. creates the superuser from ``.admin_credentials`` unless it exists.

The app package (where its migrations are) is the models generator's, read from its artifact.
Inputs: ``requirements.txt``, the migrations stamp, ``.env`` and ``.admin_credentials``;
targets: the venv's Python, the requirements stamp, a stamp of what was applied and (unless
``DATABASE_URL`` names another database) ``db.sqlite3`` — so a second provisioned build with
nothing changed does nothing, and one after the database was deleted makes it again.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from dazzle.plugins import Hook, HookContext, HookResult
from dazzle.util.files import sha256
from hooks.django import admin_credentials
from hooks.django.database import DEFAULT_DATABASE, configured_url
from hooks.django.generated_models import MODELS, access_modules, app_folder, models_modules
from hooks.django.interpreter import failure_text, run_python, run_script, venv_python
from hooks.django.migrations import make_migrations, migrations_listing
from hooks.support import existing, hook_enabled, stamp_path, write_if_changed

REQUIREMENTS = "requirements.txt"
REQUIREMENTS_STAMP = ".dazzle-requirements.sha256"


class ProvisionError(Exception):
    """A provisioning step failed; the message says which and why."""


def requirements_hash(path: Path) -> str:
    return sha256(path.read_bytes())


def _check(done, what: str) -> None:
    if done.returncode != 0:
        raise ProvisionError(f"{what} failed:\n{failure_text(done)}")


def ensure_venv(output_dir: Path) -> str:
    python = venv_python(output_dir)
    if python.exists():
        return ""
    uv = shutil.which("uv")
    if uv:
        # --python: use this interpreter rather than let uv fetch one for .python-version.
        cmd = [uv, "venv", "--quiet", "--python", sys.executable, str(output_dir / ".venv")]
        done = run_python(Path(cmd[0]), cmd[1:], cwd=output_dir)
    else:
        done = run_python(Path(sys.executable), ["-m", "venv", str(output_dir / ".venv")], cwd=output_dir)
    _check(done, "creating .venv")
    return f"created .venv ({'uv' if uv else 'venv'})"


def ensure_requirements(output_dir: Path) -> str:
    requirements = output_dir / REQUIREMENTS
    if not requirements.is_file():
        raise ProvisionError(f"{requirements} is missing: the generated project lists its packages there")
    stamp = output_dir / ".venv" / REQUIREMENTS_STAMP
    digest = requirements_hash(requirements)
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return ""
    python = venv_python(output_dir)
    uv = shutil.which("uv")
    if uv:
        args = ["pip", "install", "--quiet", "--python", str(python), "-r", REQUIREMENTS]
        done = run_python(Path(uv), args, cwd=output_dir, timeout=1200)
    else:
        args = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS]
        done = run_python(python, args, cwd=output_dir, timeout=1200)
    _check(done, f"installing {REQUIREMENTS}")
    write_if_changed(stamp, digest + "\n")
    return f"installed {REQUIREMENTS}"


def admin_login(ctx: HookContext) -> dict[str, str] | None:
    """The credentials from the ``admin_credentials`` artifact, else from its file, else None."""
    credentials = ctx.artifacts.get(admin_credentials.AdminCredentialsHook.name)
    if credentials:
        return credentials
    path = ctx.output_dir / admin_credentials.FILENAME
    if not path.is_file():
        return None
    try:
        return admin_credentials.read_credentials(path)
    except admin_credentials.CredentialsError as exc:
        raise ProvisionError(str(exc)) from exc


def apply(python: Path, output_dir: Path, credentials: dict[str, str] | None) -> dict:
    """``migrate``, then the superuser of ``credentials`` unless it exists (one Django start):
    the script's report, ``applied`` (migration names) and ``superuser``."""
    env = {}
    if credentials:
        env = {
            "DAZZLE_ADMIN_USERNAME": credentials["username"],
            "DAZZLE_ADMIN_PASSWORD": credentials["password"],
            "DAZZLE_ADMIN_EMAIL": credentials.get("email", ""),
        }
    done = run_script(python, "apply", [str(output_dir)], cwd=output_dir, env=env)
    _check(done, "migrate and create the superuser")
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError) as exc:
        raise ProvisionError(f"migrate printed no report:\n{failure_text(done)}") from exc


def migrate_and_create_superuser(ctx: HookContext, python: Path) -> list[str]:
    """``apply`` with the build's credentials; what it did, as steps of the hook's message."""
    credentials = admin_login(ctx)
    report = apply(python, ctx.output_dir, credentials)
    steps = []
    if report["applied"]:
        count = len(report["applied"])
        steps.append(f"applied {count} migration{'s' if count != 1 else ''}")
    if credentials is None:
        steps.append(
            "no superuser created: .admin_credentials is missing (the admin_credentials hook is off)"
        )
    elif report["superuser"] == "created":
        steps.append(f"created superuser {credentials['username']}")
    return steps


class ProvisionHook(Hook):
    name = "provision"
    phase = "post_build"
    stack = "django"
    opt_in = True
    needs_spec = True
    reads = ("admin_credentials", MODELS)
    doc = "Opt-in: create .venv, install requirements when they change, migrate, create the superuser."

    def inputs(self, ctx: HookContext) -> list[Path]:
        out = ctx.output_dir
        deps = [out / REQUIREMENTS]
        if hook_enabled(ctx, "migrations"):
            deps.append(stamp_path(ctx, "migrations"))
        else:
            deps += [*models_modules(out), *access_modules(out)]  # models and roles
        for hook, target in (("env_file", ".env"), ("admin_credentials", admin_credentials.FILENAME)):
            deps += [out / target] if hook_enabled(ctx, hook) else existing([out / target])
        return deps

    def targets(self, ctx: HookContext) -> list[Path]:
        out = ctx.output_dir
        # A deleted SQLite database is provisioned again; another database is the user's to manage.
        database = [out / DEFAULT_DATABASE] if configured_url(out) is None else []
        return [venv_python(out), out / ".venv" / REQUIREMENTS_STAMP, stamp_path(ctx, self.name), *database]

    def run(self, ctx: HookContext) -> HookResult:
        python = venv_python(ctx.output_dir)
        try:
            done = [ensure_venv(ctx.output_dir), ensure_requirements(ctx.output_dir)]
            made, _written = make_migrations(ctx, python, ctx.output_dir)
            if made.severity == "error":
                return made
            done += [made.message, *migrate_and_create_superuser(ctx, python)]
        except ProvisionError as exc:
            return HookResult(f"provisioning {ctx.output_dir} stopped: {exc}", severity="error")
        applied = migrations_listing(app_folder(ctx) / "migrations")
        write_if_changed(stamp_path(ctx, self.name), applied or "no migrations\n")
        steps = [step for step in done if step]
        return HookResult("provisioned: " + "; ".join(steps) if steps else "")
