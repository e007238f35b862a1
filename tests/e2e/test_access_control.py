"""End to end: a project with roles, row rules, `anyone`, surface and custom-page `permit`
lines, `user` fields and flows, built with the real CLI. Its generated tests (every rule, for
each kind of person, through HTTP) pass; probes written here check what they do not: who the
`user` fields record, what the admin lets staff do, flows, and that a rule change rebuilds
only what it must and keeps the groups in step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.generated_app import dazzle, manage
from tests.support import write_tree

pytestmark = pytest.mark.slow

SPEC = """\
app desk "Desk":
  roles: agent "Support agent", manager "Team manager"

entity Ticket "Ticket":
  subject: str(120) required
  owner: user auto_add
  editor: user auto_update
  assignee: user
  status: enum[open,closed]=open
  permit:
    list: role(agent) or owner = current_user
    read: anyone
    create: signed_in
    update: role(manager) or (role(agent) and owner = current_user)
    delete: role(manager)

entity Note "Note":
  text: str(200) required
  author: user auto_add required
  permit:
    list: author = current_user
    read: author = current_user
    create: signed_in
    delete: author = current_user

entity Tag "Tag":
  name: str(40) required

surface ticket_list "Tickets":
  uses entity Ticket
  mode: list
  section main:
    field subject "Subject"
    field owner "Owner"

surface ticket_view "Ticket":
  uses entity Ticket
  mode: view
  section main:
    field subject "Subject"
    field owner "Owner"
    field assignee "Assignee"

surface ticket_new "New ticket":
  uses entity Ticket
  mode: create
  section main:
    field subject "Subject"
    field assignee "Assignee"

surface ticket_edit "Edit ticket":
  uses entity Ticket
  mode: edit
  permit: role(agent) or role(manager)
  section main:
    field subject "Subject"
    field status "Status"

surface note_list "My notes":
  uses entity Note
  mode: list
  section main:
    field text "Text"

surface note_view "Note":
  uses entity Note
  mode: view
  section main:
    field text "Text"

surface note_new "New note":
  uses entity Note
  mode: create
  section main:
    field text "Text"

surface tag_list "Tags":
  uses entity Tag
  mode: list
  section main:
    field name "Name"

surface feedback "Feedback":
  mode: custom
  permit: role(manager)
  section main:
    field message "Message"

experience triage "Triage":
  start at step pick
  step pick:
    kind: surface
    surface ticket_new
    on success -> step look
  step look:
    kind: surface
    surface ticket_view
"""

PROBES = """\
from django.contrib.auth.models import Group, User
from django.test import TestCase
from django.urls import reverse

from desk import models


def person(name, *roles, staff=False):
    user = User.objects.create_user(name, password="a-Secret-9", is_staff=staff)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


class Probes(TestCase):
    def test_user_fields_record_who_did_it_and_are_in_no_form(self):
        agent, other = person("ann", "agent"), person("bob")
        self.client.force_login(agent)
        page = self.client.get(reverse("ticket-create")).content.decode()
        self.assertNotIn('name="owner"', page)
        self.assertIn('name="assignee"', page)  # a user field without auto_: chosen like a ref
        response = self.client.post(reverse("ticket-create"), {"subject": "Printer", "assignee": other.pk})
        self.assertEqual(response.status_code, 302, response.content[:500])
        ticket = models.Ticket.objects.get(subject="Printer")
        self.assertEqual((ticket.owner, ticket.editor, ticket.assignee), (agent, agent, other))
        manager = person("cy", "manager")
        self.client.force_login(manager)
        edit = reverse("ticket-update", args=[ticket.pk])
        posted = {"subject": "Printer", "status": "closed", "owner": manager.pk}
        self.assertEqual(self.client.post(edit, posted).status_code, 302)
        ticket.refresh_from_db()
        self.assertEqual((ticket.owner, ticket.editor, ticket.status), (agent, manager, "closed"))

    def test_rows_of_others_are_hidden_and_visitors_may_read(self):
        ann, bob = person("ann"), person("bob")
        mine = models.Note.objects.create(text="mine", author=ann)
        models.Note.objects.create(text="theirs", author=bob)
        self.client.force_login(ann)
        listed = self.client.get(reverse("note-list"))
        self.assertEqual([n.text for n in listed.context["object_list"]], ["mine"])
        theirs = models.Note.objects.get(text="theirs")
        self.assertEqual(self.client.get(reverse("note-detail", args=[theirs.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("note-delete", args=[theirs.pk])).status_code, 404)
        self.assertTrue(models.Note.objects.filter(pk=theirs.pk).exists())
        self.assertEqual(self.client.post(reverse("note-delete", args=[mine.pk])).status_code, 302)
        self.client.logout()
        ticket = models.Ticket.objects.create(subject="Public", owner=bob)
        self.assertEqual(self.client.get(reverse("ticket-detail", args=[ticket.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("ticket-list")).status_code, 302)  # to sign in

    def test_the_admin_follows_the_rules_for_staff(self):
        owner = person("own")
        ticket = models.Ticket.objects.create(subject="Old", owner=owner)
        agent = person("ann", "agent", staff=True)
        self.client.force_login(agent)
        changelist = self.client.get(reverse("admin:desk_ticket_changelist"))
        self.assertEqual(changelist.status_code, 200)
        self.assertContains(changelist, "Old")
        delete = reverse("admin:desk_ticket_delete", args=[ticket.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(models.Ticket.objects.filter(pk=ticket.pk).exists())
        add = self.client.post(reverse("admin:desk_ticket_add"), {"subject": "From admin", "status": "open"})
        self.assertEqual(add.status_code, 302)
        self.assertEqual(models.Ticket.objects.get(subject="From admin").owner, agent)
        self.client.force_login(person("plain", staff=True))
        self.assertEqual(self.client.get(reverse("admin:desk_note_changelist")).status_code, 200)
        self.assertNotContains(self.client.get(reverse("admin:desk_note_changelist")), "theirs")
        self.client.force_login(person("boss", "manager", staff=True))
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 302)
        self.assertFalse(models.Ticket.objects.filter(pk=ticket.pk).exists())

    def test_a_flow_saves_under_the_rules(self):
        member = person("dee")
        self.client.force_login(member)
        step = reverse("flow-triage-step", args=["pick"])
        response = self.client.post(step, {"subject": "Via flow"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(models.Ticket.objects.get(subject="Via flow").owner, member)
        self.assertEqual(self.client.get(reverse("surface-feedback")).status_code, 403)
"""


def build(project: Path) -> None:
    done = dazzle(project, "build")
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"


def test_rules_are_enforced_and_their_generated_tests_pass(tmp_path):
    project = tmp_path / "desk"
    write_tree({"dazzle.toml": b'[project]\nname = "desk"\n', "dsl/app.dsl": SPEC.encode()}, project)
    build(project)
    out = project / "build"
    manage(out, "makemigrations", "--check", "--dry-run")
    (out / "desk" / "tests" / "test_probes.py").write_text(PROBES, "utf-8")
    output = manage(out, "test", "--no-input")
    ran = re.search(r"^Ran (\d+) tests?", output, re.MULTILINE)
    written = sum(p.read_text().count("    def test_") for p in out.rglob("test*.py"))
    assert ran is not None and int(ran.group(1)) == written and "OK" in output, output[-3000:]
    assert (out / "desk" / "tests" / "test_access.py").is_file()

    # A rule changes: access.py and the access tests follow, the models and migrations do not.
    access_before = (out / "desk" / "access.py").read_text()
    models_before = (out / "desk" / "models.py").read_text()
    (project / "dsl" / "app.dsl").write_text(
        SPEC.replace("    delete: role(manager)\n", "    delete: nobody\n")
    )
    build(project)
    assert (out / "desk" / "access.py").read_text() != access_before
    assert '"delete": NOBODY' in (out / "desk" / "access.py").read_text()
    assert (out / "desk" / "models.py").read_text() == models_before
    assert sorted(p.name for p in (out / "desk" / "migrations").glob("0*.py")) == ["0001_initial.py"]
    output = manage(out, "test", "--no-input", "desk.tests.test_access")
    assert "OK" in output, output[-3000:]
