"""``dazzle status`` (edited files, conflicts, what the next build would change) and
``dazzle diff FILE`` (your changes since the build last wrote the file)."""

from __future__ import annotations

from dazzle import cli
from tests.teststack.harness import Project, Spec, teststack_fixture  # noqa: F401 (fixture)

MODEL = "app/models/product.py"


def status(project: Project, capsys) -> tuple[int, str]:
    code = cli.main(["status", str(project.folder)])
    return code, capsys.readouterr().out


def test_status_tells_edits_deletions_the_next_build_and_conflicts(teststack, tmp_path, capsys):
    spec = Spec()
    project = Project(tmp_path / "p", spec)
    assert project.build().code == 0
    assert status(project, capsys) == (0, "The next build would change no generated file.\n")

    (project.out / MODEL).write_text((project.out / MODEL).read_text() + "# mine\n")
    (project.out / "app/pages/order_new.html").unlink()
    spec.entities["Order"].append(("note", "text"))
    project.write(spec)
    code, out = status(project, capsys)
    assert code == 0
    assert (
        "Generated files you changed (the build keeps and merges them; `dazzle diff FILE`):\n  build/" + MODEL
        in out
    )
    assert (
        "Deleted generated files (the next build writes them again):\n  build/app/pages/order_new.html" in out
    )
    assert "The next build would:\n" in out and "  write: build/app/models/order.py\n" in out
    assert "write: build/app/pages/order_new.html" in out
    assert "note" not in (project.out / "app/models/order.py").read_text()  # status changed nothing
    assert project.build().code == 0 and "note" in (project.out / "app/models/order.py").read_text()

    text = (project.out / MODEL).read_text()
    (project.out / MODEL).write_text(text.replace('price = "decimal"', 'price = "money"'))
    spec.entities["Product"][2] = ("price", "int")
    project.write(spec)
    code, out = status(project, capsys)
    assert code == 0 and "write conflict markers (your edits and the spec's overlap): build/" + MODEL in out
    assert project.build().code != 0
    code, out = status(project, capsys)
    assert code == 1 and "Unresolved conflicts (edit out the markers, then build):\n  build/" + MODEL in out


def test_status_shows_a_spec_error_and_fails(teststack, tmp_path, capsys):
    project = Project(tmp_path / "p")
    (project.folder / "dsl/app.dsl").write_text("app shop\nentity Broken\n")
    code, out = status(project, capsys)
    assert code == 1 and "The next build would fail:" in out and "dsl/app.dsl:2" in out


def test_diff_shows_your_changes_since_the_build_wrote_the_file(teststack, tmp_path, capsys, monkeypatch):
    project = Project(tmp_path / "p")
    assert project.build().code == 0
    monkeypatch.chdir(project.folder)
    assert cli.main(["diff", "build/" + MODEL]) == 0
    assert capsys.readouterr().out == f"build/{MODEL}: no changes since the build last wrote it\n"
    target = project.out / MODEL
    target.write_text(target.read_text().replace('name = "str"', 'name = "text"'))
    assert cli.main(["diff", "build/" + MODEL]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"--- {MODEL} (as last generated)\n+++ {MODEL} (as it is now)\n")
    assert '-    name = "str"  # required\n+    name = "text"  # required\n' in out
    assert cli.main(["diff", "dazzle.toml"]) == 2
    assert "is not a file the build generates" in capsys.readouterr().err
    assert cli.main(["diff", str(tmp_path / "elsewhere.py")]) == 2
    assert "no dazzle.toml above it" in capsys.readouterr().err
