"""The templates generator: one page per surface, labels in order, escaping, links only to
pages that exist, valid Django template syntax, per-item slices."""

from __future__ import annotations

import re

import pytest
from django.template import Engine

from dazzle.ir import SurfaceField
from generators.django.render import html_text
from generators.django.templates import TemplatesGenerator
from generators.django.urls import UrlsGenerator
from tests.django.web_specs import NASTY, every_type, helpdesk
from tests.support import artifacts_read_by


def templates_of(spec) -> dict[str, str]:
    gen = TemplatesGenerator()
    files = {}
    for part in gen.slice(spec).values():
        part = type(part).model_validate_json(part.model_dump_json())
        for f in gen.generate(part, {}).files:
            files[f.path] = f.content
    return files


def url_names(spec) -> set[str]:
    gen = UrlsGenerator()
    [file] = gen.generate(gen.slice(spec), artifacts_read_by(gen, spec)).files
    return set(re.findall(r'name="([^"]+)"', file.content)) | {"login", "logout", "admin:index"}


@pytest.mark.parametrize("make", [helpdesk, every_type])
def test_every_template_parses_and_links_only_to_existing_pages(make):
    spec = make()
    engine = Engine(libraries={"static": "django.templatetags.static"})
    known = url_names(spec)
    for path, content in templates_of(spec).items():
        engine.from_string(content)  # a syntax error raises TemplateSyntaxError
        for name in re.findall(r"""{% url ['"]([^'"]+)['"]""", content):
            assert name in known, f"{path} links to {name}, which has no route"


def test_pages_per_surface():
    files = templates_of(helpdesk())
    names = {p.rsplit("/", 1)[-1] for p in files}
    assert {
        "case_list.html",
        "case_create.html",
        "case_detail.html",
        "case_update.html",
        "case_confirm_delete.html",
        "reply_create.html",
        "agent_list.html",
        "agent_create.html",
    } <= names
    assert "agent_detail.html" not in names and "reply_list.html" not in names
    assert {"base.html", "home.html", "login.html", "_field.html", "_pagination.html"} <= names
    assert "helpdesk/templates/registration/login.html" in files


def test_list_columns_follow_the_surface():
    page = templates_of(helpdesk())["helpdesk/templates/helpdesk/case_list.html"]
    headers = re.findall(r'<th scope="col"[^>]*><a class="sort[^"]*" href="[^"]*">([^<]*)</a></th>', page)
    assert headers == ["Subject", "State", "Severity", "Customer", "Owner", "Opened"]
    assert '{{ row.get_state_display|default:"—" }}' in page  # enum label
    assert '{% url "customer-detail" row.customer_id %}' in page  # ref to a page that exists
    assert '{{ row.owner|default_if_none:"—" }}' in page  # Agent has no detail page: no link
    assert 'name="q"' in page and "Open cases" in page
    assert '{% include "helpdesk/_pagination.html" %}' in page and "Nothing here yet" in page


def test_bool_and_empty_values():
    page = templates_of(helpdesk())["helpdesk/templates/helpdesk/agent_list.html"]
    assert '{{ row.active|yesno:"yes,no,—" }}' in page


def test_form_inputs_follow_the_surface_and_add_missing_required_fields():
    files = templates_of(every_type())
    page = files["every/templates/every/thing_create.html"]
    inputs = re.findall(r"with field=form\.(\w+)", page)
    assert inputs[:3] == ["label", "class_field", "id_field"]
    assert "count" not in inputs  # left out by the surface, has a default
    assert "made" not in inputs  # auto_add
    assert "{% csrf_token %}" in page and "_form_errors.html" in page
    edit = files["every/templates/every/thing_update.html"]
    assert re.findall(r"with field=form\.(\w+)", edit) == ["label", "price", "type"]
    assert '{% url "thing-list" %}' in edit  # the click action leading to the list surface


def test_submit_action_label_and_delete_link():
    page = templates_of(helpdesk())["helpdesk/templates/helpdesk/case_update.html"]
    assert ">Save</button>" in page
    assert "{% url 'case-delete' object.pk %}" in page


def test_spec_strings_are_escaped_everywhere():
    files = templates_of(every_type())
    escaped = html_text(NASTY)
    base = files["every/templates/every/base.html"]
    assert escaped in base
    for content in files.values():
        assert "<script>" not in content and "{{ x }}" not in content and "{% now %}" not in content
    Engine(libraries={"static": "django.templatetags.static"}).from_string(base)


def test_changing_one_entitys_surface_touches_only_its_item():
    spec = helpdesk()
    before = TemplatesGenerator().slice(spec)
    view = spec.surface("case_view")
    section = view.sections[0].model_copy(
        update={"fields": view.sections[0].fields + (SurfaceField(name="body", label="Again"),)}
    )
    changed = spec.model_copy(
        update={
            "surfaces": tuple(
                s.model_copy(update={"sections": (section,)}) if s.name == "case_view" else s
                for s in spec.surfaces
            )
        }
    )
    after = TemplatesGenerator().slice(changed)
    differing = {k for k in before if before[k] != after[k]}
    assert differing == {"entity_Case"}


def test_row_link_never_nests_another_link():
    spec = helpdesk()
    listing = spec.surface("case_list")
    section = listing.sections[0]
    first_ref = section.model_copy(
        update={"fields": (SurfaceField(name="customer", label="Customer"),) + section.fields}
    )
    spec = spec.model_copy(
        update={
            "surfaces": tuple(
                s.model_copy(update={"sections": (first_ref,)}) if s.name == "case_list" else s
                for s in spec.surfaces
            )
        }
    )
    page = templates_of(spec)["helpdesk/templates/helpdesk/case_list.html"]
    for row in re.findall(r"<td[^>]*>(.*?)</td>", page):
        assert row.count("<a ") <= 1, row


def test_links_follow_who_may_open_their_page():
    pages = templates_of(helpdesk())
    detail = pages["helpdesk/templates/helpdesk/case_detail.html"]
    # a reference's link only for those who may read its record; the value for the others
    assert '{% if can.Customer.read %}<a href="{% url "customer-detail" object.customer_id %}">' in detail
    assert "{% else %}{{ object.customer }}{% endif %}" in detail
    assert "{% if access_object.update %}" in detail and "{% if access_object.delete %}" in detail
    listing = pages["helpdesk/templates/helpdesk/case_list.html"]
    assert "{% if can.Case.create %}" in listing and "{% if can.Case.read %}" in listing
    base = pages["helpdesk/templates/helpdesk/base.html"]
    assert "{% if can.Case.list %}" in base
