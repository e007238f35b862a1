"""What the Django generators hand on: each artifact is plain data that survives the engine's
envelope, carries what its readers need, and is what the readers go by — change a decision in
the artifact and the reader follows it, whatever the spec would suggest."""

from __future__ import annotations

import re

import pytest

from dazzle.engine import artifacts as envelope
from dazzle.plugins import registry
from dazzle.semantics.frontend import load_project
from dazzle.testing import run_generators
from tests.django.web_specs import edge_cases, every_type, helpdesk
from tests.support import EXAMPLES, artifacts_read_by

GENERATORS = {g.name: g for g in registry.generators(["django"])}


@pytest.fixture(scope="module")
def invoicing():
    """Every kind of artifact data at once: custom surfaces, flows, actions, syncs of both modes."""
    spec, _warnings = load_project(EXAMPLES / "invoicing")
    return spec


def produced(name: str, spec) -> dict:
    """Generator ``name``'s artifact for ``spec``, and its files."""
    gen = GENERATORS[name]
    result = gen.generate(gen.slice(spec), artifacts_read_by(gen, spec))
    return result.artifacts, {f.path: f.content for f in result.files}


def read(name: str, spec, **artifacts) -> dict[str, str]:
    """The files of reader ``name`` made from ``artifacts`` (the producer's name → its dict)."""
    gen = GENERATORS[name]
    return {f.path: f.content for f in gen.generate(gen.slice(spec), artifacts).files}


def is_plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(is_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, bool))


@pytest.mark.parametrize("make", [helpdesk, every_type, edge_cases])
def test_every_artifact_is_plain_data_that_survives_the_envelope(make, tmp_path):
    spec = make()
    for name, gen in GENERATORS.items():
        if gen.per_item:
            continue
        handed, _files = produced(name, spec)
        assert is_plain(handed), name
        path = tmp_path / f"{name}.pickle"
        envelope.write(path, f"generate:django:{name}", handed)
        assert envelope.read(path) == handed


def test_readers_render_the_same_from_artifacts_read_back_from_their_files(invoicing, tmp_path):
    for name, gen in GENERATORS.items():
        if not gen.reads:
            continue
        given = artifacts_read_by(gen, invoicing)
        back = {}
        for producer, handed in given.items():
            path = tmp_path / f"{producer}.pickle"
            envelope.write(path, producer, handed)
            back[producer] = envelope.read(path, producer)
        assert read(name, invoicing, **back) == read(name, invoicing, **given), name


def test_views_hands_urls_every_view_class_it_wrote(invoicing):
    views, files = produced("views", invoicing)
    defined = set(re.findall(r"^class (\w+)\(", files["invoicing/views.py"], re.M))
    named = {views["home"], *views["customs"].values()}
    named |= {cls for pages in views["entities"].values() for cls in pages.values()}
    assert named <= defined
    routed = set(re.findall(r"views\.(\w+)\.as_view", read_urls(invoicing)))
    assert routed == named


def read_urls(spec) -> str:
    _nothing, files = produced("urls", spec)
    [urls] = files.values()
    return urls


def test_urls_takes_view_classes_from_the_artifact(invoicing):
    given = artifacts_read_by(GENERATORS["urls"], invoicing)
    surface, cls = next(iter(given["views"]["customs"].items()))
    given["views"] = {**given["views"], "customs": {**given["views"]["customs"], surface: "ChosenView"}}
    urls = read("urls", invoicing, **given)["invoicing/urls.py"]
    assert "views.ChosenView.as_view()" in urls and f"views.{cls}.as_view()" not in urls


def test_experiences_hands_urls_the_routes_its_flow_view_expects(invoicing):
    flows, files = produced("experiences", invoicing)
    assert f"class {flows['view']}(" in files[f"invoicing/{flows['module']}.py"]
    urls = read_urls(invoicing)
    for flow in flows["flows"]:
        assert flow["step_url_name"] == flow["url_name"] + "-step"  # what flows.py reverses
        assert (
            f'path("{flow["path"]}", flows.FlowView.as_view(flow="{flow["flow"]}"), name="{flow["url_name"]}")'
            in urls
        )
        assert f'path("{flow["step_path"]}", ' in urls and f'name="{flow["step_url_name"]}"' in urls


def test_integrations_hands_on_webhook_routes_and_sync_commands(invoicing):
    handed, files = produced("integrations", invoicing)
    commands = "invoicing/management/commands"
    assert handed["schedules"] and f"{commands}/{handed['scheduler']}.py" in files
    assert all(f"{commands}/{command}.py" in files for _cron, command in handed["schedules"])
    assert f"class {handed['webhook_view']}(" in files[f"invoicing/{handed['module']}.py"]
    urls = read_urls(invoicing)
    for webhook in handed["webhooks"]:
        assert webhook["path"].startswith(f"/{handed['webhook_prefix']}/")
        assert f'path("{webhook["path"].lstrip("/")}", ' in urls and f'sync="{webhook["sync"]}"' in urls
        assert webhook["secret_env"] in files["invoicing/test_integrations.py"]


def test_deployment_documents_what_the_integrations_artifact_says(invoicing):
    given = artifacts_read_by(GENERATORS["deployment"], invoicing)
    given["integrations"] = {
        **given["integrations"],
        "scheduler": "tick",
        "schedules": [("5 4 * * *", "sync_chosen")],
        "webhooks": [{"path": "/hooks/x/", "secret_env": "CHOSEN_SECRET", "sync": "a.b", "url_name": "x"}],
    }
    files = read("deployment", invoicing, **given)
    assert "worker: python manage.py tick" in files["Procfile"]
    assert "5 4 * * *" in files["README.md"] and "sync_chosen" in files["README.md"]
    assert "CHOSEN_SECRET" in files[".env.example"] and "/hooks/x/" in files["README.md"]


def test_services_hands_integrations_the_client_objects_it_defines(invoicing):
    handed, files = produced("services", invoicing)
    assert set(handed["clients"]) == {s.name for s in invoicing.services}
    for client in handed["clients"].values():
        assert re.search(rf"^{client} = ", files["invoicing/services.py"], re.M)
    given = {"services": {"clients": dict.fromkeys(handed["clients"], "chosen_client")}}
    integrations = read("integrations", invoicing, **given)["invoicing/integrations.py"]
    assert "client=services.chosen_client," in integrations
    assert not any(f"services.{c}," in integrations for c in handed["clients"].values())


def test_models_hands_the_hooks_the_names_models_py_uses(invoicing):
    handed, files = produced("models", invoicing)
    source = files["invoicing/models.py"]
    assert handed["app"] == "invoicing"
    assert list(handed["classes"]) == [e.name for e in invoicing.entities]
    for entity, cls in handed["classes"].items():
        assert f"\nclass {cls}(models.Model):" in source
        for attr in handed["fields"][entity].values():
            assert re.search(rf"^    {attr} = models\.", source, re.M), (entity, attr)


def test_the_whole_stack_in_memory_matches_the_readers_fed_one_by_one(invoicing):
    """``run_generators`` hands artifacts on as the engine does: the same urls as a lone call."""
    assert run_generators(invoicing)["invoicing/urls.py"].decode() == read_urls(invoicing)
