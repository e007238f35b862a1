"""Validation of entities and of the fields they share with foreign models: types and their
sizes, modifiers and their conflicts, defaults, primary keys, renames (``was``), ref targets and
composite ``unique``/``index`` lines.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from dazzle import ir
from dazzle.ir.diagnostics import did_you_mean
from dazzle.semantics.validate.report import Report, position, suffix
from dazzle.util.graphs import cyclic_components

PK_TYPES = ("uuid", "int", "str")
STRING_TYPES = ("str", "text", "email")
DATE_TYPES = ("date", "datetime")
AUTO_TYPES = ("date", "datetime", "user")  # auto_add/auto_update: the time, or the signed-in user
MODIFIER_PAIRS = (  # (a, b, why): both written on one field is a conflict
    ("required", "optional", "a field is either required or optional"),
    ("pk", "optional", "a primary key is never empty"),
    ("unique", "unique?", "use `unique` or `unique?` (unique, may be empty), not both"),
    ("auto_add", "auto_update", "use `auto_add` (set on create) or `auto_update` (set on every save)"),
)
FLAGS = {
    "required": "required",
    "optional": "optional",
    "pk": "pk",
    "unique": "unique",
    "unique?": "unique_nullable",
    "auto_add": "auto_add",
    "auto_update": "auto_update",
}


def _later(field: ir.EntityField, a: str, b: str) -> ir.Location | None:
    """The location of whichever of two modifiers is written second."""
    loc_a, loc_b = field.where(a), field.where(b)
    return loc_b if position(loc_b) >= position(loc_a) else loc_a


def check_type(report: Report, field: ir.EntityField) -> None:
    t = field.type
    if t.kind not in ("str", "decimal", "enum"):
        return
    loc = field.where("type")
    if t.kind == "str" and (t.max_length is None or t.max_length < 1):
        report.error(f"field `{field.name}`: str(N) needs N ≥ 1 (got {t.max_length})", loc)
    elif t.kind == "decimal":
        digits, places = t.max_digits, t.decimal_places
        if digits is None or digits < 1:
            report.error(f"field `{field.name}`: decimal(P,S) needs P ≥ 1 (got P = {digits})", loc)
        elif places is None or places < 0:
            report.error(f"field `{field.name}`: decimal(P,S) needs S ≥ 0 (got S = {places})", loc)
        elif places > digits:
            report.error(
                f"field `{field.name}`: decimal({digits},{places}) has more decimal places than digits; "
                "decimal(P,S) needs P ≥ S",
                loc,
            )
    elif t.kind == "enum":
        if not t.enum_values:
            report.error(f"field `{field.name}`: an enum needs at least one value", loc)
        seen: set[str] = set()
        for value in t.enum_values:
            if value in seen:
                report.error(f"field `{field.name}`: enum value `{value}` is listed twice", loc)
            seen.add(value)


def check_modifiers(report: Report, field: ir.EntityField) -> None:
    if not (field.optional or field.unique_nullable or field.auto_add or field.auto_update or field.pk):
        return  # the common case: nothing that can conflict (checked first for speed)
    for a, b, why in MODIFIER_PAIRS:
        if getattr(field, FLAGS[a]) and getattr(field, FLAGS[b]):
            report.error(f"field `{field.name}` is both `{a}` and `{b}`: {why}", _later(field, a, b))
    for auto in ("auto_add", "auto_update"):
        if getattr(field, auto):
            if field.default is not None:
                report.error(
                    f"field `{field.name}` has both `{auto}` and a default: {auto} already sets its value",
                    field.where("default"),
                )
            if field.type.kind not in AUTO_TYPES:
                report.error(
                    f"`{auto}` works only on date, datetime and user fields, not on `{field.name}` "
                    f"({field.type.kind})",
                    field.where(auto),
                )
    if field.pk and field.type.kind not in PK_TYPES:
        report.error(
            f"field `{field.name}`: `pk` is allowed on uuid, int and str(N) fields, not on {field.type.kind}",
            field.where("pk"),
        )


def _default_problem(field: ir.EntityField) -> str | None:
    """What is wrong with the field's default for its type, or None."""
    t, value = field.type, field.default
    kind = t.kind
    if kind in AUTO_TYPES:
        return f"{kind} fields take no default; use `auto_add` or `auto_update`"
    if kind in ("uuid", "ref"):
        return f"{kind} fields take no default"
    if kind in STRING_TYPES:
        if value.kind not in ("string", "word"):
            return f"the default of a {kind} field must be a string, not `{value.text}`"
        if kind == "str" and t.max_length and len(value.text) > t.max_length:
            return f'the default "{value.text}" is longer than str({t.max_length})'
        return None
    if kind == "int":
        return (
            None
            if value.kind == "int"
            else f"the default of an int field must be a whole number, not `{value.text}`"
        )
    if kind == "bool":
        return (
            None
            if value.kind == "bool"
            else f"the default of a bool field must be true or false, not `{value.text}`"
        )
    if kind == "decimal":
        if value.kind not in ("int", "number"):
            return f"the default of a decimal field must be a number, not `{value.text}`"
        return _decimal_fits(value, t)
    if kind == "enum" and (value.kind not in ("string", "word") or value.text not in t.enum_values):
        listed = ", ".join(t.enum_values)
        return f"default `{value.text}` is not one of the enum's values ({listed})" + suffix(
            did_you_mean(value.text, t.enum_values)
        )
    return None


def _decimal_fits(value: ir.Value, t: ir.FieldType) -> str | None:
    try:
        number = Decimal(str(value.value))
    except InvalidOperation:
        return f"the default `{value.text}` is not a number"
    if not number.is_finite():
        return f"the default `{value.text}` is not a number"
    if t.max_digits is None or t.decimal_places is None:
        return None
    exponent = number.normalize().as_tuple().exponent
    places = max(-exponent, 0) if isinstance(exponent, int) else 0
    integer_part = abs(int(number))
    whole = len(str(integer_part)) if integer_part else 0
    if places > t.decimal_places or whole > t.max_digits - t.decimal_places:
        return f"the default `{value.text}` does not fit decimal({t.max_digits},{t.decimal_places})"
    return None


def check_default(report: Report, field: ir.EntityField) -> None:
    if field.default is None or field.auto_add or field.auto_update:
        return  # a default next to auto_* is reported as that conflict
    problem = _default_problem(field)
    if problem:
        report.error(f"field `{field.name}`: {problem}", field.where("default"))


def check_fields(report: Report, owner_word: str, owner: ir.Entity | ir.ForeignModel) -> None:
    """The checks entity and foreign model fields share."""
    report.unique(owner.fields, "field", f"{owner_word} `{owner.name}`")
    pks = [f for f in owner.fields if f.pk]
    for extra in pks[1:]:
        report.error(
            f"{owner_word} `{owner.name}` has more than one `pk` field (`{pks[0].name}` and `{extra.name}`)",
            extra.where("pk"),
            hint="use a composite `unique` line for a natural key made of several fields",
        )
    names = {f.name for f in owner.fields}
    renamed_from: dict[str, ir.EntityField] = {}
    for field in owner.fields:
        check_type(report, field)
        check_modifiers(report, field)
        check_default(report, field)
        if field.type.kind == "ref" and field.type.ref is not None:
            target = field.type.ref
            loc = field.type.locs.get("ref") or field.where("type")
            if target in report.foreign_models and target not in report.entities:
                report.error(f"ref `{target}` names a foreign model; a ref must name an entity", loc)
            else:
                report.exists(report.entities, "entity", target, loc, "ref")
        if field.was is not None:
            if field.was == field.name:
                report.error(
                    f"field `{field.name}` says it `was {field.was}`, its own name", field.where("was")
                )
            elif field.was in names:
                report.error(
                    f"field `{field.name}` says it `was {field.was}`, but `{field.was}` is another field of "
                    f"{owner_word} `{owner.name}`",
                    field.where("was"),
                    hint="`was` names a field that no longer exists (a rename)",
                )
            elif field.was in renamed_from:
                report.error(
                    f"fields `{renamed_from[field.was].name}` and `{field.name}` both say they were `{field.was}`",
                    field.where("was"),
                )
            renamed_from.setdefault(field.was, field)


def check_entity(report: Report, entity: ir.Entity) -> None:
    check_fields(report, "entity", entity)
    names = [f.name for f in entity.fields]
    for constraint in entity.constraints:
        seen: set[str] = set()
        for i, name in enumerate(constraint.fields):
            loc = constraint.where(f"fields.{i}")
            if name not in names:
                report.error(
                    f"unknown field `{name}` in `{constraint.kind}` of entity `{entity.name}`"
                    + suffix(did_you_mean(name, names)),
                    loc,
                )
            elif name in seen:
                report.error(f"field `{name}` is listed twice in `{constraint.kind}`", loc)
            seen.add(name)


def check_required_cycles(report: Report) -> None:
    """Required refs that lead back to where they start: no first record of those entities can
    ever be saved (each needs another to exist first). Allowed, but a warning, once per cycle at
    its first ref in the source."""
    entities = {e.name: e for e in report.spec.entities}
    edges: dict[str, list[tuple[ir.EntityField, str]]] = {}
    for entity in entities.values():
        for field in entity.fields:
            target = field.type.ref if field.type.kind == "ref" else None
            if target in entities and field.is_required:
                edges.setdefault(entity.name, []).append((field, target))
    for group in cyclic_components(
        list(entities), {name: [t for _, t in out] for name, out in edges.items()}
    ):
        inside = [
            (entities[name], field, target)
            for name in group
            for field, target in edges.get(name, ())
            if target in group
        ]
        entity, field, target = min(inside, key=lambda found: _source_order(found[1]))
        loc = field.type.locs.get("ref") or field.where("type")
        if target == entity.name and len(group) == 1:
            report.warning(
                f"field `{field.name}` of entity `{entity.name}` is a required ref to `{entity.name}` "
                "itself: no first record can ever be saved",
                loc,
                hint=f"make `{field.name}` optional",
            )
            continue
        path = ", ".join(
            f"{e.name}.{f.name} → {t}" for e, f, t in sorted(inside, key=lambda x: _source_order(x[1]))
        )
        report.warning(
            f"required refs go round in a cycle ({path}): no first record of "
            + ", ".join(f"`{n}`" for n in sorted(group))
            + " can ever be saved",
            loc,
            hint="make one of these refs optional",
        )


def _source_order(field: ir.EntityField) -> tuple:
    return (field.loc.file, *position(field.loc)) if field.loc else ("", 0, 0)
