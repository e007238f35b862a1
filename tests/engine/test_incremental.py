"""The engine re-runs exactly what an edit touched, and an incremental build always equals a
clean build. Uses the test stack (models per entity, pages per surface, index reading the
models' artifacts, the summary hook), never Django."""

from __future__ import annotations

import copy
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.teststack.harness import Project, Spec, clean_build_tree, teststack_fixture  # noqa: F401 (fixture)

ALL_FIRST_BUILD = {
    "generate:teststack:models:Product",
    "generate:teststack:models:Order",
    "generate:teststack:pages:product_list",
    "generate:teststack:pages:order_new",
    "generate:teststack:index",
}


def test_first_build_then_noop_runs_nothing(teststack, tmp_path):
    project = Project(tmp_path / "p")
    first = project.build()
    assert first.code == 0, first.output
    assert first.generated == ALL_FIRST_BUILD
    assert {"parse:dsl/app.dsl", "link", "post_build:summary"} <= set(first.executed)
    assert (project.out / "app" / "models" / "product.py").read_text().startswith('"""Product record"""')
    assert (
        project.out / "SUMMARY.txt"
    ).read_text() == "models: 2\nfields: 6\nsurfaces: product_list, order_new\n"
    assert "summary: 2 models summarised" in first.output

    again = project.build()
    assert again.code == 0
    assert again.executed == []


def test_changing_one_field_type_reruns_only_that_entity(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    spec.entities["Product"][2] = ("price", "int")  # a type change: only its model
    project.write(spec)
    result = project.build()
    assert result.code == 0
    assert result.generated == {"generate:teststack:models:Product"}
    assert 'price = "int"' in (project.out / "app/models/product.py").read_text()


def test_adding_a_field_reruns_its_model_and_the_readers_of_its_artifact(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    spec.entities["Order"].append(("note", "text"))
    project.write(spec)
    result = project.build()
    # the models artifact (field count) changed: index reads it, the summary hook too
    assert result.generated == {"generate:teststack:models:Order", "generate:teststack:index"}
    assert "post_build:summary" in result.executed
    assert (project.out / "SUMMARY.txt").read_text().startswith("models: 2\nfields: 7\n")


def test_a_label_edit_reruns_only_that_page(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    spec.surfaces["order_new"][2][1] = ("qty", "How many")
    project.write(spec)
    result = project.build()
    assert result.generated == {"generate:teststack:pages:order_new"}
    assert "How many" in (project.out / "app/pages/order_new.html").read_text()
    assert "post_build:summary" not in result.executed  # its spec_key (surface names) is unchanged


def test_a_hook_reruns_when_its_spec_key_changes(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    spec.surfaces["product_view"] = ("Product", "view", [("name", "Name")])
    project.write(spec)
    result = project.build()
    assert result.generated == {"generate:teststack:pages:product_view"}
    assert "post_build:summary" in result.executed
    assert "product_view" in (project.out / "SUMMARY.txt").read_text()


def test_a_comment_edit_runs_only_parsing(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    spec.comment = "a longer comment, and one more line\n# here"  # shifts every line below
    project.write(spec)
    result = project.build()
    assert result.code == 0
    assert result.generated == set()
    assert set(result.executed) <= {"parse:dsl/app.dsl", "link"}
    assert "parse:dsl/app.dsl" in result.executed


def test_a_template_edit_reruns_only_that_generator(teststack, tmp_path):
    project = Project(tmp_path / "p")
    assert project.build().code == 0
    template = teststack.templates / "pages" / "page.html.j2"
    original = template.read_text()
    try:
        template.write_text(original.replace("<h1>", "<h1 class='title'>"))
        result = project.build()
        assert result.generated == {
            "generate:teststack:pages:product_list",
            "generate:teststack:pages:order_new",
        }
        assert "class='title'" in (project.out / "app/pages/order_new.html").read_text()
    finally:
        template.write_text(original)


def test_adding_and_removing_an_entity_adds_and_removes_its_outputs(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    spec.entities["Invoice"] = [("id", "uuid pk"), ("total", "decimal(8,2)")]
    spec.surfaces["invoice_list"] = ("Invoice", "list", [("total", "Total")])
    project.write(spec)
    added = project.build()
    assert added.code == 0
    assert {
        "generate:teststack:models:Invoice",
        "generate:teststack:pages:invoice_list",
        "generate:teststack:index",
    } == added.generated
    assert (project.out / "app/models/invoice.py").exists()
    assert (project.out / "app/pages/invoice_list.html").exists()

    del spec.entities["Invoice"]
    del spec.surfaces["invoice_list"]
    spec.surfaces["order_new"] = ("Order", "create", [("qty", "Quantity")])
    project.write(spec)
    removed = project.build()
    assert removed.code == 0, removed.output
    assert not (project.out / "app/models/invoice.py").exists()
    assert not (project.out / "app/pages/invoice_list.html").exists()
    assert not (project.state / "slices/teststack/models/Invoice.json").exists()
    assert not (project.state / "manifest/teststack/models/Invoice.json").exists()
    assert project.tree() == clean_build_tree(tmp_path / "clean", spec)


# ---------------------------------------------------------------- random edit sequences

NAMES = ["Alpha", "Beta", "Gamma", "Delta"]
KINDS = ["str(50)", "int", "text", "bool", "decimal(6,2)", "date"]


def _apply(spec: Spec, edit: tuple) -> None:
    kind, a, b = edit
    entity = NAMES[a % len(NAMES)]
    if kind == "add_entity" and entity not in spec.entities:
        spec.entities[entity] = [("id", "uuid pk"), ("title", "str(80) required")]
        spec.surfaces[f"{entity.lower()}_list"] = (entity, "list", [("title", "Title")])
    elif kind == "remove_entity" and entity in spec.entities:
        del spec.entities[entity]
        spec.surfaces.pop(f"{entity.lower()}_list", None)
    elif kind == "add_field" and entity in spec.entities:
        name = f"f{b}"
        if all(f != name for f, _ in spec.entities[entity]):
            spec.entities[entity].append((name, KINDS[b % len(KINDS)]))
    elif kind == "retype_field" and entity in spec.entities and len(spec.entities[entity]) > 2:
        fields = spec.entities[entity]
        f, _ = fields[-1]
        fields[-1] = (f, KINDS[b % len(KINDS)])
    elif kind == "remove_field" and entity in spec.entities and len(spec.entities[entity]) > 2:
        spec.entities[entity].pop()
    elif kind == "relabel" and f"{entity.lower()}_list" in spec.surfaces:
        e, mode, fields = spec.surfaces[f"{entity.lower()}_list"]
        spec.surfaces[f"{entity.lower()}_list"] = (e, mode, [(fields[0][0], f"Label {b}")])
    elif kind == "retitle":
        spec.title = f"Shop {b}"
    elif kind == "comment":
        spec.comment = f"comment {b}" + "\n#" * (b % 3)


EDITS = st.tuples(
    st.sampled_from(
        [
            "add_entity",
            "remove_entity",
            "add_field",
            "retype_field",
            "remove_field",
            "relabel",
            "retitle",
            "comment",
        ]
    ),
    st.integers(0, 7),
    st.integers(0, 11),
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(EDITS, min_size=1, max_size=4), min_size=1, max_size=3))
def test_random_edit_sequences_build_the_same_bytes_as_a_clean_build(teststack, tmp_path_factory, batches):
    base = tmp_path_factory.mktemp("random")
    spec = Spec(
        entities={"Alpha": [("id", "uuid pk"), ("title", "str(80) required")]},
        surfaces={"alpha_list": ("Alpha", "list", [("title", "Title")])},
    )
    project = Project(base / "incremental", copy.deepcopy(spec))
    assert project.build().code == 0
    for batch in batches:
        for edit in batch:
            _apply(spec, edit)
        if not spec.entities:
            _apply(spec, ("add_entity", 0, 0))
        project.write(spec)
        result = project.build()
        assert result.code == 0, result.output
    assert project.tree() == clean_build_tree(base / "clean", spec)


# ---------------------------------------------------------------- the plan cache of no-op builds


def test_a_noop_build_imports_no_plugin_and_no_pydantic(teststack, tmp_path):
    project = Project(tmp_path / "p")
    assert project.build().code == 0
    probe = (
        "import sys\nfrom dazzle.engine import run_doit\n"
        f"code = run_doit({str(project.folder)!r}, ['build'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'jinja2', 'teststack_copy'))\n"
        "print('CODE', code, 'HEAVY', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=teststack.env(), capture_output=True, text=True, check=False
    )
    assert "CODE 0 HEAVY []" in done.stdout, done.stdout + done.stderr
    assert "0 tasks ran" in done.stdout


def test_a_new_dsl_file_and_a_config_change_are_seen_despite_the_plan(teststack, tmp_path):
    project = Project(tmp_path / "p")
    assert project.build().code == 0
    assert project.build().executed == []  # the plan is in use from here on
    (project.folder / "dsl" / "more.dsl").write_text('entity Extra "Extra":\n  id: uuid pk\n  n: int\n')
    added = project.build()
    assert "parse:dsl/more.dsl" in added.executed
    assert "generate:teststack:models:Extra" in added.generated
    toml = project.folder / "dazzle.toml"
    text = toml.read_text()
    disabled = (
        text.replace("disable = [", 'disable = ["summary", ')
        if "disable" in text
        else (text + '\n[hooks]\ndisable = ["summary"]\n')
    )
    toml.write_text(disabled)
    listed = project.build("list", "--all").output
    assert "post_build:summary" not in listed


def test_a_dsl_file_saved_by_replacing_it_keeps_the_plan(teststack, tmp_path, monkeypatch):
    """Most editors save a file by writing a new one and renaming it over the old: the folder
    changes, the list of DSL files does not, and the plan (facts computed from the plugins)
    stays valid — the build imports no plugin to create its tasks."""
    from dazzle.engine import plan

    project = Project(tmp_path / "p")
    assert project.build().code == 0
    computed = []
    real = plan.compute_facts
    monkeypatch.setattr(plan, "compute_facts", lambda *a: computed.append(a) or real(*a))
    dsl = project.folder / "dsl" / "app.dsl"
    saved = dsl.with_name(".app.dsl.swp")
    saved.write_text(dsl.read_text().replace("\n", "\n# a comment\n", 1))
    saved.replace(dsl)
    result = project.build()
    assert result.code == 0 and "parse:dsl/app.dsl" in result.executed
    assert computed == []


def test_a_rebuild_in_the_same_process_reads_back_no_module(teststack, tmp_path, monkeypatch):
    """The process keeps the modules it parsed: after an edit of one of two files the link
    reads neither pickle; a pickle rewritten behind its back (another process) is read again."""
    from dazzle.engine import artifacts, parse
    from dazzle.engine.paths import Layout

    project = Project(tmp_path / "p")
    more = project.folder / "dsl" / "more.dsl"
    more.write_text('entity Extra "Extra":\n  id: uuid pk\n  n: int\n')
    assert project.build().code == 0
    read = []
    real = artifacts.read_model
    monkeypatch.setattr(artifacts, "read_model", lambda path, *a: read.append(path.name) or real(path, *a))
    more.write_text(more.read_text().replace("n: int", "n: str(20)"))
    edited = project.build()
    assert edited.code == 0 and "generate:teststack:models:Extra" in edited.generated
    assert [name for name in read if name.endswith(".dsl.pickle")] == []

    layout = Layout.create(project.folder, project.out, project.state)
    pickle = layout.module_pickle("dsl/more.dsl")
    artifacts.write_model(pickle, "parse:dsl/more.dsl", real(pickle))  # the same module, a new file
    parse.load_module(layout, "dsl/more.dsl", "more")
    assert read == ["more.dsl.pickle"]


def test_the_plan_serves_both_dazzle_build_and_doit_build(teststack, tmp_path, monkeypatch):
    """`dazzle build` and `doit build` start with another first folder on sys.path (the
    script's): the plan made by one is used by the other."""
    from dazzle.engine import plan

    project = Project(tmp_path / "p")
    assert project.build().code == 0
    computed = []
    real = plan.compute_facts
    monkeypatch.setattr(plan, "compute_facts", lambda *a: computed.append(a) or real(*a))
    (tmp_path / "bin").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path / "bin"))  # the folder of the `dazzle` script
    assert project.build().executed == []
    assert computed == []
