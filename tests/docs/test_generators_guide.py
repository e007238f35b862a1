"""docs/generators.md builds: its example stack (every block marked ``<!-- file: PATH -->``) is
copied into a package, registered by entry points as an installed package would be, and a real
``dazzle build`` of the guide's project (``<!-- project: PATH -->``) writes what the guide says
and re-runs what it says after an edit; the example's own tests pass too. When the guide's
example breaks, this fails."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support import REPO

GUIDE = REPO / "docs" / "generators.md"
BLOCK = re.compile(r"^<!-- (file|project): (\S+) -->\n```[\w-]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)
PACKAGE_FILES = {
    "pyproject.toml",
    "dazzle_hello/__init__.py",
    "dazzle_hello/common.py",
    "dazzle_hello/pages.py",
    "dazzle_hello/index.py",
    "dazzle_hello/checks.py",
    "dazzle_hello/templates/page/page.md.j2",
    "dazzle_hello/templates/index/index.md.j2",
    "tests/test_hello.py",
}


def blocks(kind: str) -> dict[str, str]:
    found = {path: text for k, path, text in BLOCK.findall(GUIDE.read_text("utf-8")) if k == kind}
    return found


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def register(root: Path) -> None:
    """A dist-info beside the package, made from the guide's pyproject.toml: what ``pip install``
    would leave for the entry points to be found."""
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    info = root / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    lines = []
    for group, entries in project["entry-points"].items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {target}" for name, target in entries.items()]
        lines.append("")
    (info / "entry_points.txt").write_text("\n".join(lines))


@pytest.fixture(scope="module")
def plugin(tmp_path_factory) -> tuple[Path, dict]:
    files = blocks("file")
    assert set(files) == PACKAGE_FILES, "the guide's example lost or gained a file"
    root = write(tmp_path_factory.mktemp("plugin"), files)
    register(root)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(root)  # DAZZLE itself is installed; its own tests/ stay out of the way
    return root, env


def dazzle(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dazzle.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def build(project: Path, env: dict, everything: bool = False) -> set[str]:
    """The generate tasks a ``dazzle build`` ran (every task it ran: ``everything``)."""
    done = dazzle(env, "build", str(project))
    assert done.returncode == 0, done.stdout + done.stderr
    executed = json.loads((project / ".dazzle" / "last_run.json").read_text())["executed"]
    return {name for name in executed if everything or name.startswith("generate:")}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_guides_project_builds_and_rebuilds_what_the_guide_says(plugin, tmp_path):
    root, env = plugin
    project = write(tmp_path / "zoo", blocks("project"))
    assert build(project, env) == {
        "generate:hello:page:Animal",
        "generate:hello:page:Keeper",
        "generate:hello:index",
    }
    site = project / "site"
    assert sorted(p.name for p in site.iterdir()) == [
        ".gitignore",
        "animal.md",
        "index.md",
        "keeper.md",
        "notes.md",
    ]
    assert (site / "index.md").read_text() == "# City Zoo\n\n- [Animal](animal.md)\n- [Keeper](keeper.md)\n"
    assert "| species | str | no |" in (site / "animal.md").read_text()
    assert build(project, env) == set()

    dsl = project / "dsl" / "zoo.dsl"
    edit(dsl, "  animal: ref Animal\n", "  animal: ref Animal\n  since: date\n")
    assert build(project, env) == {"generate:hello:page:Keeper"}  # same artifact: the index stays
    assert "| since | date | no |" in (site / "keeper.md").read_text()

    edit(dsl, 'entity Keeper "Keeper"', 'entity Keeper "Zoo keeper"')
    assert build(project, env) == {"generate:hello:page:Keeper", "generate:hello:index"}
    assert "- [Zoo keeper](keeper.md)" in (site / "index.md").read_text()

    edit(dsl, 'app zoo "City Zoo"', 'app zoo "Town Zoo"')
    assert build(project, env) == {"generate:hello:index"}

    with dsl.open("a") as text:
        text.write("# the end\n")
    assert build(project, env, everything=True) == {"parse:dsl/zoo.dsl"}

    template = root / "dazzle_hello" / "templates" / "page" / "page.md.j2"
    original = template.read_text()
    try:
        edit(template, "[All pages]", "[Every page]")
        assert build(project, env) == {"generate:hello:page:Animal", "generate:hello:page:Keeper"}
    finally:
        template.write_text(original)
    assert build(project, env) == {"generate:hello:page:Animal", "generate:hello:page:Keeper"}

    (site / "notes.md").write_text("mine\n")
    edit(dsl, "entity Keeper", 'entity Ticket "Ticket":\n  id: uuid pk\n\nentity Keeper')
    assert build(project, env) == {"generate:hello:page:Ticket", "generate:hello:index"}
    assert (site / "notes.md").read_text() == "mine\n"
    edit(dsl, 'entity Ticket "Ticket":\n  id: uuid pk\n\n', "")
    build(project, env)
    assert not (site / "ticket.md").exists()


def test_the_guides_check_refuses_an_entity_called_index(plugin, tmp_path):
    _root, env = plugin
    project = write(tmp_path / "zoo", blocks("project"))
    with (project / "dsl" / "zoo.dsl").open("a") as dsl:
        dsl.write("\nentity Index:\n  id: uuid pk\n")
    done = dazzle(env, "check", str(project))
    assert done.returncode == 1
    assert "dsl/zoo.dsl:13:8: error: entity `Index` would write index.md" in done.stderr


def test_the_guides_own_tests_pass(plugin):
    root, env = plugin
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_hello.py"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
