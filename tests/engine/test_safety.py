"""The engine never loses a user's edit, never crashes on damaged state, and recovers from a
build killed at any moment. Uses the test stack, never Django."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from dazzle.engine import artifacts
from tests.teststack.harness import Project, Spec, clean_build_tree, teststack_fixture  # noqa: F401 (fixture)

MODEL = "app/models/product.py"


def test_parse_error_fails_with_the_rendered_error_and_runs_no_generator(teststack, tmp_path):
    project = Project(tmp_path / "p")
    (project.folder / "dsl" / "app.dsl").write_text(
        'app shop "Shop"\n\nentity Product "P":\n  id: uuid pk\n  name: strr\n'
    )
    result = project.build()
    assert result.code != 0
    assert result.generated == set()
    assert "link" not in result.executed
    assert "dsl/app.dsl:5" in result.output
    assert "Traceback" not in result.output
    assert list(result.failed) == ["parse:dsl/app.dsl"]
    assert not project.out.exists()


def test_link_error_fails_without_traceback(teststack, tmp_path):
    spec = Spec()
    spec.surfaces["product_list"] = ("Product", "list", [("nmae", "Name")])
    project = Project(tmp_path / "p", spec)
    result = project.build()
    assert result.code != 0
    assert list(result.failed) == ["link"]
    assert "dsl/app.dsl" in result.output and "Traceback" not in result.output
    assert result.generated == set()


def test_a_user_edited_output_survives_and_force_overwrites_it(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    target = project.out / MODEL
    lines = target.read_text().splitlines(keepends=True)
    target.write_text("".join([lines[0], "# my change\n", *lines[1:]]))  # below the docstring

    assert project.build().executed == []  # nothing to regenerate: the edit is simply kept

    spec.entities["Product"].append(("stock", "int"))
    project.write(spec)
    merged = project.build()
    assert merged.code == 0, merged.output
    assert "# my change" in target.read_text() and "stock" in target.read_text()  # both
    assert "merged your edits of build/app/models/product.py" in merged.output
    assert not (project.out / (MODEL + ".dazzle-new")).exists()

    forced = project.build(force=True)
    assert forced.code == 0, forced.output
    assert "# my change" not in target.read_text() and "stock" in target.read_text()
    assert project.build().executed == []


def test_overlapping_edits_fail_the_build_with_markers_until_resolved(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    target = project.out / MODEL
    target.write_text(target.read_text().replace('price = "decimal"', 'price = "money"'))
    spec.entities["Product"][2] = ("price", "int")
    project.write(spec)
    conflict = project.build()
    assert conflict.code != 0
    text = target.read_text()
    assert '<<<<<<< yours (app/models/product.py as you edited it)\n    price = "money"' in text
    assert '=======\n    price = "int"\n>>>>>>> generated (from the spec)' in text
    assert (
        "build/app/models/product.py   (see it: dazzle diff build/app/models/product.py)" in conflict.output
    )
    assert "Traceback" not in conflict.output

    again = project.build()  # still a conflict until resolved
    assert again.code != 0 and "dazzle diff build/app/models/product.py" in again.output

    target.write_text(
        text.split("<<<<<<<")[0]
        + '    price = "money"  # mine\n'
        + text.split(">>>>>>> generated (from the spec)\n")[1]
    )
    resolved = project.build()
    assert resolved.code == 0, resolved.output
    assert 'price = "money"  # mine' in target.read_text()
    spec.entities["Product"].append(("stock", "int"))  # and later spec changes merge into it
    project.write(spec)
    assert project.build().code == 0
    assert 'price = "money"  # mine' in target.read_text() and "stock" in target.read_text()


def test_a_removed_output_that_the_user_edited_is_kept(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    edited = project.out / "app/pages/order_new.html"
    edited.write_text("mine\n")
    del spec.surfaces["order_new"]
    project.write(spec)
    result = project.build()
    assert result.code == 0, result.output
    assert edited.read_text() == "mine\n"
    assert "no longer generated, but you edited it" in result.output


def test_a_deleted_output_is_rebuilt_and_user_owned_files_are_left_alone(teststack, tmp_path):
    project = Project(tmp_path / "p")
    assert project.build().code == 0
    (project.out / MODEL).unlink()
    custom = project.out / "app/custom.py"
    custom.write_text("# the user's code\n")
    result = project.build()
    assert result.generated == set() and "commit" in result.executed  # written again from its base
    assert (project.out / MODEL).exists()
    assert custom.read_text() == "# the user's code\n"
    assert os.access(project.out / "run.sh", os.X_OK)


def test_unchanged_outputs_keep_their_mtime(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    before = (project.out / "app/__init__.py").stat().st_mtime_ns
    spec.title = "Shop!"  # index re-runs; __init__ changes, run.sh does not
    project.write(spec)
    run_sh = (project.out / "run.sh").stat().st_mtime_ns
    assert project.build().generated == {"generate:teststack:index"}
    assert (project.out / "run.sh").stat().st_mtime_ns == run_sh
    assert (project.out / "app/__init__.py").stat().st_mtime_ns != before


def _other_version(path):
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"dazzle": "', b'"dazzle": "0.0.0-', 1))


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # truncated
        lambda p: p.write_bytes(p.read_bytes()[:-8] + b"garbage!"),  # corrupt payload
        lambda p: p.write_bytes(b"not a pickle at all"),
        _other_version,
    ],
    ids=["truncated", "corrupt", "garbage", "other-version"],
)
def test_damaged_pickles_are_rebuilt_not_crashed_on(teststack, tmp_path, damage):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    product = project.state / "artifacts/teststack/models/Product.pickle"
    module = project.state / "modules/dsl/app.dsl.pickle"
    damage(product)
    damage(module)
    with pytest.raises(artifacts.StaleArtifact):
        artifacts.read(product)
    result = project.build()
    assert result.code == 0, result.output
    assert artifacts.read(product)["class"] == "Product"
    assert artifacts.read_model(module).name
    assert project.tree() == clean_build_tree(tmp_path / "clean", spec)


def test_a_hook_error_fails_the_build_with_its_message(teststack, tmp_path):
    spec = Spec(title="BROKEN shop")
    project = Project(tmp_path / "p", spec)
    result = project.build()
    assert result.code != 0
    assert result.failed == {"post_build:summary": "error: summary: the app title says BROKEN"}
    assert "Traceback" not in result.output


def _big_spec(entities: int) -> Spec:
    spec = Spec(entities={}, surfaces={})
    for i in range(entities):
        spec.entities[f"E{i}"] = [("id", "uuid pk"), ("name", "str(50) required"), ("n", "int")]
        spec.surfaces[f"e{i}_list"] = (f"E{i}", "list", [("name", "Name"), ("n", "Number")])
    return spec


@pytest.mark.slow
def test_a_build_killed_at_random_moments_recovers_to_a_clean_build(teststack, tmp_path):
    spec = _big_spec(40)
    project = Project(tmp_path / "p", spec)
    rng = random.Random(7)
    killed_mid_build = 0
    for attempt in range(12):
        if killed_mid_build >= 3:
            break
        if attempt % 2:  # kill an incremental build...
            spec.entities[f"E{attempt}"].append(("extra", "text"))
            spec.title = f"Shop {attempt}"
            project.write(spec)
        else:  # ... or a build that re-runs every task (doit's state forgotten)
            project.state.joinpath("doit.sqlite3").unlink(missing_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "doit", "-f", str(project.folder / "dodo.py"), "build"],
            cwd=project.folder,
            env=teststack.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.2))
        killed_mid_build += process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert killed_mid_build >= 3  # the kills did land inside builds
    final = project.doit(teststack, "build")
    assert final.returncode == 0, final.stdout + final.stderr
    assert project.tree() == clean_build_tree(tmp_path / "clean", spec)
    leftovers = [p for p in tmp_path.rglob("*.dazzle-tmp")]
    assert leftovers == []
    noop = project.doit(teststack, "build")
    assert noop.stdout.startswith("dazzle: 0 tasks ran"), noop.stdout + noop.stderr


def test_a_fixed_dsl_error_builds_like_a_clean_build(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    (project.folder / "dsl" / "app.dsl").write_text(
        spec.dsl().replace("uuid pk", "uuid pk pk pk", 1) + "\n  oops\n"
    )
    broken = project.build()
    assert broken.code != 0 and broken.generated == set()
    spec.title = "Shop fixed"
    project.write(spec)
    fixed = project.build()
    assert fixed.code == 0, fixed.output
    assert project.tree() == clean_build_tree(tmp_path / "clean", spec)


def test_a_broken_dazzle_toml_fails_the_build_with_its_message_and_list_still_works(teststack, tmp_path):
    project = Project(tmp_path / "p")
    (project.folder / "dazzle.toml").write_text('[build]\nstack = "teststack"\noutptu = "x"\n')
    result = project.build()
    assert result.code != 0
    assert list(result.failed) == ["parse:dazzle.toml"]
    assert "dazzle.toml:3" in result.output and "Traceback" not in result.output
    listed = project.build("list")
    assert listed.code == 0 and "Traceback" not in listed.output


def test_a_hook_that_reads_a_file_with_conflict_markers_does_not_run_and_says_which(teststack, tmp_path):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    package = project.out / "app/__init__.py"
    lines = package.read_text().splitlines(keepends=True)
    package.write_text("".join(line.replace("Shop", "My shop") if "Shop" in line else line for line in lines))
    spec.title = "Shop two"
    spec.surfaces["order_new"] = ("Order", "create", [("qty", "How many")])  # the hook's spec key
    spec.surfaces["order_list"] = ("Order", "list", [("qty", "Quantity")])
    project.write(spec)
    result = project.build()
    assert result.code != 0
    assert result.failed["post_build:summary"] == (
        "error: summary did not run: resolve the conflict markers in build/app/__init__.py first"
    )
    assert "build/app/__init__.py   (see it: dazzle diff build/app/__init__.py)" in result.output
