"""The test stack's post_build hook: writes SUMMARY.txt from the app package, the models'
artifacts and the surface names of the spec (its ``spec_key``: a label edit does not re-run
it); fails when the app title says BROKEN (to test a hook error)."""

from __future__ import annotations

from dazzle.plugins import Hook, HookResult


class SummaryHook(Hook):
    name = "summary"
    phase = "post_build"
    stack = "teststack"
    doc = "write SUMMARY.txt"
    reads = ("models",)
    needs_spec = True

    def spec_key(self, spec):
        return [s.name for s in spec.surfaces]

    def inputs(self, ctx):
        return [ctx.output_dir / "app" / "__init__.py"]

    def targets(self, ctx):
        return [ctx.output_dir / "SUMMARY.txt"]

    def run(self, ctx):
        package = (ctx.output_dir / "app" / "__init__.py").read_text()
        if "BROKEN" in package:
            return HookResult("the app title says BROKEN", severity="error")
        fields = sum(a["fields"] for a in ctx.artifacts["models"].values())
        surfaces = ", ".join(s.name for s in ctx.spec.surfaces)
        text = f"models: {len(ctx.artifacts['models'])}\nfields: {fields}\nsurfaces: {surfaces}\n"
        (ctx.output_dir / "SUMMARY.txt").write_text(text)
        return HookResult(f"{len(ctx.artifacts['models'])} models summarised")
