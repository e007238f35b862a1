"""The views generator: which view classes exist, where forms go after a submit, slice scope."""

from __future__ import annotations

from dazzle.ir import Outcome, SurfaceAction
from generators.django.views import ViewsGenerator
from tests.django.web_specs import every_type, helpdesk


def views_of(spec) -> str:
    gen = ViewsGenerator()
    sliced = gen.slice(spec)
    # The engine hands generate() the slice re-read from its JSON file.
    result = gen.generate(type(sliced).model_validate_json(sliced.model_dump_json()), {})
    [file] = result.files
    compile(file.content, file.path, "exec")
    return file.content


def class_body(source: str, name: str) -> str:
    start = source.index(f"\nclass {name}(")
    end = source.find("\nclass ", start + 1)
    return source[start : end if end != -1 else None]


def test_views_exist_only_for_pages_the_surfaces_ask_for():
    source = views_of(helpdesk())
    assert (
        'class CaseListView(mixin("CaseListViewMixin"), access.Guarded, lists.ListPage, generic.ListView)'
        in source
    )
    for page in ("Create", "Detail", "Update", "Delete"):
        assert f"class Case{page}View(" in source
    # Agent has list and create surfaces only: no detail, edit or delete page.
    assert "class AgentListView(" in source and "class AgentCreateView(" in source
    assert (
        "AgentDetailView" not in source
        and "AgentUpdateView" not in source
        and "AgentDeleteView" not in source
    )
    # Reply has only a create surface.
    assert "class ReplyCreateView(" in source and "ReplyListView" not in source
    assert 'class HomeView(mixin("HomeViewMixin"), generic.TemplateView)' in source


def test_entity_without_surface_has_no_view():
    source = views_of(every_type())
    assert "Bare" not in source


def test_submit_action_leading_to_view_surface_redirects_to_the_record():
    body = class_body(views_of(helpdesk()), "CaseUpdateView")
    assert 'return reverse("case-detail", args=[self.object.pk])' in body
    assert "form_class = forms.CaseUpdateForm" in body


def test_submit_action_leading_to_list_surface_redirects_to_the_list():
    spec = helpdesk()
    edit = spec.surface("case_edit").model_copy(
        update={
            "actions": (
                SurfaceAction(
                    name="save", trigger="submit", outcome=Outcome(kind="surface", target="case_list")
                ),
            )
        }
    )
    spec = spec.model_copy(
        update={"surfaces": tuple(edit if s.name == "case_edit" else s for s in spec.surfaces)}
    )
    assert 'success_url = reverse_lazy("case-list")' in class_body(views_of(spec), "CaseUpdateView")


def test_experience_outcome_keeps_the_default_redirect():
    spec = helpdesk()
    new = spec.surface("case_new").model_copy(
        update={
            "actions": (
                SurfaceAction(name="go", trigger="submit", outcome=Outcome(kind="experience", target="x")),
            )
        }
    )
    spec = spec.model_copy(
        update={"surfaces": tuple(new if s.name == "case_new" else s for s in spec.surfaces)}
    )
    assert 'reverse("case-detail", args=[self.object.pk])' in class_body(views_of(spec), "CaseCreateView")


def test_default_redirects_without_detail_page():
    source = views_of(helpdesk())
    # Back to the page it was opened from (``?next=``), else the list.
    assert 'return self.return_url() or reverse("agent-list")' in class_body(source, "AgentCreateView")
    # A reply has no page of its own: saved, it shows the case it belongs to.
    assert 'return self.return_url() or reverse("case-detail", args=[self.object.case_id])' in class_body(
        source, "ReplyCreateView"
    )


def test_list_search_and_related_fields():
    body = class_body(views_of(helpdesk()), "CaseListView")
    assert 'search_fields = ("subject",)' in body
    assert 'related_fields = ("customer", "owner")' in body
    # Keyword field names are searched by their model attribute.
    assert '"class_field"' in class_body(views_of(every_type()), "ThingListView")


def test_delete_refuses_protected_rows_with_a_message():
    source = views_of(helpdesk())
    assert "except deletion.ProtectedError" in source
    assert 'refused_url_name = "case-detail"' in class_body(source, "CaseDeleteView")
    assert "messages.error(" in source


def test_custom_surface_view():
    body = class_body(views_of(every_type()), "AskView")
    assert "form_class = forms.AskForm" in body
    assert 'template_name = "every/surfaces/ask.html"' in body


def test_slice_ignores_titles_and_labels():
    spec = helpdesk()
    relabelled = spec.model_copy(
        update={"surfaces": tuple(s.model_copy(update={"title": "Other " + s.label}) for s in spec.surfaces)}
    )
    assert ViewsGenerator().slice(spec) == ViewsGenerator().slice(relabelled)
    retitled = spec.model_copy(update={"app": spec.app.model_copy(update={"title": "New title"})})
    assert ViewsGenerator().slice(spec) == ViewsGenerator().slice(retitled)


def test_custom_surface_names_never_clash_with_other_views():
    from tests.django.web_specs import surface

    spec = helpdesk()
    clashing = (
        surface("case_list_page", None, "custom", [("q", "Q")]),  # distinct already
        surface("case_list", None, "custom", [("q", "Q")]),
        surface("home", None, "custom", [("q", "Q")]),
    )
    # Names are unique per kind, so a custom surface may not reuse `case_list`; rename the list.
    renamed = tuple(
        s.model_copy(update={"name": "cases_all"}) if s.name == "case_list" else s for s in spec.surfaces
    )
    source = views_of(spec.model_copy(update={"surfaces": renamed + clashing}))
    names = [line.split("(")[0][len("class ") :] for line in source.splitlines() if line.startswith("class ")]
    assert len(names) == len(set(names)), names
    assert "CaseListSurfaceView" in names and "HomeSurfaceView" in names and "CaseListPageView" in names


def test_generators_depend_on_the_helpers_they_render_with_and_on_no_other_generator():
    from dazzle.plugins.registry import generators
    from generators.django.templates import TemplatesGenerator
    from generators.django.tests import TestsGenerator
    from generators.django.views import ViewsGenerator

    modules = {f"{g.name}.py" for g in generators(("django",))}
    for gen in generators(("django",)):
        names = {p.name for p in gen.source_files()}
        assert {"base.py", "naming.py", "render.py", f"{gen.name}.py"} <= names, gen
        # What one needs of another comes through its artifact: editing a generator's code
        # re-runs that generator alone (and the readers of an artifact whose bytes changed).
        assert names & modules == {f"{gen.name}.py"}, gen
    assert "test_values.py" in {p.name for p in TestsGenerator.source_files()}
    # how a surface connects to pages and actions, asked by both at slice time
    assert "wiring.py" in {p.name for p in TemplatesGenerator.source_files()}
    assert "wiring.py" in {p.name for p in ViewsGenerator.source_files()}


def test_every_page_names_the_rule_it_is_under():
    source = views_of(helpdesk())
    for view, operation in (("List", "list"), ("Create", "create"), ("Detail", "read"), ("Update", "update")):
        body = class_body(source, f"Case{view}View")
        assert "access.Guarded" in body and 'access_key = "Case"' in body
        assert f'access_operation = "{operation}"' in body
    assert 'access_operation = "delete"' in class_body(source, "CaseDeleteView")
    # Forms that save fill the `user` fields from the signed-in person.
    assert "access.Stamped" in class_body(source, "CaseCreateView")
    assert "access.Stamped" in class_body(source, "CaseUpdateView")
    assert "access.Stamped" not in class_body(source, "CaseDetailView")
