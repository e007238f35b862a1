"""post_build hook ``copy_specs``: ship the project's OpenAPI documents with the generated app.

A ``service`` with ``spec: inline "<id>"`` names ``specs/<id>.json`` in the project folder; the
generated client reads it from ``specs/`` next to ``manage.py``. Every ``specs/*.json`` of the
project is copied there (unchanged files are left alone); a service naming a document that is
missing gets a warning that says which file to add.
"""

from __future__ import annotations

from pathlib import Path

from dazzle.plugins import Hook, HookContext, HookResult
from hooks.support import write_if_changed

SPECS = "specs"


def project_specs(ctx: HookContext) -> list[Path]:
    folder = ctx.project_dir / SPECS
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


class CopySpecsHook(Hook):
    name = "copy_specs"
    phase = "post_build"
    stack = "django"  # the Django service clients are what read specs/
    doc = "Copy the project's specs/*.json (inline OpenAPI documents) into the generated app."
    needs_spec = True

    def spec_key(self, spec) -> list[str]:
        return sorted(s.spec for s in spec.services if s.spec_kind == "inline")

    def inputs(self, ctx: HookContext) -> list[Path]:
        return project_specs(ctx)

    def targets(self, ctx: HookContext) -> list[Path]:
        return [ctx.output_dir / SPECS / p.name for p in project_specs(ctx)]

    def run(self, ctx: HookContext) -> HookResult:
        copied = []
        for source in project_specs(ctx):
            try:
                text = source.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                return HookResult(f"{source}: cannot be read ({error})", severity="error")
            target = ctx.output_dir / SPECS / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            if write_if_changed(target, text):
                copied.append(source.name)
        missing = [
            f"service `{s.name}` reads {SPECS}/{s.spec}.json, which is not in {ctx.project_dir}"
            for s in (ctx.spec.services if ctx.spec is not None else ())
            if s.spec_kind == "inline" and not (ctx.project_dir / SPECS / f"{s.spec}.json").is_file()
        ]
        if missing:
            return HookResult("; ".join(missing) + ": add the OpenAPI document there", severity="warning")
        return HookResult(f"copied {', '.join(copied)} into {SPECS}/" if copied else "")
