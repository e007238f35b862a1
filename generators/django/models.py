"""The ``models`` generator: ``<app>/models.py``, one model per entity.

Every type and modifier of the reference maps to a Django field here (REFERENCE §Entities):
enums become module-level ``TextChoices`` classes, ``uuid pk`` a real key with a default, an
entity without ``pk`` gets the default ``BigAutoField``, refs are ``ForeignKey``s (one-to-one
when ``unique``) with distinct ``related_name``s, composite ``unique``/``index`` lines become
``Meta.constraints``/``indexes``.
Attribute and class names all come from ``naming`` (``app_names``: a model class, a choices
class or a reverse name in the way of another gets a variant there, so every spec gives a valid
models.py). The slice is the app package, the entities and their names. A ``was`` rename needs nothing in models.py: the model carries the new name, and the
migrations hook (``hooks/django/migrations.py``) turns it into a ``RenameField``, from this
generator's artifact.

Artifact (read by the ``migrations`` and ``provision`` hooks), plain data:

- ``app``: the app package (the folder of models.py and of its migrations);
- ``classes``: entity name → its model class, every entity in spec order;
- ``fields``: entity name → {field name → model attribute};
- ``renames``: lower-case model class → {field attribute → [the attributes a ``was`` names,
  as they were generated then]}, only for models with such a field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec, Entity, EntityField
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming, reserved
from generators.django.base import DjangoGenerator
from generators.django.render import py_call, py_literal, render

STRING_KINDS = naming.STRING_KINDS
RELATION_KINDS = naming.RELATION_KINDS
USER_MODEL = "settings.AUTH_USER_MODEL"
"""A ``user`` field points at the project's user model, whichever it is (REFERENCE §Entities)."""


class ModelsSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str
    entities: tuple[Entity, ...]
    names: dict[str, naming.EntityNames]  # entity name → its names


def default_literal(names: naming.EntityNames, field: EntityField) -> str | None:
    """The ``default=`` value as Python source, typed for the field."""
    value = field.default
    if value is None:
        return None
    kind = field.type.kind
    if kind == "enum":
        member = naming.choice_members(field.type.enum_values)[value.text]
        return f"{names.choices[field.name]}.{member}"
    if kind == "decimal":
        return py_literal(Decimal(str(value.value)))
    if kind == "int":
        return py_literal(int(value.value))
    if kind == "bool":
        return py_literal(bool(value.value))
    return py_literal(value.text)


def blank_is_null(field: EntityField) -> bool:
    """A unique text field that may be empty stores a blank as NULL, so two blanks never clash."""
    unique = field.unique or field.unique_nullable
    return field.type.kind in STRING_KINDS and not field.is_required and unique


def big_integer(field: EntityField) -> bool:
    """An ``int`` whose default needs more than 32 bits is stored in 64 (``BigIntegerField``)."""
    low, high = reserved.INT32
    return field.default is not None and not low <= int(field.default.value) <= high


def field_arguments(
    slice: ModelsSlice, entity: Entity, field: EntityField, attr: str
) -> tuple[str, list[str]]:
    """The Django field class and its arguments for one entity field."""
    t, kind, args = field.type, field.type.kind, []
    names = slice.names[entity.name]
    if kind == "str":
        cls = "CharField"
        args.append(f"max_length={t.max_length}")
    elif kind == "text":
        cls = "TextField"
    elif kind == "int":
        cls = "BigAutoField" if field.pk else ("BigIntegerField" if big_integer(field) else "IntegerField")
    elif kind == "decimal":
        cls = "DecimalField"
        args += [f"max_digits={t.max_digits}", f"decimal_places={t.decimal_places}"]
    elif kind == "bool":
        cls = "BooleanField"
    elif kind == "date":
        cls = "DateField"
    elif kind == "datetime":
        cls = "DateTimeField"
    elif kind == "uuid":
        cls = "UUIDField"
    elif kind == "email":
        cls = "EmailField"
    elif kind == "enum":
        cls = "CharField"
        choices = names.choices[field.name]
        longest = max((len(v) for v in t.enum_values), default=1)
        args += [f"max_length={max(longest, 1)}", f"choices={choices}.choices"]
    else:
        # A unique ref is a one-to-one link; Django warns about ForeignKey(unique=True).
        cls = "OneToOneField" if field.unique or field.unique_nullable else "ForeignKey"
        if kind == "user":
            args.append(USER_MODEL)
        else:
            target = slice.names.get(t.ref or "")
            args.append(py_literal(target.model if target is not None else t.ref))
        args.append("on_delete=models.PROTECT" if field.is_required else "on_delete=models.SET_NULL")
        args.append(f"related_name={py_literal(names.related[field.name])}")

    if field.pk:
        args.append("primary_key=True")
        if kind == "uuid":
            args += ["default=uuid.uuid4", "editable=False"]
    if kind == "user" and (field.auto_add or field.auto_update):
        args.append("editable=False")  # filled from the signed-in user (access.stamp)
    elif field.auto_add:
        args.append("auto_now_add=True")
    elif field.auto_update:
        args.append("auto_now=True")
    if (field.unique or field.unique_nullable) and not field.pk and kind not in RELATION_KINDS:
        args.append("unique=True")
    default = default_literal(names, field)
    if kind == "bool" and default is None:
        default = "False"  # a checkbox has two states: an unset bool is false, never NULL
    if default is not None:
        args.append(f"default={default}")
    null, blank = naming.null_blank(field)
    if null:
        args.append("null=True")
    if blank:
        args.append("blank=True")
    if attr != field.name:
        args.append(f"verbose_name={py_literal(field.name.replace('_', ' '))}")
    return cls, args


def str_expression(entity: Entity, attrs: dict[str, str]) -> str:
    """``__str__``: the field that names a record (``naming.name_field``) — a long text cut
    short — else the verbose name and the key. Only the record's own columns: a list of
    records never makes a query per row for their names."""
    fallback = f'f"{{self._meta.verbose_name}} {{{fallback_value(entity, attrs)}}}"'
    field = naming.name_field(entity)
    if field is None:
        return fallback
    attr = attrs[field.name]
    if field.type.kind == "text":
        return f"Truncator(self.{attr} or '').chars({STR_CHARS}) or {fallback}"
    return f"self.{attr}" if field.is_required else f"self.{attr} or {fallback}"


def fallback_value(entity: Entity, attrs: dict[str, str]) -> str:
    """What follows the verbose name in a record's name when no text names it: its first
    required date, number or enum value (a key says nothing to a person), else the key."""
    for field in entity.fields:
        if field.is_required and not field.pk and field.type.kind in ("date", "int", "decimal", "enum"):
            attr = attrs[field.name]
            return f"self.get_{attr}_display()" if field.type.kind == "enum" else f"self.{attr}"
    return "self.pk"


STR_CHARS = 60
"""How much of a long text names a record that has no shorter text field."""


def ordering(entity: Entity, attrs: dict[str, str]) -> list[str]:
    """A stable order for paginated lists: newest first when there is a creation date or an
    integer key, else by the first required string field; the key breaks ties."""
    created = next((f for f in entity.fields if f.auto_add), None)
    if created is not None:
        return [f"-{attrs[created.name]}", "pk"]
    if entity.pk is None or entity.pk.type.kind == "int":
        return ["-pk"]
    name = next((f for f in entity.fields if f.type.kind in ("str", "email") and f.is_required), None)
    return [attrs[name.name], "pk"] if name is not None and not name.pk else ["pk"]


def model_context(slice: ModelsSlice, entity: Entity) -> dict:
    app, names = slice.app, slice.names[entity.name]
    attrs = naming.field_attrs(entity)
    fields = []
    for f in entity.fields:
        cls, args = field_arguments(slice, entity, f, attrs[f.name])
        fields.append(f"{attrs[f.name]} = {py_call(f'models.{cls}', args)}")
    constraints, indexes = [], []
    for c in entity.constraints:
        fields_ = [attrs[n] for n in c.fields]
        name = naming.constraint_name(app, entity.name, c.kind, fields_)
        args = [f"fields={py_literal(fields_)}", f"name={py_literal(name)}"]
        if c.kind == "unique":
            constraints.append(py_call("models.UniqueConstraint", args, " " * 12))
        else:
            indexes.append(py_call("models.Index", args, " " * 12))
    return {
        "name": names.model,
        "fields": fields,
        # Django's limit (auth.E007); the pages show the whole title. Permission names hold it:
        # PostgreSQL stores no NUL character.
        "verbose_name": naming.verbose_name(entity).replace("\x00", "")[: reserved.VERBOSE_NAME_MAX],
        "verbose_name_plural": naming.verbose_name_plural(entity).replace("\x00", ""),
        "ordering": ordering(entity, attrs),
        "constraints": constraints,
        "indexes": indexes,
        "str_expression": str_expression(entity, attrs),
        "blank_to_null": [attrs[f.name] for f in entity.fields if blank_is_null(f)],
    }


def choices_context(names: naming.EntityNames, entity: Entity) -> list[dict]:
    out = []
    for f in entity.fields:
        if f.type.kind == "enum":
            members = naming.choice_members(f.type.enum_values)
            out.append(
                {
                    "name": names.choices[f.name],
                    "members": [(members[v], v, naming.choice_label(v)) for v in f.type.enum_values],
                }
            )
    return out


def was_renames(slice: ModelsSlice) -> dict[str, dict[str, list[str]]]:
    """The artifact's ``renames``, from the ``was`` modifiers."""
    renames: dict[str, dict[str, list[str]]] = {}
    for entity in slice.entities:
        attrs = naming.field_attrs(entity)
        for f in entity.fields:
            if f.was:
                # The old field's attribute, as naming gave it then (a non-pk `id` became `id_field`).
                olds = {naming.model_attr(f.was)} | ({"id_field"} if f.was == "id" else set())
                model = slice.names[entity.name].model_name
                renames.setdefault(model, {})[attrs[f.name]] = sorted(olds)
    return renames


def handed_on(slice: ModelsSlice) -> dict[str, Any]:
    """The artifact (see the module's doc)."""
    return {
        "app": slice.app,
        "classes": {e.name: slice.names[e.name].model for e in slice.entities},
        "fields": {e.name: naming.field_attrs(e) for e in slice.entities},
        "renames": was_renames(slice),
    }


class ModelsGenerator(DjangoGenerator):
    name = "models"
    doc = "<app>/models.py: one model per entity, TextChoices for enums, constraints and indexes"
    slice_model = ModelsSlice
    templates = "templates/models"

    def slice(self, spec: AppSpec) -> ModelsSlice:
        names = naming.app_names(spec)
        # Who may do what (`permit`) is not the models' business: a rule change leaves them be.
        entities = tuple(e.replace(permit=None) if e.permit is not None else e for e in spec.entities)
        return ModelsSlice(app=names.app, entities=entities, names=names.entities)

    def generate(self, slice: ModelsSlice, artifacts: Mapping[str, Any]) -> Generated:
        choices = [c for e in slice.entities for c in choices_context(slice.names[e.name], e)]
        models = [model_context(slice, e) for e in slice.entities]
        content = render(
            self.template_dir(),
            "app/models.py.j2",
            app=slice.app,
            choices=choices,
            models=models,
            import_decimal=any(
                f.type.kind == "decimal" and f.default is not None for e in slice.entities for f in e.fields
            ),
            import_uuid=any(f.pk and f.type.kind == "uuid" for e in slice.entities for f in e.fields),
            import_settings=any(f.type.kind == "user" for e in slice.entities for f in e.fields),
            import_truncator=any("Truncator(" in m["str_expression"] for m in models),
        )
        return Generated(files=[GeneratedFile(f"{slice.app}/models.py", content)], artifacts=handed_on(slice))
