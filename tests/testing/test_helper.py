"""``dazzle.testing``: generators run without doit get their data exactly as a build hands it
(slices through their JSON, artifacts through pickle and in the engine's shape), and give the
same bytes as a real build of the same project."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from pydantic import BaseModel

from dazzle.ir import Entity
from dazzle.ir.diagnostics import ProjectError
from dazzle.plugins import Generated, GeneratedFile, Generator
from dazzle.testing import load_spec, run_generator, run_generators, run_stack, spec_from_sources
from dazzle.util.relpaths import OutputPathError
from tests.support import REPO
from tests.teststack.harness import Project, Spec, teststack_fixture  # noqa: F401 (fixture)

TOML = '[project]\nname = "shop"\n\n[build]\nstack = "teststack"\n'
DSL = Spec().dsl()


def test_a_spec_from_sources_is_the_spec_of_that_project_on_disk(teststack, tmp_path):
    project = Project(tmp_path / "p")
    spec = spec_from_sources({"dsl/app.dsl": DSL}, toml=(project.folder / "dazzle.toml").read_text())
    assert spec == load_spec(project.folder)
    assert [e.name for e in spec.entities] == ["Product", "Order"]
    assert spec.config.build.stacks == ("teststack",)
    assert spec.entity("Order").loc.file == "dsl/app.dsl"  # parsed for real: with locations


def test_a_mistake_is_a_project_error_that_still_quotes_its_line():
    with pytest.raises(ProjectError) as caught:
        spec_from_sources({"dsl/app.dsl": 'app shop "Shop"\nentity Product:\n  id: uuid pk\n  n: nummber\n'})
    text = caught.value.render()
    assert "dsl/app.dsl:4:" in text
    assert " 4 |   n: nummber" in text and "^" in text


def test_the_files_are_the_bytes_a_real_build_writes(teststack, tmp_path):
    project = Project(tmp_path / "p")
    result = project.build()
    assert result.code == 0, result.output
    built = {rel: data for rel, data in project.tree().items() if rel != "SUMMARY.txt"}  # the hook's
    runs = run_stack(load_spec(project.folder))
    helper = {
        path: f.data + (b"+x" if f.executable else b"") for run in runs for path, f in run.files.items()
    }
    assert helper == built
    assert {task for run in runs for task in run.tasks} == result.generated
    assert run_generators(load_spec(project.folder)) == {p: d.removesuffix(b"+x") for p, d in built.items()}


def test_generators_run_in_registry_order_and_readers_get_the_engines_shape(teststack):
    spec = spec_from_sources({"dsl/app.dsl": DSL}, toml=TOML)
    runs = run_stack(spec)
    names = [r.generator.name for r in runs]
    assert names.index("models") < names.index("index")
    models = next(r for r in runs if r.generator.name == "models")
    assert models.artifacts == {
        "Product": {"class": "Product", "module": "app.models.product", "fields": 3},
        "Order": {"class": "Order", "module": "app.models.order", "fields": 3},
    }
    assert models.tasks == {
        "generate:teststack:models:Product": ["app/models/product.py"],
        "generate:teststack:models:Order": ["app/models/order.py"],
    }
    index = run_generator("teststack.index", spec)  # runs its producers for their artifacts
    assert index.artifacts == {"models": 2}
    assert index.files["run.sh"].executable and index.files["app/custom.py"].user_owned
    assert set(run_generators(spec, only=["index"])) == {"app/__init__.py", "app/custom.py", "run.sh"}
    with pytest.raises(LookupError, match="no generator nothing"):
        run_generators(spec, only=["nothing"])
    with pytest.raises(LookupError, match="reads models: pass their artifacts"):
        run_generator("teststack.index", spec, artifacts={})


# ---------------------------------------------------------------- generators written here

SPEC_DSL = 'app shop "Shop"\nentity Product "Product":\n  id: uuid pk\n  name: str(40)\n'


class EntityCopy(BaseModel):
    entity: Entity


class Probe(Generator):
    """Records what generate receives; per item (one item per entity)."""

    name = "probe"
    stack = "probe"
    slice_model = EntityCopy
    per_item = True
    calls: list = []

    def slice(self, spec):
        return {e.name: EntityCopy(entity=e) for e in spec.entities} | {
            "Other": EntityCopy(entity=spec.entities[0])
        }

    def generate(self, slice, artifacts):
        self.calls.append((slice, artifacts))
        return Generated(
            files=[GeneratedFile(f"{slice.entity.name}.txt", "x")], artifacts={"n": len(self.calls)}
        )


def test_a_slice_reaches_generate_through_its_json():
    spec = spec_from_sources({"dsl/app.dsl": SPEC_DSL})
    assert spec.entities[0].loc is not None
    probe = Probe()
    probe.calls = []
    with pytest.raises(ValueError, match="Product.txt"):  # two items write one path: a bug
        run_generator(probe, spec)
    assert len(probe.calls) == 2  # once per item
    received = probe.calls[0][0]
    assert isinstance(received, EntityCopy) and received.entity == spec.entities[0]
    assert received.entity.loc is None  # source locations stay out of the slice file


class Counter(Generator):
    name = "counter"
    stack = "probe"
    slice_model = EntityCopy
    per_item = True
    reads = ("source",)

    def slice(self, spec):
        return {"a": EntityCopy(entity=spec.entities[0]), "b": EntityCopy(entity=spec.entities[0])}

    def generate(self, slice, artifacts):
        artifacts["source"]["seen"].append(1)  # each task reads its own copy: no leak to the next
        return Generated(artifacts={"seen": len(artifacts["source"]["seen"]), "twice": lambda v: 2 * v})


def test_artifacts_cross_through_pickle_as_in_the_build():
    spec = spec_from_sources({"dsl/app.dsl": SPEC_DSL})
    given = {"source": {"seen": []}}
    run = run_generator(Counter, spec, artifacts=given)
    assert {item: a["seen"] for item, a in run.artifacts.items()} == {"a": 1, "b": 1}
    assert given == {"source": {"seen": []}}
    assert run.artifacts["a"]["twice"](4) == 8  # the build stores a lambda too (cloudpickle)
    with pytest.raises(TypeError, match="cannot be pickled"):
        run_generator(Counter, spec, artifacts={"source": {"seen": [], "lock": threading.Lock()}})

    class Locked(Counter):
        reads = ()

        def generate(self, slice, artifacts):
            return Generated(artifacts={"lock": threading.Lock()})

    with pytest.raises(TypeError, match="generate:probe:counter:a: its artifacts cannot be pickled"):
        run_generator(Locked, spec)


class Whole(Generator):
    name = "whole"
    stack = "probe"
    slice_model = EntityCopy
    result: object = None

    def slice(self, spec):
        return EntityCopy(entity=spec.entities[0])

    def generate(self, slice, artifacts):
        return self.result


def test_what_the_build_refuses_fails_here_too():
    spec = spec_from_sources({"dsl/app.dsl": SPEC_DSL})
    gen = Whole()
    for path in ("/etc/passwd", "../up.txt", "a\\b.txt", ""):
        gen.result = Generated(files=[GeneratedFile(path, "x")])
        with pytest.raises(ValueError, match="must be relative"):
            run_generator(gen, spec)
    gen.result = Generated(files=[GeneratedFile("a.txt", "1"), GeneratedFile("./a.txt", "2")])
    with pytest.raises(ValueError, match="produces 'a.txt' twice"):
        run_generator(gen, spec)
    gen.result = {"a.txt": "x"}
    with pytest.raises(TypeError, match="not a Generated"):
        run_generator(gen, spec)

    class Items(Probe):
        def slice(self, spec):
            return {"not an identifier": EntityCopy(entity=spec.entities[0])}

    with pytest.raises(TypeError, match="is not an identifier"):
        run_generator(Items, spec)

    class NotPerItem(Whole):
        def slice(self, spec):
            return {"a": EntityCopy(entity=spec.entities[0])}

    with pytest.raises(TypeError, match="not per_item"):
        run_generator(NotPerItem, spec)


@pytest.mark.parametrize("path", ["../a", "a/../b", "/a", "a\\b", "", ".dazzle/x"])
def test_the_path_rule_is_the_engines(path):
    spec = spec_from_sources({"dsl/app.dsl": "app shop\n"}, toml=TOML)

    class Nothing(BaseModel):
        pass

    class Writes(Generator):
        name, stack, slice_model = "writes", "test", Nothing

        def slice(self, spec):
            return Nothing()

        def generate(self, sliced, artifacts):
            return Generated(files=[GeneratedFile(path, "x")])

    with pytest.raises(OutputPathError):
        run_generator(Writes, spec)


def test_the_helper_needs_no_doit(teststack):
    probe = (
        "import sys\nfrom dazzle.testing import run_generators, spec_from_sources\n"
        f"files = run_generators(spec_from_sources({{'dsl/app.dsl': {DSL!r}}}, toml={TOML!r}))\n"
        "print(len(files), 'doit' in sys.modules)\n"
    )
    env = teststack.env()
    env["PYTHONPATH"] = os.pathsep.join([str(teststack.root), str(REPO)])
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False)
    assert done.stdout.split() == ["7", "False"], done.stdout + done.stderr
