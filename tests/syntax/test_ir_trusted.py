"""``Node.trusted`` (the parser's and the linker's unvalidated constructor) builds exactly the
nodes validation would, on every construct of the example projects; JSON, equality and
immutability behave as for validated nodes."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import cloudpickle
import pytest
from pydantic import BaseModel, ValidationError

from dazzle import ir
from dazzle.semantics.config import dsl_files, load_config
from dazzle.semantics.frontend import load_project, parse_all
from tests.support import EXAMPLES

EXAMPLE_NAMES = ["todo", "helpdesk", "invoicing"]


def models_in(value: object) -> Iterator[BaseModel]:
    """``value`` and every model inside it (fields, tuples, ``loc`` and ``locs`` included)."""
    if isinstance(value, BaseModel):
        yield value
        for item in value.__dict__.values():
            yield from models_in(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from models_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from models_in(item)


def assert_same_values(built: object, validated: object) -> None:
    assert type(built) is type(validated)
    if isinstance(built, tuple):
        assert len(built) == len(validated)
        for a, b in zip(built, validated):
            assert_same_values(a, b)
    elif isinstance(built, dict):
        assert list(built) == list(validated)
        for key in built:
            assert_same_values(built[key], validated[key])
    else:
        assert built == validated


# Every access-control construct (0.2), for the nodes the examples may not have.
ACCESS_PROJECT = {
    "dazzle.toml": '[project]\nname = "desk"\n',
    "dsl/app.dsl": """\
app desk "Desk":
  roles: agent "Support agent", manager

entity Ticket "Ticket":
  title: str(200) required
  owner: user auto_add
  editor: user auto_update
  assignee: user
  permit:
    list: signed_in
    read: anyone or (role(agent) and assignee = current_user)
    create: role(agent) or role(manager) or nobody
    update: role(manager) or owner = current_user
    delete: role(manager)

surface ticket_list:
  uses entity Ticket
  mode: list
  permit: role(agent)
  section main:
    field title
""",
    "dsl/other.dsl": """\
use app

entity Note:
  body: text
  by: user auto_add
  permit:
    read: role(manager)

surface contact:
  uses entity Note
  mode: custom
  permit: signed_in and by = current_user or role(agent)
  section main:
    field subject
""",
}


def access_project(root) -> object:
    for rel, text in ACCESS_PROJECT.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def assert_trusted_nodes_validate(spec: ir.AppSpec) -> int:
    """Every node of ``spec`` is the one validation builds from its fields; how many."""
    count = 0
    for model in models_in(spec):
        given = {name: getattr(model, name) for name in model.model_fields_set}
        validated = type(model)(**given)
        assert list(model.__dict__) == list(validated.__dict__), type(model)
        for name, value in model.__dict__.items():
            assert_same_values(value, validated.__dict__[name])
        assert model.model_fields_set == validated.model_fields_set
        assert model.__pydantic_extra__ == validated.__pydantic_extra__
        assert model.__pydantic_private__ == validated.__pydantic_private__
        assert model.__getstate__() == validated.__getstate__()
        assert repr(model) == repr(validated)
        count += 1
    return count


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_trusted_nodes_are_the_validated_ones(example):
    spec, _ = load_project(EXAMPLES / example)
    assert assert_trusted_nodes_validate(spec) > 50


def test_trusted_access_control_nodes_are_the_validated_ones(tmp_path):
    spec, _ = load_project(access_project(tmp_path))
    assert assert_trusted_nodes_validate(spec) > 30
    kinds = {type(model).__name__ for model in models_in(spec)}
    assert {"Role", "PermitRule", "Condition"} <= kinds
    conditions = [model for model in models_in(spec) if isinstance(model, ir.Condition)]
    assert {c.kind for c in conditions} == {"anyone", "signed_in", "nobody", "role", "field", "and", "or"}


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_json_round_trip_and_equality(example):
    project = EXAMPLES / example
    spec, _ = load_project(project)
    assert ir.AppSpec.model_validate_json(spec.model_dump_json()) == spec
    for module in parse_all(project, dsl_files(project, load_config(project))):
        dumped = module.model_dump_json()
        assert '"loc"' not in dumped and '"locs"' not in dumped
        again = ir.Module.model_validate_json(dumped)
        assert again == module
        assert again.model_dump_json() == dumped


def test_trusted_nodes_stay_frozen():
    spec, _ = load_project(EXAMPLES / "todo")
    entity = spec.entities[0]
    with pytest.raises(ValidationError):
        entity.name = "Other"
    with pytest.raises(AttributeError):  # a Location is a named tuple
        entity.fields[0].loc.line = 99  # type: ignore[misc]


def test_trusted_fills_defaults_and_fresh_locs():
    first = ir.Section.trusted(name="main")
    second = ir.Section.trusted(name="main")
    assert first == ir.Section(name="main")
    assert first.title is None and first.fields == ()
    assert first.locs == {} and first.locs is not second.locs
    assert first.model_fields_set == {"name"}
    assert ir.Location.trusted("a.dsl", 1, 2) == ir.Location(file="a.dsl", line=1, column=2)


def test_replace_is_model_copy_with_update():
    spec, _ = load_project(EXAMPLES / "helpdesk")
    for entity in spec.entities:
        for changes in ({"title": None, "module": ""}, {"fields": entity.fields[:1]}, {}):
            fast, slow = entity.replace(**changes), entity.model_copy(update=changes)
            assert fast.__dict__ == slow.__dict__ and list(fast.__dict__) == list(slow.__dict__)
            assert fast.model_fields_set == slow.model_fields_set
            assert fast.model_dump_json() == slow.model_dump_json() and fast.loc == entity.loc
            assert fast is not entity and entity.title == spec.entity(entity.name).title
    with pytest.raises(TypeError, match="no field colour"):
        spec.entities[0].replace(colour="red")
    with pytest.raises(ValidationError):
        spec.entities[0].replace(title="x").name = "frozen"


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps])
def test_pickle_round_trip_keeps_nodes_and_locations(dumps):
    spec, _ = load_project(EXAMPLES / "invoicing")
    again = pickle.loads(dumps(spec, protocol=5))
    assert again == spec and again.model_dump_json() == spec.model_dump_json()
    for before, after in zip(models_in(spec), models_in(again)):
        assert type(before) is type(after)
        assert before.__dict__.keys() == after.__dict__.keys()
        assert before.model_fields_set == after.model_fields_set
        assert getattr(before, "loc", None) == getattr(after, "loc", None)
    with pytest.raises(ValidationError):
        again.entities[0].name = "frozen"


def test_shared_fields_sets_are_never_changed_by_copies():
    first = ir.Section.trusted(name="main")
    second = ir.Section.trusted(name="other")
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__  # shared by design
    copied = first.model_copy(update={"title": "Main"})
    replaced = first.replace(title="Main")
    assert copied.model_fields_set == replaced.model_fields_set == {"name", "title"}
    assert first.model_fields_set == second.model_fields_set == {"name"}
