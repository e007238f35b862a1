"""The linear migration steps (``hooks/django/scripts/linear_migrations.py``) against Django's
own, on random model graphs (foreign keys to models created before and after, to themselves,
in cycles; indexes, constraints and ``unique_together`` on them): the same models in no more
operations than Django's quadratic optimizer leaves (without cycles: one ``CreateModel`` per
model, where Django leaves some indexes and constraints as steps of their own), and Django's
optimizer never finds anything left to do in it."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.django.interpreter import SCRIPTS
from tests.hooks.test_projects import APP, manage, write_project

COMPARE = Path(__file__).with_name("optimizer_compare.py")
NAMES = ["Alpha", "Zulu", "Mike", "Bravo", "Yankee", "Echo", "Kilo", "Delta", "Xray", "Golf", "Hotel", "Lima"]


def random_models(seed: int, names: list[str], existing: list[str] = (), acyclic: bool = False) -> str:
    """models.py with one class per name (plus the ``existing`` ones, written as before: fields
    ``title`` and any foreign keys among themselves made by the same seed). ``acyclic``: a
    model's keys point at itself or at models before it in the list (not in name order)."""
    rng = random.Random(seed)
    lines = ["from django.db import models", ""]
    everything = [*existing, *names]
    for i, name in enumerate(everything):
        pool = everything[: i + 1] if acyclic else everything
        keys = rng.sample(pool, k=rng.randint(0, min(3, len(pool))))
        lines += ["", f"class {name}(models.Model):", "    title = models.CharField(max_length=50)"]
        for n, target in enumerate(keys):
            target_ref = '"self"' if target == name else f'"{target}"'
            lines.append(
                f"    link{n} = models.ForeignKey({target_ref}, null=True, on_delete=models.SET_NULL,"
                f' related_name="{name.lower()}_link{n}_set")'
            )
        meta = []
        indexed = ["title"] + [f"link{n}" for n in range(len(keys))]
        if rng.random() < 0.5:
            field = rng.choice(indexed)
            meta.append(
                f'        indexes = [models.Index(fields=["{field}"], name="{name.lower()}_{field}_ix")]'
            )
        if rng.random() < 0.3:
            meta.append(f'        unique_together = [("title", "{rng.choice(indexed)}")]')
        if rng.random() < 0.3:
            meta.append(
                f'        constraints = [models.UniqueConstraint(fields=["{rng.choice(indexed)}", "title"],'
                f' name="{name.lower()}_uq")]'
            )
        if meta:
            lines += ["", "    class Meta:", *meta]
        lines.append("")
    return "\n".join(lines) + "\n"


def compare(out: Path) -> dict:
    env = {**os.environ, "SECRET_KEY": "test", "LINEAR_MIGRATIONS": str(SCRIPTS / "linear_migrations.py")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(COMPARE), APP], cwd=out, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_minimal(report: dict):
    """The same models as Django's migration, in no more operations, and nothing left for
    Django's optimizer to do."""
    assert report["same_state"], report["linear"]
    assert report["same_sort"]  # the indexed sort orders the operations exactly as Django's does
    assert report["fixed"], report["linear"]
    assert report["operations"] <= report["django_operations"], (report["linear"], report["django"])


@pytest.mark.parametrize("seed", range(4))
def test_without_cycles_a_first_migration_is_one_create_per_model(tmp_path, seed):
    names = random.Random(seed).sample(NAMES, k=8 + seed % 4)
    out = write_project(tmp_path / "build", random_models(seed, names, acyclic=True))
    report = compare(out)
    assert report["operations"] == len(names)  # everything folded (Django leaves some indexes out)
    assert_minimal(report)


@pytest.mark.parametrize("seed", range(6))
def test_with_cycles_a_first_migration_is_minimal(tmp_path, seed):
    """Where keys form cycles, Django's optimizer and the linear one may break them at other
    keys: both results are valid, the linear one is never longer."""
    names = random.Random(seed).sample(NAMES, k=8 + seed % 4)
    out = write_project(tmp_path / "build", random_models(seed, names))
    report = compare(out)
    assert report["operations"] >= len(names)  # at least one CreateModel per model
    assert_minimal(report)


def test_a_migration_that_adds_models_to_existing_ones(tmp_path):
    old = ["Alpha", "Mike", "Zulu"]
    out = write_project(tmp_path / "build", random_models(7, [], existing=old))
    assert manage(out, "makemigrations", APP).returncode == 0
    (out / APP / "models.py").write_text(random_models(7, ["Bravo", "Yankee", "Echo"], existing=old))
    assert_minimal(compare(out))


def test_a_cycle_keeps_the_key_that_cannot_fold(tmp_path):
    models = (
        "from django.db import models\n\n\n"
        "class Beta(models.Model):\n"
        '    alpha = models.ForeignKey("Alpha", null=True, on_delete=models.SET_NULL, related_name="+")\n\n\n'
        "class Alpha(models.Model):\n"
        '    beta = models.ForeignKey("Beta", null=True, on_delete=models.SET_NULL, related_name="+")\n'
        "    class Meta:\n"
        '        indexes = [models.Index(fields=["beta"], name="alpha_beta_ix")]\n'
    )
    out = write_project(tmp_path / "build", models)
    report = compare(out)
    assert_minimal(report)
    assert "migrations.AddField(" in report["linear"]  # one side of the cycle needs its own step


def test_a_migration_that_changes_existing_models(tmp_path):
    """Keys, indexes, constraints and unique_together changed on models that stay: the
    autodetector's steps over kept models (made linear in the script) give Django's result."""
    names = ["Alpha", "Mike", "Zulu", "Bravo", "Echo"]
    out = write_project(tmp_path / "build", random_models(11, names))
    assert manage(out, "makemigrations", APP).returncode == 0
    (out / APP / "models.py").write_text(random_models(12, names))
    report = compare(out)
    assert report["operations"] > 0
    assert_minimal(report)
