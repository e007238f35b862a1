"""A build killed at any moment — staging, writing, inside formatting, planning the merge,
halfway through the commit — leaves a state the next build repairs without reporting a single
user edit, and the result is a clean build's. Each build is a process that the engine's own
checkpoints kill with SIGKILL at a named point (``dazzle.util.faults``): deterministic, no
timing involved."""

from __future__ import annotations

import copy
import signal

import pytest

from dazzle.engine.paths import Layout
from dazzle.engine.status import project_status
from dazzle.plugins import registry
from tests.teststack.harness import Project, Spec, clean_build_tree, teststack_fixture  # noqa: F401 (fixture)

POINTS = [
    "stage:file",
    "stage:file#3",
    "write:temp",
    "write:temp#7",
    "write:temp#25",
    "format:before",
    "format:after",
    "merge:planned",
    "merge:saved",
    "commit:applying",
    "commit:change",
    "commit:change#3",
    "commit:ledger",
    "commit:applied",
]
EDITED_WORDS = ("merged your edits", "conflict", "you edited", "changed while the build ran")


def edited(spec: Spec) -> Spec:
    """A spec change that rewrites, adds and removes several outputs."""
    spec = copy.deepcopy(spec)
    spec.entities["Product"].append(("stock", "int"))
    spec.entities["Order"][2] = ("qty", "text")
    spec.surfaces["product_list"][2][0] = ("name", "Product name")
    del spec.surfaces["order_new"]
    spec.entities["Extra"] = [("id", "uuid pk"), ("label", "str(20)")]
    return spec


@pytest.fixture
def formatted_project(teststack, tmp_path):
    # the test stack's own hook and the formatter: formatting is one of the places to die in
    keep = {"summary", "format_code"}
    hooks_off = [h.name for h in registry.hooks() if h.name not in keep]
    return lambda name, spec: Project(tmp_path / name, spec, hooks_disabled=hooks_off)


def edited_again(spec: Spec) -> Spec:
    spec = copy.deepcopy(spec)
    spec.entities["Product"][1] = ("name", "str(80) required")
    spec.title = "Shop, again"
    return spec


@pytest.mark.parametrize("spec_edited_meanwhile", [False, True], ids=["same-spec", "spec-edited-meanwhile"])
@pytest.mark.parametrize("point", POINTS)
def test_a_build_killed_at_a_point_is_repaired_by_the_next_without_a_false_edit(
    teststack, formatted_project, point, spec_edited_meanwhile
):
    spec = Spec()
    project = formatted_project("p", spec)
    assert project.build().code == 0
    new = edited(spec)
    project.write(new)

    env = {**teststack.env(), "DAZZLE_KILL_AT": point}
    killed = project.doit(teststack, "build", env=env)
    assert killed.returncode == -signal.SIGKILL, f"{point} was never reached:\n{killed.stdout}{killed.stderr}"
    if spec_edited_meanwhile:  # the next build plans anew, over whatever the killed one left
        new = edited_again(new)
        project.write(new)

    repaired = project.build()
    assert repaired.code == 0, repaired.output
    assert not any(word in repaired.output for word in EDITED_WORDS), repaired.output
    status = project_status(Layout.create(project.folder, project.out, project.state))
    assert (status.edited, status.deleted, status.conflicts) == ([], [], [])
    assert not list(project.state.rglob("*.dazzle-tmp")) and not list(project.out.rglob("*.dazzle-tmp"))
    assert project.tree() == clean_build_tree(project.folder.parent / "clean", new, project.hooks_disabled)
    assert project.build().executed == []  # and then it is a no-op
