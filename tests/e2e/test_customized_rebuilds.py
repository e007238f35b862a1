"""A team customizes the built helpdesk app and keeps changing its spec (issue #12, end to end
with the real CLI): edits next to spec changes merge and the app still passes its checks and
its own tests; an overlapping edit gets markers, loses nothing and resolves; a refused build
changes no file; a rename over stored data is refused until said with `was`; a build killed
while making migrations is repaired by the next."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.generated_app import app_env, build_example, dazzle, manage

pytestmark = pytest.mark.slow


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


def edit_all(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new))


def tree(out: Path) -> dict[str, bytes]:
    skip = (".venv", "__pycache__")
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part in skip for part in p.parts) and p.name != "db.sqlite3"
    }


def app_works(out: Path) -> None:
    manage(out, "check")
    manage(out, "makemigrations", "--check", "--dry-run")
    tests = manage(out, "test", "--noinput", "-v", "1")
    assert "OK" in tests


@pytest.fixture
def helpdesk(tmp_path):
    out = build_example("helpdesk", tmp_path)
    return out.parent, out


def test_edits_next_to_spec_changes_merge_and_the_app_still_works(helpdesk):
    project, out = helpdesk
    models, admin = out / "helpdesk/models.py", out / "helpdesk/admin.py"
    # The team's code, in the middle of generated files, right next to lines the spec will change.
    edit(
        models,
        "    subject = models.CharField(max_length=200)\n",
        "    # Subjects are shown in notifications: keep them short.\n    subject = models.CharField(max_length=200)\n",
    )
    edit(
        models,
        "class Reply(models.Model):\n",
        'def case_age(case):\n    """Ours: how long a case has been open."""\n    return case.touched - case.opened\n\n\n'
        "class Reply(models.Model):\n",
    )
    edit(
        admin,
        '    search_fields = ["subject", "body"]\n',
        '    search_fields = ["subject", "body"]\n    list_per_page = 50  # ours\n',
    )
    spec = project / "dsl/app.dsl"
    edit(spec, "  subject: str(200) required\n", "  subject: str(160) required\n  reference: str(20)\n")
    edit(spec, '    field company "Company"\n', '    field company "Company name"\n')

    done = dazzle(project, "build")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "merged your edits of build/helpdesk/models.py" in done.stdout
    text = models.read_text()
    assert (
        "# Subjects are shown in notifications: keep them short.\n    subject = models.CharField(max_length=160)"
        in text
    )
    assert "def case_age(case):" in text and "reference = models.CharField(max_length=20" in text
    assert "list_per_page = 50  # ours" in admin.read_text()
    assert "<<<<<<<" not in text
    app_works(out)
    status = dazzle(project, "status")
    assert (
        "build/helpdesk/models.py" in status.stdout
        and "The next build would change no generated file" in status.stdout
    )


def test_an_overlapping_edit_gets_markers_loses_nothing_and_resolves(helpdesk):
    project, out = helpdesk
    admin = out / "helpdesk/admin.py"
    edit(
        admin,
        '    search_fields = ["subject", "body"]\n',
        '    search_fields = ["subject", "body", "customer__company"]\n',
    )
    edit(project / "dsl/app.dsl", "  body: text required\n", "  body: text required\n  summary: str(80)\n")
    edit(
        project / "dsl/app.dsl",
        '    field subject "Subject"\n',
        '    field subject "Subject"\n    field summary "Summary"\n',
    )

    done = dazzle(project, "build")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "build/helpdesk/admin.py   (see it: dazzle diff build/helpdesk/admin.py)" in done.stderr
    text = admin.read_text()
    assert "<<<<<<< yours (helpdesk/admin.py as you edited it)" in text
    assert '"customer__company"' in text and '"summary"' in text  # both sides are there
    assert "Traceback" not in done.stdout + done.stderr
    assert dazzle(project, "build").returncode == 1  # still, until resolved

    yours = text.split("<<<<<<< yours (helpdesk/admin.py as you edited it)\n")[1].split("|||||||")[0]
    generated = text.split("=======\n")[1].split(">>>>>>> generated (from the spec)\n")[0]
    resolved = yours.replace('"customer__company"', '"summary", "customer__company"')
    assert '"summary"' in generated
    head = text.split("<<<<<<<")[0]
    tail = text.split(">>>>>>> generated (from the spec)\n")[1]
    admin.write_text(head + resolved + tail)
    again = dazzle(project, "build")
    assert again.returncode == 0, again.stdout + again.stderr
    assert '"summary", "customer__company"' in admin.read_text()
    app_works(out)


def test_a_refused_build_changes_no_file(helpdesk):
    project, out = helpdesk
    before = tree(out)
    edit(
        project / "dsl/app.dsl",
        "  body: text required\n",
        "  body: text required\n  priority: int required\n",
    )
    done = dazzle(project, "build")
    assert done.returncode != 0
    assert "new required field `priority` has no default" in done.stdout + done.stderr
    assert "no generated file was changed" in done.stdout + done.stderr
    assert tree(out) == before


def rows(out: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(out / "db.sqlite3") as db:
        return db.execute(sql).fetchall()


def test_a_rename_over_stored_data_is_refused_until_said_with_was(helpdesk):
    project, out = helpdesk
    manage(out, "migrate", "--noinput")
    manage(
        out,
        "shell",
        "-c",
        "from helpdesk.models import Customer; Customer.objects.create(company='Acme', phone='+44 1')",
    )
    spec = project / "dsl/app.dsl"
    edit(spec, "  phone: str(40)\n", "  telephone: str(40)\n")
    edit_all(spec, '    field phone "Phone"\n', '    field telephone "Phone"\n')
    before = tree(out)

    refused = dazzle(project, "build")
    message = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert (
        "entity Customer: field `phone` is gone from the spec, and dropping its column would lose" in message
    )
    assert "`telephone: str(40) was phone`" in message and "--allow-data-loss" in message
    assert "dsl/app.dsl:12:3" in message  # the line of `telephone`, where `was` goes
    assert tree(out) == before

    edit(spec, "  telephone: str(40)\n", "  telephone: str(40) was phone\n")
    done = dazzle(project, "build")
    assert done.returncode == 0, done.stdout + done.stderr
    manage(out, "migrate", "--noinput")
    assert rows(out, "select company, telephone from helpdesk_customer") == [("Acme", "+44 1")]

    edit(spec, "  credit_limit: decimal(10,2) default=0\n", "")
    edit_all(spec, '    field credit_limit "Credit limit"\n', "")
    assert dazzle(project, "build").returncode != 0  # 0 is stored: that is data too
    allowed = dazzle(project, "build", "--allow-data-loss")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "dropped, as --allow-data-loss asks" in allowed.stdout
    app_works(out)


@pytest.mark.parametrize("point", ["migrations:candidate", "migrations:made", "pending:added"])
def test_a_build_killed_while_making_migrations_is_repaired(helpdesk, point):
    project, out = helpdesk
    edit(project / "dsl/app.dsl", "  body: text required\n", "  body: text required\n  reference: str(20)\n")
    killed = dazzle(project, "build", env=app_env(DAZZLE_KILL_AT=point))
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert sorted(p.name for p in (out / "helpdesk/migrations").glob("0*.py")) == ["0001_initial.py"]
    done = dazzle(project, "build")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "merged your edits" not in done.stdout and "conflict" not in done.stdout + done.stderr
    assert sorted(p.name for p in (out / "helpdesk/migrations").glob("0*.py")) == [
        "0001_initial.py",
        "0002_case_reference.py",
    ]
    assert dazzle(project, "status").stdout.startswith("The next build would change no generated file")
    app_works(out)
