"""Stage hook ``format_code``: the generated Python formatted by ``ruff format`` before it
reaches the output folder.

It runs inside the build's merge step on the generated files that changed, so the formatted
bytes are what the commit writes and what the next three-way merge starts from: formatting
never makes a file look edited. Migrations are left alone (they are never regenerated), and a
file ruff cannot parse fails the build before anything is written — generated code that does
not parse is a generator bug the user must hear about. Without ruff the hook is skipped.

``setup`` (ruff's executable and configuration, see ``hooks.ruff``) decides the output
besides the files: a new ruff or a ``ruff.toml`` in the generated project formats every
generated file again.
"""

from __future__ import annotations

from dazzle.plugins import Hook, HookContext, HookResult
from hooks.ruff import format_files, ruff_command, ruff_setup

NAME = "format_code"


def formats(rel: str) -> bool:
    return rel.endswith(".py") and "migrations" not in rel.split("/")[:-1]


class FormatCodeHook(Hook):
    name = NAME
    phase = "stage"
    doc = "Format the generated Python with ruff (black-compatible) when ruff is installed."

    def setup(self, ctx: HookContext):
        ruff = ruff_command()
        return ruff_setup(ruff, ctx.output_dir) if ruff is not None else None

    def transform(self, ctx: HookContext, files: dict[str, bytes]) -> HookResult:
        wanted = {rel: data for rel, data in files.items() if formats(rel)}
        if not wanted:
            return HookResult()
        ruff = ruff_command()
        if ruff is None:
            return HookResult("ruff is not installed (pip install ruff)", skipped=True)
        formatted, complaint = format_files(ruff, wanted, ctx.output_dir, ctx.state_dir / "tmp")
        if complaint:
            return HookResult(f"ruff format failed:\n{complaint}", severity="error")
        changed = {rel: data for rel, data in formatted.items() if data != wanted[rel]}
        return HookResult(files=changed)


def format_new_files(ctx: HookContext, folder, rels: list[str]) -> None:
    """Format files another hook has just created under ``folder`` (new migrations) in place,
    when this hook is on and ruff is installed. Best effort: unformatted code is still correct."""
    from hooks.support import hook_enabled

    ruff = ruff_command()
    if not rels or ruff is None or not hook_enabled(ctx, NAME):
        return
    formatted, complaint = format_files(
        ruff, {rel: (folder / rel).read_bytes() for rel in rels}, ctx.output_dir, ctx.state_dir / "tmp"
    )
    if not complaint:
        for rel, data in formatted.items():
            (folder / rel).write_bytes(data)
