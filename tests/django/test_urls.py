"""The urls generator: names, converters, order, and no route to a page that does not exist."""

from __future__ import annotations

import re

from generators.django.urls import UrlsGenerator
from tests.django.web_specs import every_type, helpdesk
from tests.support import artifacts_read_by


def urls_of(spec) -> str:
    gen = UrlsGenerator()
    sliced = gen.slice(spec)
    [file] = gen.generate(
        type(sliced).model_validate_json(sliced.model_dump_json()), artifacts_read_by(gen, spec)
    ).files
    compile(file.content, file.path, "exec")
    return file.content


def routes(source: str) -> list[tuple[str, str]]:
    return re.findall(r'path\("([^"]*)", views\.\w+\.as_view\(\), name="([^"]+)"\)', source)


def test_names_and_paths():
    found = {name: path for path, name in routes(urls_of(helpdesk()))}
    assert found["home"] == ""
    assert found["case-list"] == "cases/"
    assert found["case-create"] == "cases/new/"
    assert found["case-detail"] == "cases/<uuid:pk>/"
    assert found["case-update"] == "cases/<uuid:pk>/edit/"
    assert found["case-delete"] == "cases/<uuid:pk>/delete/"
    assert found["reply-create"] == "replies/new/"
    # Pages no surface asks for have no route.
    assert not {"agent-detail", "agent-update", "agent-delete", "reply-list", "reply-detail"} & set(found)
    assert "customer-update" not in found and "customer-delete" in found  # delete offered from detail


def test_fixed_paths_come_before_keyed_ones():
    paths = [p for p, _ in routes(urls_of(helpdesk()))]
    assert paths.index("cases/new/") < paths.index("cases/<uuid:pk>/")


def test_int_keys_custom_surfaces_and_bare_entities():
    found = {name: path for path, name in routes(urls_of(every_type()))}
    assert found["thing-detail"] == "things/<int:pk>/"
    assert found["surface-ask"] == "ask/"
    assert not any(name.startswith("bare-") for name in found)


def test_slice_ignores_labels():
    spec = helpdesk()
    relabelled = spec.model_copy(
        update={"surfaces": tuple(s.model_copy(update={"title": "Other"}) for s in spec.surfaces)}
    )
    assert UrlsGenerator().slice(spec) == UrlsGenerator().slice(relabelled)


def test_a_custom_surface_steps_aside_from_the_paths_flows_and_webhooks_own():
    """`flows/` and `webhooks/` belong to the experiences and the syncs: a custom surface called
    like one of them moves aside, whether or not the app has one yet (so its URL does not move
    when the first experience comes)."""
    from tests.django.web_specs import surface

    spec = helpdesk()
    spec = spec.model_copy(
        update={"surfaces": (*spec.surfaces, surface("flows", None, "custom", [("q", "Q")]))}
    )
    gen = UrlsGenerator()
    given = artifacts_read_by(gen, spec)
    assert not given["experiences"]["flows"]
    assert ("flows-page/", "surface-flows") in routes(urls_of(spec))
    given["experiences"] = {
        **given["experiences"],
        "flows": [
            {
                "flow": "x",
                "path": "flows/x/",
                "url_name": "flow-x",
                "step_path": "flows/x/<str:step>/",
                "step_url_name": "flow-x-step",
            }
        ],
    }
    [file] = gen.generate(gen.slice(spec), given).files
    assert 'path("flows-page/", views.FlowsView.as_view(), name="surface-flows")' in file.content
    assert 'path("flows/x/", flows.FlowView.as_view(flow="x"), name="flow-x")' in file.content
    assert "from . import flows, lists, views" in file.content
