"""The ``models`` generator: every type and modifier of the reference, enums, keys, refs,
composite constraints, ``__str__``, ordering, escaping, name clashes and the slice."""

from __future__ import annotations

import ast
import re

from dazzle.ir import App, AppSpec, Constraint, Entity
from generators.django import naming
from generators.django.models import ModelsGenerator
from tests.django.web_specs import NASTY, every_type, field, helpdesk


def generate(spec: AppSpec):
    gen = ModelsGenerator()
    result = gen.generate(gen.slice(spec), {})
    [file] = result.files
    compile(file.content, file.path, "exec")
    return file.path, file.content, result.artifacts


def spec_of(*entities: Entity) -> AppSpec:
    return AppSpec(name="shop", app=App(name="shop"), entities=entities)


def class_body(source: str, name: str) -> str:
    node = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == name)
    return ast.get_source_segment(source, node)


def declaration(source: str, model: str, attr: str) -> str:
    """The field declaration ``attr = models.X(...)`` of a model, on one line."""
    tree = ast.parse(class_body(source, model))
    node = next(
        n for n in tree.body[0].body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == attr
    )
    return ast.unparse(node.value)


def test_every_type_maps_to_its_django_field():
    path, src, _ = generate(every_type())
    assert path == "every/models.py"

    def d(attr):
        return declaration(src, "Thing", attr)

    assert d("label") == "models.CharField(max_length=80)"
    assert d("notes") == "models.TextField(blank=True)"
    assert d("count") == "models.IntegerField(default=3, null=True, blank=True)"
    assert d("price") == "models.DecimalField(max_digits=4, decimal_places=2)"
    assert d("flag") == "models.BooleanField(default=True)"
    assert d("day") == "models.DateField()"
    assert d("at") == "models.DateTimeField()"
    assert d("token") == "models.UUIDField(unique=True, null=True, blank=True)"
    assert d("mail") == "models.EmailField(unique=True, null=True, blank=True)"
    assert (
        d("type")
        == "models.CharField(max_length=5, choices=ThingType.choices, default=ThingType.OUT)"  # no blank choice
    )
    assert d("kind") == "models.CharField(max_length=1, choices=ThingKind.choices, blank=True)"
    assert (
        d("owner") == "models.ForeignKey('Owner', on_delete=models.PROTECT, related_name='thing_owner_set')"
    )
    assert d("backup") == (
        "models.ForeignKey('Owner', on_delete=models.SET_NULL, related_name='thing_backup_set', "
        "null=True, blank=True)"
    )
    assert d("made") == "models.DateTimeField(auto_now_add=True)"
    assert d("changed") == "models.DateField(auto_now=True)"
    assert declaration(src, "Owner", "code") == "models.CharField(max_length=12, primary_key=True)"


def test_keys():
    _, src, _ = generate(helpdesk())
    assert (
        declaration(src, "Case", "id")
        == "models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)"
    )
    assert "\nimport uuid\n" in src
    _, src, _ = generate(
        spec_of(Entity(name="Tag", fields=(field("id", "int", pk=True), field("x", "str", n=3))))
    )
    assert declaration(src, "Tag", "id") == "models.BigAutoField(primary_key=True)"
    assert "import uuid" not in src and "import decimal" not in src


def test_an_entity_without_pk_keeps_the_default_key_and_a_non_pk_id_is_renamed():
    _, src, _ = generate(every_type())
    assert "primary_key" not in class_body(src, "Thing")
    assert (
        declaration(src, "Thing", "id_field")
        == "models.IntegerField(null=True, blank=True, verbose_name='id')"
    )
    assert (
        declaration(src, "Thing", "class_field")
        == "models.CharField(max_length=20, blank=True, verbose_name='class')"
    )


def test_enums_become_text_choices_with_safe_members():
    _, src, _ = generate(every_type())
    body = class_body(src, "ThingType")
    assert body.startswith("class ThingType(models.TextChoices):")
    assert 'IN = "in", "In"' in body and 'V_CLASS = "class", "Class"' not in body
    assert 'CLASS = "class", "Class"' in body  # upper-case member names are never keywords


def test_defaults_are_typed():
    _, src, _ = generate(helpdesk())
    assert declaration(src, "Customer", "credit_limit") == (
        "models.DecimalField(max_digits=10, decimal_places=2, default=decimal.Decimal('0'), null=True, blank=True)"
    )
    assert "\nimport decimal\n" in src
    assert declaration(src, "Agent", "team") == (
        "models.CharField(max_length=11, choices=AgentTeam.choices, default=AgentTeam.FIRST_LINE)"
    )
    nasty = Entity(name="Note", fields=(field("body", "str", n=200, default=NASTY), field("n", "bool")))
    _, src, _ = generate(spec_of(nasty))
    value = ast.parse(declaration(src, "Note", "body")).body[0].value
    assert ast.literal_eval(next(k.value for k in value.keywords if k.arg == "default")) == NASTY
    assert declaration(src, "Note", "n") == "models.BooleanField(default=False)"


def test_two_refs_to_one_target_get_distinct_related_names():
    _, src, _ = generate(helpdesk())
    names = re.findall(r'related_name="(\w+)"', class_body(src, "Case"))
    assert len(names) == len(set(names)) == 3


def test_a_unique_ref_is_a_one_to_one_link():
    entity = Entity(name="Badge", fields=(field("holder", "ref", ref="Badge", unique_nullable=True),))
    _, src, _ = generate(spec_of(entity))
    assert declaration(src, "Badge", "holder") == (
        "models.OneToOneField('Badge', on_delete=models.SET_NULL, related_name='badge_holder_set', null=True, "
        "blank=True)"
    )


def test_blank_unique_strings_are_stored_as_null():
    _, src, _ = generate(helpdesk())
    body = class_body(src, "Customer")
    assert "def save(self, *args, **kwargs):" in body
    assert "self.contact_email = self.contact_email or None" in body
    assert "def save" not in class_body(src, "Case")


def test_meta_names_order_and_constraints():
    _, src, _ = generate(helpdesk())
    case, reply, customer = (class_body(src, n) for n in ("Case", "Reply", "Customer"))
    assert 'verbose_name = "Support case"' in case and 'verbose_name_plural = "Support cases"' in case
    assert 'ordering = ["-opened", "pk"]' in case
    assert 'ordering = ["company", "pk"]' in customer
    assert 'models.Index(fields=["state", "severity"], name=' in case
    assert "models.UniqueConstraint(fields=['case', 'sent'], name=" in ast.unparse(ast.parse(reply))
    _, every, _ = generate(every_type())
    assert 'ordering = ["-pk"]' in class_body(every, "Bare")
    assert 'verbose_name = "bare"' in class_body(every, "Bare")


def test_constraint_names_are_valid_short_stable_and_distinct():
    long = Entity(
        name="AVeryLongEntityNameIndeed",
        fields=(field("first_rather_long_field", "str", n=5), field("second_rather_long_field", "str", n=5)),
        constraints=(
            Constraint(kind="unique", fields=("first_rather_long_field", "second_rather_long_field")),
            Constraint(kind="index", fields=("first_rather_long_field", "second_rather_long_field")),
        ),
    )
    _, src, _ = generate(spec_of(long))
    names = re.findall(r'name="(\w+)"', src)
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n) <= 30 and n[0].isalpha() for n in names)
    assert generate(spec_of(long))[1] == src
    other_app = AppSpec(name="x", app=App(name="other"), entities=(long,))
    assert set(re.findall(r'name="(\w+)"', generate(other_app)[1])).isdisjoint(names)


def test_str_prefers_a_required_string_then_falls_back():
    _, src, _ = generate(helpdesk())
    assert "return self.subject" in class_body(src, "Case")
    # No short text: the start of its message, never the bare key when the message is there.
    reply = class_body(src, "Reply")
    assert (
        "return Truncator(self.message or '').chars(60) or f\"{self._meta.verbose_name} {self.pk}\"" in reply
    )
    assert "\nfrom django.utils.text import Truncator\n" in src
    _, every, _ = generate(every_type())
    assert 'return self.title or f"{self._meta.verbose_name} {self.pk}"' in class_body(every, "Bare")


def test_nasty_titles_compile_and_stay_literal():
    _, src, _ = generate(every_type())
    meta = class_body(src, "Owner")
    values = [
        ast.literal_eval(n.value)
        for n in ast.walk(ast.parse(meta))
        if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "verbose_name"
    ]
    assert values == [NASTY]


def test_a_renamed_field_carries_its_new_name_only():
    entity = Entity(name="Item", fields=(field("title", "str", n=9, was="name"), field("n", "int")))
    _, src, _ = generate(spec_of(entity))
    assert declaration(src, "Item", "title") == "models.CharField(max_length=9, blank=True)"
    assert "name" not in class_body(src, "Item").replace("verbose_name", "")


def test_names_in_the_way_of_others_get_a_variant_that_works():
    """A model or choices class that would shadow an import, another class or a field keeps the
    spec's name where it came first and gets a variant where it did not (issue #13)."""
    _, src, handed = generate(spec_of(Entity(name="models"), Entity(name="super")))
    assert handed["classes"] == {"models": "modelsModel", "super": "superModel"}
    assert "class modelsModel(models.Model)" in src and "class superModel(models.Model)" in src
    enum = field("state", "enum", values=("a",))
    _, src, _ = generate(spec_of(Entity(name="Case", fields=(enum,)), Entity(name="CaseState")))
    assert "class CaseStateChoices(models.TextChoices)" in src and "class CaseState(models.Model)" in src
    assert "choices=CaseStateChoices.choices" in class_body(src, "Case")
    hiding = Entity(name="Case", fields=(field("CaseState", "int"), enum))
    _, src, _ = generate(spec_of(hiding))
    assert "CaseState = models.IntegerField" in class_body(src, "Case")
    assert "choices=CaseStateChoices.choices" in class_body(src, "Case")
    # Django names models by their lower case: a second `ITEM` next to `Item` steps aside.
    _, src, handed = generate(spec_of(Entity(name="Item"), Entity(name="ITEM")))
    assert handed["classes"] == {"Item": "Item", "ITEM": "ITEMModel"}


def test_keyword_field_names_get_safe_attributes():
    entity = Entity(name="Item", fields=tuple(field(n, "str", n=5) for n in ("class", "models", "in", "pk")))
    _, src, _ = generate(spec_of(entity))
    attrs = naming.field_attrs(entity)
    for name, attr in attrs.items():
        assert attr.isidentifier() and attr != name
        assert f"{attr} = models.CharField" in src


def test_slice_ignores_surfaces():
    gen = ModelsGenerator()
    spec = helpdesk()
    assert (
        gen.slice(spec).model_dump_json()
        == gen.slice(spec.model_copy(update={"surfaces": ()})).model_dump_json()
    )
    retitled = spec.model_copy(
        update={"entities": (spec.entities[0].model_copy(update={"title": "Client"}), *spec.entities[1:])}
    )
    assert gen.slice(spec) != gen.slice(retitled)


def test_field_attrs_answers_per_entity_and_a_changed_entity_afresh():
    entity = Entity(name="Thing", fields=(field("class", "str"), field("id", "int")))
    first = naming.field_attrs(entity)
    assert first == {"class": "class_field", "id": "id_field"}
    first["class"] = "spoiled"  # a caller's change stays with the caller
    assert naming.field_attrs(entity) == {"class": "class_field", "id": "id_field"}
    renamed = entity.model_copy(update={"fields": (field("klass", "str"), field("id", "int"))})
    assert naming.field_attrs(renamed) == {"klass": "klass", "id": "id_field"}


def test_a_record_without_text_is_named_by_a_required_value_before_its_key():
    loan = Entity(
        name="Loan",
        fields=(
            field("id", "uuid", pk=True),
            field("state", "enum", values=("out", "back"), required=True),
            field("due", "date", required=True),
        ),
    )
    bare = Entity(name="Tick", fields=(field("at", "datetime"),))
    _, src, _ = generate(spec_of(loan, bare))
    assert 'return f"{self._meta.verbose_name} {self.get_state_display()}"' in class_body(src, "Loan")
    assert 'return f"{self._meta.verbose_name} {self.pk}"' in class_body(src, "Tick")
