"""The ``forms`` generator: a ModelForm per create/edit surface with exactly its fields, order and
labels, HTML5 date inputs, the missing-required rule, custom surface forms, and escaping."""

from __future__ import annotations

import ast

from dazzle.ir import App, AppSpec, Entity, Section, Surface, SurfaceField, Value
from generators.django.forms import FormsGenerator
from tests.django.web_specs import NASTY, every_type, field, helpdesk, surface


def generate(spec: AppSpec) -> str:
    gen = FormsGenerator()
    [file] = gen.generate(gen.slice(spec), {}).files
    assert file.path == f"{spec.app.name}/forms.py"
    compile(file.content, file.path, "exec")
    return file.content


def form(source: str, name: str) -> dict:
    """A form class: its base, declared fields (source) and Meta options (values or source)."""
    node = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == name)
    out = {"base": ast.unparse(node.bases[-1]), "mixin": ast.unparse(node.bases[0]), "declared": {}}
    for item in node.body:
        if isinstance(item, ast.Assign):
            out["declared"][ast.unparse(item.targets[0])] = ast.unparse(item.value)
        if isinstance(item, ast.ClassDef) and item.name == "Meta":
            for s in item.body:
                try:
                    out[ast.unparse(s.targets[0])] = ast.literal_eval(s.value)
                except ValueError:
                    out[ast.unparse(s.targets[0])] = ast.unparse(s.value)
    return out


def test_model_forms_hold_exactly_the_surface_fields_in_order_with_labels():
    src = generate(helpdesk())
    new = form(src, "CaseCreateForm")
    assert new["base"] == "forms.ModelForm" and new["model"] == "models.Case"
    assert new["fields"] == ["subject", "body", "severity", "customer", "opened_by"]
    assert new["labels"] == {
        "subject": "Subject",
        "body": "Description",
        "severity": "Severity",
        "customer": "Customer",
        "opened_by": "Opened by",
    }
    edit = form(src, "CaseUpdateForm")
    assert edit["fields"] == ["subject", "state", "severity", "owner", "hours_spent"]
    assert form(src, "ReplyCreateForm")["fields"] == ["case", "author", "message", "internal"]
    assert "CustomerUpdateForm" not in src  # no edit surface, no edit form


def test_a_create_form_adds_required_fields_the_surface_leaves_out():
    spec = helpdesk()
    short = tuple(
        surface("case_new", "Case", "create", [("body", "Text")]) if s.name == "case_new" else s
        for s in spec.surfaces
    )
    new = form(generate(spec.model_copy(update={"surfaces": short})), "CaseCreateForm")
    assert new["fields"] == ["body", "subject", "customer", "opened_by"]
    assert new["labels"] == {"body": "Text"}


def test_auto_fields_and_generated_keys_never_reach_a_form():
    every = every_type()
    src = generate(every)
    thing = form(src, "ThingCreateForm")
    assert (
        "made" not in thing["fields"] and "changed" not in thing["fields"] and "count" not in thing["fields"]
    )
    assert form(src, "OwnerCreateForm")["fields"] == ["code", "name"]  # a str key is typed in, once


def test_html5_widgets_and_escaped_labels():
    src = generate(every_type())
    thing = form(src, "ThingCreateForm")
    assert thing["widgets"] == (
        "{'day': forms.DateInput(attrs={'type': 'date'}, format='%Y-%m-%d'), "
        "'at': forms.DateTimeInput(attrs={'type': 'datetime-local'}, format='%Y-%m-%dT%H:%M')}"
    )
    assert form(src, "OwnerCreateForm")["labels"]["name"] == NASTY


def test_options_help_and_placeholder():
    spec = helpdesk()
    opts = (
        ("help", Value(kind="string", value="Who pays")),
        ("placeholder", Value(kind="string", value='e.g. "ACME"')),
    )
    new = Surface(
        name="customer_new",
        entity="Customer",
        mode="create",
        sections=(Section(name="m", fields=(SurfaceField(name="company", label="Company", options=opts),)),),
    )
    surfaces = tuple(new if s.name == "customer_new" else s for s in spec.surfaces)
    customer = form(generate(spec.model_copy(update={"surfaces": surfaces})), "CustomerCreateForm")
    assert customer["help_texts"] == {"company": "Who pays"}
    assert customer["widgets"] == "{'company': forms.TextInput(attrs={'placeholder': 'e.g. \"ACME\"'})}"


def test_custom_surfaces_get_plain_forms():
    src = generate(every_type())
    ask = form(src, "AskForm")
    assert ask["base"] == "forms.Form"
    assert ask["declared"] == {"question": "forms.CharField(label='Your question')"}
    optional = (("required", Value(kind="bool", value=False)),)
    typed = Surface(
        name="find_thing",
        mode="custom",
        entity="Thing",
        sections=(
            Section(
                name="m",
                fields=(
                    SurfaceField(name="day", label="On"),
                    SurfaceField(name="type"),
                    SurfaceField(name="owner"),
                    SurfaceField(name="flag"),
                    SurfaceField(name="price"),
                    SurfaceField(name="notes"),
                    SurfaceField(name="free", label="Free text", options=optional),
                ),
            ),
        ),
    )
    spec = every_type()
    declared = form(generate(spec.model_copy(update={"surfaces": (*spec.surfaces, typed)})), "FindThingForm")[
        "declared"
    ]
    assert declared["day"] == (
        "forms.DateField(label='On', widget=forms.DateInput(attrs={'type': 'date'}, format='%Y-%m-%d'))"
    )
    assert declared["type"] == (
        "forms.ChoiceField(choices=[('', '---------'), *models.ThingType.choices], "
        "label='Type', required=False)"
    )
    assert declared["owner"] == "forms.ModelChoiceField(queryset=models.Owner.objects.all(), label='Owner')"
    assert declared["flag"] == "forms.BooleanField(label='Flag', required=False)"
    assert declared["price"] == "forms.DecimalField(max_digits=4, decimal_places=2, label='Price')"
    assert declared["notes"] == "forms.CharField(label='Notes', required=False, widget=forms.Textarea)"
    assert declared["free"] == "forms.CharField(label='Free text', required=False)"


def test_no_forms_gives_an_importable_empty_module():
    src = generate(
        AppSpec(name="x", app=App(name="x"), entities=(Entity(name="A", fields=(field("n", "int"),)),))
    )
    assert "import" not in src


def test_a_custom_form_named_like_a_model_form_steps_aside():
    spec = helpdesk()
    clash = surface("case_create", None, "custom", [("q", "Q")])
    source = generate(spec.model_copy(update={"surfaces": (*spec.surfaces, clash)}))
    assert 'class CaseCreateForm(mixin("CaseCreateFormMixin"), forms.ModelForm)' in source
    assert 'class CaseCreateSurfaceForm(mixin("CaseCreateSurfaceFormMixin"), forms.Form)' in source


def test_slice_ignores_list_and_view_surfaces_and_titles():
    gen = FormsGenerator()
    spec = helpdesk()
    others = tuple(s for s in spec.surfaces if s.mode in ("create", "edit", "custom"))
    entities = tuple(e.model_copy(update={"title": "t"}) for e in spec.entities)
    same = spec.model_copy(update={"surfaces": others, "entities": entities})
    assert gen.slice(spec).model_dump_json() == gen.slice(same).model_dump_json()
