"""The ``forms`` generator: ``<app>/forms.py``, one form per create, edit and custom surface.

A create or edit surface gets a ``ModelForm`` holding exactly its editable fields, in its order,
with its labels (a create form adds the required fields it leaves out, REFERENCE §Surfaces);
date and datetime inputs use HTML5 pickers, email and number inputs come from Django. A custom
surface gets a plain ``Form`` of its section fields, typed like the entity's field of the same
name when it uses an entity, else text inputs. Field options ``help="..."``,
``placeholder="..."`` and (custom forms) ``required=true|false`` are honoured.

Each form's first base is the user's mixin of its name in ``<app>/mixins.py``
(``CaseCreateFormMixin``), looked up by name and an empty class when absent, as in the views.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec, Entity, EntityField, SurfaceField
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import py_assign, py_call, py_literal, py_mapping, render
from generators.django.spec_index import indexed

DATE_WIDGET = 'forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")'
DATETIME_WIDGET = 'forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")'
# The widget Django picks for each type, for when a placeholder has to be added to it.
PLAIN_WIDGETS = {
    "str": "TextInput",
    "uuid": "TextInput",
    "text": "Textarea",
    "int": "NumberInput",
    "decimal": "NumberInput",
    "email": "EmailInput",
}


class FormSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    surface: str
    mode: Literal["create", "edit", "custom"]
    class_name: str  # the form class
    entity: Entity | None = None  # without title and module
    model: str | None = None  # the entity's model class
    fields: tuple[SurfaceField, ...] = ()  # the surface's fields, in order
    choices: dict[str, str] = {}  # enum field → its TextChoices class in models.py
    refs: dict[str, str] = {}  # ref field → the model class it refers to


class FormsSlice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app: str
    forms: tuple[FormSpec, ...]


def option(field: SurfaceField, key: str):
    return next((value.python for name, value in field.options if name == key), None)


def widget(kind: str, placeholder) -> str | None:
    """The widget to declare for a field type, or None when Django's default is right."""
    attrs = {"placeholder": str(placeholder)} if placeholder is not None else {}
    if kind in ("date", "datetime"):
        attrs = {"type": "date" if kind == "date" else "datetime-local", **attrs}
        fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%dT%H:%M"
        cls = "DateInput" if kind == "date" else "DateTimeInput"
        return f"forms.{cls}(attrs={py_attrs(attrs)}, format={py_literal(fmt)})"
    if attrs and kind in PLAIN_WIDGETS:
        return f"forms.{PLAIN_WIDGETS[kind]}(attrs={py_attrs(attrs)})"
    return None


def py_attrs(attrs: dict[str, str]) -> str:
    return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in attrs.items()) + "}"


def model_form(spec: FormSpec) -> dict:
    entity = spec.entity
    attrs = naming.field_attrs(entity)
    by_name = {f.name: f for f in spec.fields}
    names = naming.form_field_names(entity, spec.mode, [f.name for f in spec.fields])
    labels, widgets, helps = [], [], []
    for name in names:
        shown = by_name.get(name)
        if shown is not None and shown.label is not None:
            labels.append((attrs[name], py_literal(shown.label)))
        if shown is not None and option(shown, "help") is not None:
            helps.append((attrs[name], py_literal(str(option(shown, "help")))))
        declared = widget(entity.field(name).type.kind, option(shown, "placeholder") if shown else None)
        if declared is not None:
            widgets.append((attrs[name], declared))
    meta = [
        f"model = models.{spec.model}",
        py_assign("fields", [attrs[n] for n in names], " " * 8),
    ]
    meta += [
        py_mapping(key, pairs, " " * 8)
        for key, pairs in (("labels", labels), ("help_texts", helps), ("widgets", widgets))
        if pairs
    ]
    return {
        "class_name": spec.class_name,
        "doc": f"The {spec.mode} surface ``{spec.surface}``.",
        "base": "forms.ModelForm",
        "fields": [],
        "meta": meta,
    }


def typed_field(spec: FormSpec, field: EntityField | None, shown: SurfaceField) -> str:
    """A plain form field for one input of a custom surface."""
    kind = field.type.kind if field is not None else "str"
    required = option(shown, "required")
    if required is None:
        required = field.is_required if field is not None else True
    args: list[str] = []
    if field is None:
        cls = "CharField"
    elif kind in ("str", "text"):
        cls = "CharField"
        if kind == "str":
            args.append(f"max_length={field.type.max_length}")
    elif kind == "enum":
        cls = "ChoiceField"
        choices = f"models.{spec.choices[field.name]}.choices"
        args.append(f"choices={choices}" if required else f'choices=[("", "---------"), *{choices}]')
    elif kind == "ref":
        cls = "ModelChoiceField"
        args.append(f"queryset=models.{spec.refs[field.name]}.objects.all()")
    elif kind == "user":
        cls = "ModelChoiceField"
        args.append("queryset=get_user_model().objects.all()")
    elif kind == "decimal":
        cls = "DecimalField"
        args += [f"max_digits={field.type.max_digits}", f"decimal_places={field.type.decimal_places}"]
    else:
        cls = {
            "int": "IntegerField",
            "bool": "BooleanField",
            "date": "DateField",
            "datetime": "DateTimeField",
            "uuid": "UUIDField",
            "email": "EmailField",
        }[kind]
    args.append(f"label={py_literal(shown.label or naming.humanize(shown.name).capitalize())}")
    if kind == "bool" or not required:
        args.append("required=False")  # an unticked checkbox is a valid answer
    if option(shown, "help") is not None:
        args.append(f"help_text={py_literal(str(option(shown, 'help')))}")
    declared = widget(kind, option(shown, "placeholder")) or ("forms.Textarea" if kind == "text" else None)
    if declared is not None:
        args.append(f"widget={declared}")
    return py_call(f"forms.{cls}", args)


def custom_form(spec: FormSpec) -> dict:
    entity = spec.entity
    attrs = naming.custom_field_attrs(entity, [f.name for f in spec.fields])
    fields, seen = [], set()
    for shown in spec.fields:
        if shown.name in seen:
            continue
        seen.add(shown.name)
        field = entity.field(shown.name) if entity is not None else None
        fields.append(f"{attrs[shown.name]} = {typed_field(spec, field, shown)}")
    return {
        "class_name": spec.class_name,
        "doc": f"The custom surface ``{spec.surface}``.",
        "base": "forms.Form",
        "fields": fields,
        "meta": [],
    }


class FormsGenerator(DjangoGenerator):
    name = "forms"
    doc = "<app>/forms.py: a ModelForm per create/edit surface, a Form per custom surface"
    slice_model = FormsSlice
    templates = "templates/forms"

    def slice(self, spec: AppSpec) -> FormsSlice:
        spec = indexed(spec)
        names = naming.app_names(spec)
        forms = []
        for surface in spec.surfaces:
            if surface.mode not in ("create", "edit", "custom"):
                continue
            entity = spec.entity(surface.entity) if surface.entity else None
            if entity is None and surface.mode != "custom":
                continue  # a create/edit surface without an entity is reported by `dazzle check`
            own = names.entities[entity.name] if entity is not None else None
            if surface.mode == "custom":
                class_name = names.customs[surface.name].form
            else:
                class_name = own.form(surface.mode)
            shown = {f.name for f in surface.fields}
            forms.append(
                FormSpec(
                    surface=surface.name,
                    mode=surface.mode,
                    class_name=class_name,
                    entity=entity.replace(title=None, module="", permit=None) if entity is not None else None,
                    model=own.model if own is not None else None,
                    fields=surface.fields,
                    choices={k: v for k, v in own.choices.items() if k in shown} if own else {},
                    refs={
                        f.name: names.entities[f.type.ref].model
                        for f in entity.fields
                        if f.type.kind == "ref" and f.name in shown and f.type.ref in names.entities
                    }
                    if entity is not None and surface.mode == "custom"
                    else {},
                )
            )
        return FormsSlice(app=names.app, forms=tuple(forms))

    def generate(self, slice: FormsSlice, artifacts: Mapping[str, Any]) -> Generated:
        forms = [custom_form(f) if f.mode == "custom" else model_form(f) for f in slice.forms]
        uses_models = any(f.mode != "custom" or f.entity is not None for f in slice.forms)
        uses_users = any(
            f.mode == "custom"
            and f.entity is not None
            and (e := f.entity.field(s.name)) is not None
            and e.type.kind == "user"
            for f in slice.forms
            for s in f.fields
        )
        content = render(
            self.template_dir(),
            "app/forms.py.j2",
            app=slice.app,
            forms=forms,
            uses_models=uses_models,
            uses_users=uses_users,
            mixin_class=naming.mixin_class,
            mixins_module=naming.MIXINS_MODULE,
        )
        return Generated(files=[GeneratedFile(f"{slice.app}/forms.py", content)])
