"""The tests generator: the generated test modules compile, import exactly what they use and
cover every page, form and access rule; one test file per DSL module; made rows respect
references; slices ignore titles."""

from __future__ import annotations

import subprocess

import pytest

from dazzle.ir import Entity
from dazzle.semantics.frontend import load_project
from generators.django.tests import TestsGenerator
from hooks import format_code
from tests.django.web_specs import NASTY, every_type, field, helpdesk
from tests.support import EXAMPLES


def files_of(spec) -> dict[str, str]:
    """path → content of the files of every item, each generated from its slice after JSON."""
    gen = TestsGenerator()
    found: dict[str, str] = {}
    for item in gen.slice(spec).values():
        for file in gen.generate(gen.slice_model.model_validate_json(item.model_dump_json()), {}).files:
            compile(file.content, file.path, "exec")
            assert file.path not in found, f"two items write {file.path}"
            found[file.path] = file.content
    return found


def module_of(spec) -> str:
    """All the generated test code as one text."""
    return "\n".join(files_of(spec).values())


def test_covers_every_page_of_every_entity():
    source = module_of(helpdesk())
    for test in (
        "test_create_through_the_form",
        "test_create_form_holds_exactly_the_surface_fields",
        "test_list_shows_records",
        "test_list_search",
        "test_detail_shows_the_record",
        "test_edit_through_the_form",
        "test_edit_ignores_fields_outside_the_form",
        "test_delete_after_confirmation",
        "test_delete_of_a_referenced_record_is_refused",
        "test_unknown_or_malformed_key_is_404",
        "test_create_rejects_a_value_outside_the_enum",
    ):
        assert f"def {test}(self)" in source, test
    assert "class CasePagesTests(SignedInTestCase)" in source
    assert "class ReplyPagesTests(SignedInTestCase)" in source


def test_makers_fill_required_refs_first():
    source = module_of(helpdesk())
    maker = source[source.index("def make_reply(") : source.index("def make_agent(")]
    assert 'fields["case"] = make_case()' in maker  # a soft keyword is a valid attribute name
    assert 'fields["author"] = make_agent()' in maker
    assert 'fields.setdefault("message", unique_text(40))' in maker


def test_form_data_covers_every_type():
    source = module_of(every_type())
    for expected in (
        '"price": "7.50"',
        '"ratio": "0.50"',
        '"flag": "on"',
        '"day": "2026-03-14"',
        '"at": "2026-03-14 09:30"',
        '"mail": "create.mail@example.com"',
        '"type": "class"',
        '"owner": str(owner.pk)',
        "as_local(record.at)",
        "uuid.UUID(",
    ):
        assert expected in source, expected
    # Fields outside the create surface are posted and must be ignored.
    assert 'data["count"] = "4343"' in source


def test_access_rules_follow_login_required():
    assert "def test_pages_need_a_login(self)" in module_of(helpdesk(login_required=True))
    public = module_of(helpdesk(login_required=False))
    assert "def test_pages_are_public(self)" in public and "test_pages_need_a_login" not in public
    assert "def test_admin_is_for_staff_only(self)" in public


def test_required_ref_cycle_gets_no_maker():
    spec = every_type()
    a = Entity(name="Hen", fields=(field("egg", "ref", ref="Egg", required=True),))
    b = Entity(name="Egg", fields=(field("hen", "ref", ref="Hen", required=True),))
    source = module_of(spec.model_copy(update={"entities": spec.entities + (a, b)}))
    assert "def make_hen(" not in source and "def make_egg(" not in source


def test_spec_titles_are_escaped_and_slice_ignores_entity_titles():
    source = module_of(every_type())
    assert NASTY not in source  # labels appear HTML-escaped, as the page shows them, inside literals
    spec = every_type()
    retitled = spec.model_copy(
        update={"entities": tuple(e.model_copy(update={"title": "X"}) for e in spec.entities)}
    )
    assert TestsGenerator().slice(spec) == TestsGenerator().slice(retitled)


def test_one_test_file_per_module_and_shared_support():
    spec, _ = load_project(EXAMPLES / "helpdesk")
    files = files_of(spec)
    assert sorted(files) == [
        "helpdesk/tests/__init__.py",
        "helpdesk/tests/support.py",
        "helpdesk/tests/test_access.py",  # the example has permit rules
        "helpdesk/tests/test_helpdesk_core.py",
        "helpdesk/tests/test_helpdesk_people.py",
        "helpdesk/tests/test_lists.py",  # sorting, filters, related lists, query counts
        "helpdesk/tests/test_site.py",
    ]
    assert "class AgentPagesTests(SignedInTestCase)" in files["helpdesk/tests/test_helpdesk_people.py"]
    assert "class CasePagesTests(SignedInTestCase)" in files["helpdesk/tests/test_helpdesk_core.py"]
    assert "class AgentPagesTests" not in files["helpdesk/tests/test_helpdesk_core.py"]
    assert "def make_agent(" in files["helpdesk/tests/support.py"]
    assert "class AccessTests(TestCase)" in files["helpdesk/tests/test_site.py"]


def relabel_agent_list(spec):
    agent_list = next(s for s in spec.surfaces if s.entity == "Agent" and s.mode == "list")
    section = agent_list.sections[0]
    relabelled_field = section.fields[0].model_copy(update={"label": "Renamed column"})
    relabelled = agent_list.model_copy(
        update={
            "sections": (
                section.model_copy(update={"fields": (relabelled_field, *section.fields[1:])}),
                *agent_list.sections[1:],
            )
        }
    )
    return spec.model_copy(
        update={"surfaces": tuple(relabelled if s is agent_list else s for s in spec.surfaces)}
    )


def test_a_label_edit_changes_only_its_module_item():
    spec, _ = load_project(EXAMPLES / "helpdesk")
    before, after = TestsGenerator().slice(spec), TestsGenerator().slice(relabel_agent_list(spec))
    assert sorted(before) == ["site", "test_helpdesk_core", "test_helpdesk_people"]
    assert [item for item in before if before[item] != after[item]] == ["test_helpdesk_people"]


def test_module_item_holds_the_entities_its_tests_reach():
    spec, _ = load_project(EXAMPLES / "helpdesk")
    items = TestsGenerator().slice(spec)
    people = {e.name for e in items["test_helpdesk_people"].module.entities}
    # Agent's own page tests; Case and Reply refer to an agent (a referenced agent's delete is
    # refused); Case refers to Customer, so a Case row needs one.
    assert people == {"Agent", "Case", "Reply", "Customer"}
    assert {p.name for p in items["test_helpdesk_people"].module.plans} == {"Agent"}
    assert len(items["site"].site.entities) == len(spec.entities)


def test_module_named_like_the_site_file_gets_another_name():
    spec = helpdesk()
    spec = spec.model_copy(
        update={"entities": tuple(e.model_copy(update={"module": "site"}) for e in spec.entities)}
    )
    files = files_of(spec)
    assert (
        "helpdesk/tests/test_site_2.py" in files
        and "class CustomerPagesTests" in files["helpdesk/tests/test_site_2.py"]
    )
    assert "class AccessTests" in files["helpdesk/tests/test_site.py"]


def test_a_label_edit_changes_only_its_module_file():
    spec, _ = load_project(EXAMPLES / "helpdesk")
    before, after = files_of(spec), files_of(relabel_agent_list(spec))
    assert [path for path in before if before[path] != after[path]] == [
        "helpdesk/tests/test_helpdesk_people.py"
    ]
    assert "Renamed column" in after["helpdesk/tests/test_helpdesk_people.py"]


@pytest.mark.skipif(format_code.ruff_command() is None, reason="ruff is not installed")
@pytest.mark.parametrize("example", ["todo", "helpdesk", "invoicing"])
def test_every_file_imports_exactly_what_it_uses(example, tmp_path):
    spec, _ = load_project(EXAMPLES / example)
    for path, content in files_of(spec).items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    # pyflakes' rules: an undefined name (F821) or an unused import (F401) fails.
    found = subprocess.run(
        [
            *format_code.ruff_command(),
            "check",
            "--isolated",
            "--select",
            "F821,F401",
            "--no-cache",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stdout + found.stderr
