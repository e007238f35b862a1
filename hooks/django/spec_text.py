"""Parts of the spec written back as DSL text, for the Django hooks' messages and hints."""

from __future__ import annotations

from dazzle.ir import FieldType


def type_text(t: FieldType) -> str:
    """A field type as the DSL writes it."""
    return t.written
