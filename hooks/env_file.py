"""post_build hook ``env_file``: the generated project's ``.env`` with development settings.

Written once, mode 0600, and never rewritten: a new SECRET_KEY on every build would sign
everyone out and break stored signed data. The key uses URL-safe characters only, so the
generated settings' simple ``KEY=value`` parser (and a shell's ``set -a; . .env``) read it
unquoted. The task's only target is ``.env``: it runs when the file is missing.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from dazzle.plugins import Hook, HookContext, HookResult
from hooks.support import create_private_file, is_private

DEV_SETTINGS = {
    "DEBUG": "1",
    "ALLOWED_HOSTS": "localhost,127.0.0.1",
}


def env_text() -> str:
    lines = [
        "# Development settings, written once by dazzle and never rewritten: edit freely.",
        "# Keep this file private (it is in .gitignore). In production set these in the environment.",
        f"SECRET_KEY={secrets.token_urlsafe(50)}",
        *(f"{key}={value}" for key, value in DEV_SETTINGS.items()),
    ]
    return "\n".join(lines) + "\n"


class EnvFileHook(Hook):
    name = "env_file"
    phase = "post_build"
    doc = "Create .env (random SECRET_KEY, DEBUG=1, local ALLOWED_HOSTS), mode 0600, once."

    def targets(self, ctx: HookContext) -> list[Path]:
        return [ctx.output_dir / ".env"]

    def run(self, ctx: HookContext) -> HookResult:
        path = ctx.output_dir / ".env"
        if create_private_file(path, env_text()):
            return HookResult(f"created {path.name} with a new SECRET_KEY (mode 0600)")
        if not is_private(path):
            return HookResult(
                f"kept the existing {path}; it is readable by other users: chmod 600 {path}",
                severity="warning",
            )
        return HookResult()
