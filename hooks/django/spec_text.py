"""Parts of the spec written back as DSL text, for the Django hooks' messages and hints."""

from __future__ import annotations

from dazzle.ir import FieldType


def type_text(t: FieldType) -> str:
    """A field type as the DSL writes it."""
    if t.kind == "str" and t.max_length is not None:
        return f"str({t.max_length})"
    if t.kind == "decimal" and t.max_digits is not None:
        return f"decimal({t.max_digits},{t.decimal_places or 0})"
    if t.kind == "enum":
        return f"enum[{','.join(t.enum_values)}]"
    if t.kind == "ref":
        return f"ref {t.ref}"
    return t.kind
