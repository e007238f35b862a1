"""post_build hook ``admin_credentials``: a random admin login in ``.admin_credentials``.

Created once (mode 0600) and kept across rebuilds, so the superuser that ``provision`` creates
from it keeps working. Its artifact — username, password, email and the file's path — is what
``provision`` reads; ``read_credentials`` parses the file for hooks that find no artifact.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from dazzle.plugins import Hook, HookContext, HookResult
from hooks.support import create_private_file, is_private

FILENAME = ".admin_credentials"
KEYS = ("username", "password", "email")


def credentials_text() -> str:
    username = f"admin_{secrets.token_hex(3)}"
    lines = [
        "# Django admin login for this project, written once by dazzle. Keep it private.",
        "# `dazzle build --provision` creates this superuser; log in at /admin/.",
        f"username={username}",
        f"password={secrets.token_urlsafe(18)}",
        f"email={username}@example.com",
    ]
    return "\n".join(lines) + "\n"


class CredentialsError(ValueError):
    """The credentials file exists but cannot be used."""


def read_credentials(path: Path) -> dict[str, str]:
    """The ``username``/``password``/``email`` in ``path`` plus ``path`` itself."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(f"{path}: cannot be read ({exc})") from exc
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    missing = [k for k in KEYS if not values.get(k)]
    if missing:
        raise CredentialsError(
            f"{path}: no {', '.join(missing)} line; delete the file to have a new login generated"
        )
    return {**{k: values[k] for k in KEYS}, "path": str(path)}


class AdminCredentialsHook(Hook):
    name = "admin_credentials"
    phase = "post_build"
    stack = "django"
    doc = "Create .admin_credentials (random admin username and password, mode 0600), once."

    def targets(self, ctx: HookContext) -> list[Path]:
        return [ctx.output_dir / FILENAME]

    def run(self, ctx: HookContext) -> HookResult:
        path = ctx.output_dir / FILENAME
        created = create_private_file(path, credentials_text())
        try:
            credentials = read_credentials(path)
        except CredentialsError as exc:
            return HookResult(str(exc), severity="error")
        if created:
            message, severity = f"created {FILENAME} with a random admin login (mode 0600)", "info"
        elif not is_private(path):
            message, severity = f"{path} is readable by other users: chmod 600 {path}", "warning"
        else:
            message, severity = "", "info"
        return HookResult(message, severity=severity, artifacts=credentials)
