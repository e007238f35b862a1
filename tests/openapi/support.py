"""Building a spec with the ``openapi`` stack and reading its ``openapi.json``, by plain calls."""

from __future__ import annotations

import json

from dazzle.testing import run_generators, spec_from_sources

TOML = '[project]\nname = "shop"\nversion = "2.1"\n\n[build]\nstack = "openapi"\n'


def spec(dsl: str, toml: str = TOML):
    return spec_from_sources({"dsl/app.dsl": dsl}, toml=toml)


def document_bytes(dsl: str, toml: str = TOML) -> bytes:
    return run_generators(spec(dsl, toml))["openapi.json"]


def document(dsl: str, toml: str = TOML) -> dict:
    return json.loads(document_bytes(dsl, toml))


def surfaces(entity: str, fields: list[str], modes: str = "list view create edit", **lines: str) -> str:
    """Surfaces of ``modes`` for ``entity`` showing ``fields``; ``lines``: extra lines of a mode's
    surface (``list="filter: a"``)."""
    out = []
    for mode in modes.split():
        extra = f"  {lines[mode]}\n" if mode in lines else ""
        shown = "".join(f"    field {f}\n" for f in fields)
        out.append(
            f"surface {entity.lower()}_{mode}:\n  uses entity {entity}\n  mode: {mode}\n{extra}"
            f"  section main:\n{shown}"
        )
    return "\n".join(out)
