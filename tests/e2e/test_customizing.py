"""End to end: custom code in the places made for it survives a rebuild after a spec change,
with no merge in any generated file, and is in effect.

helpdesk is built with the real CLI; then a developer writes code in each place — a setting
and an app in ``config/settings_extra.py``, a public status view and a replacement of the
agents' page in ``views_extra.py`` routed by ``urls_extra.py``, a mixin that filters the cases'
list, searches one more field and adds to its context, a form mixin that validates, template overrides (the cases' list
page, and ``base.html`` linking a stylesheet from ``static/``) — and adds an entity to the
spec. The rebuild leaves every file of theirs as they wrote it and every generated file as
generated (no merge, no conflict); ``manage.py check`` and the generated tests pass, and
requests through Django's test client show each customization at work. Last, a mixin named
after no generated class is what ``manage.py check`` warns of.
"""

from __future__ import annotations

import json
from pathlib import Path

from dazzle.engine.ledger import Ledger
from dazzle.engine.paths import Layout
from dazzle.util.files import sha256
from tests.e2e.generated_app import app_env, build_example, dazzle, manage

SETTINGS_EXTRA = '''\
"""Our settings."""

from .settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.humanize"]
SUPPORT_EMAIL = "help@example.com"
'''

VIEWS_EXTRA = '''\
"""Our views."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse

from . import models, views


@login_not_required
def status(request):
    return JsonResponse({"support": settings.SUPPORT_EMAIL, "cases": models.Case.objects.count()})


class AgentListView(views.AgentListView):
    template_name = "helpdesk/agent_roster.html"
'''

URLS_EXTRA = '''\
"""Our URLs: a page of our own, and the agents' page replaced by ours."""

from django.urls import path

from . import views_extra

urlpatterns = [
    path("status/", views_extra.status, name="status"),
    path("agents/", views_extra.AgentListView.as_view(), name="agent-list"),
]
'''

MIXINS = '''\
"""Our changes to the generated views and forms."""

from django import forms
from django.conf import settings


class CaseListViewMixin:
    def get_queryset(self):
        return super().get_queryset().exclude(subject__startswith="[archived]")

    def get_search_fields(self):
        return (*super().get_search_fields(), "body")

    def get_context_data(self, **kwargs):
        return super().get_context_data(support_email=settings.SUPPORT_EMAIL, **kwargs)


class CaseCreateFormMixin:
    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "spam" in subject.lower():
            raise forms.ValidationError("No spam, please.")
        return subject
'''

TEMPLATES = {
    "templates/helpdesk/case_list.html": """\
{% extends "helpdesk/case_list.html" %}
{% load humanize %}

{% block content %}
<p id="our-note">Archived cases are hidden; write to {{ support_email }} ({{ 1234567|intcomma }} served).</p>
{{ block.super }}
{% endblock %}
""",
    "templates/helpdesk/agent_roster.html": """\
{% extends "helpdesk/agent_list.html" %}

{% block content %}<h2>Our roster</h2>{{ block.super }}{% endblock %}
""",
    "templates/helpdesk/base.html": """\
{% extends "helpdesk/base.html" %}
{% load static %}

{% block extra_head %}<link rel="stylesheet" href="{% static 'ours.css' %}">{% endblock %}
""",
    "static/ours.css": ".our-mark { color: rebeccapurple; }\n",
}

NEW_ENTITY = """
entity Tag "Tag":
  id: uuid pk
  label: str(40) required

surface tag_list "Tags":
  uses entity Tag
  mode: list
  section main "Tags":
    field label "Label"

surface tag_new "New tag":
  uses entity Tag
  mode: create
  section main "Tag":
    field label "Label"
"""

# Run in the generated project (``manage.py shell``): each customization, seen through requests.
REQUESTS = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from helpdesk import models

client, seen = Client(), {}
status = client.get("/status/")
seen["status"] = [status.status_code, status.json()]
developer = get_user_model().objects.create_user("developer")
developer.groups.add(Group.objects.get(name="agent"))  # the example's rules: agents open cases
client.force_login(developer)
customer = models.Customer.objects.create(company="Acme")
agent = models.Agent.objects.create(email="ann@example.com", full_name="Ann Agent")
for subject in ("Printer on fire", "[archived] Old fax"):
    models.Case.objects.create(subject=subject, body="toner everywhere", customer=customer, opened_by=agent)
cases = client.get("/cases/").content.decode()
seen["cases"] = [s in cases for s in ("our-note", "help@example.com", "1,234,567", "Printer on fire", "Old fax")]
seen["search"] = "Printer on fire" in client.get("/cases/?q=toner").content.decode()
seen["stylesheet"] = "/static/ours.css" in cases and "/static/helpdesk/style.css" in cases
posted = {"body": "b", "severity": "minor", "customer": customer.pk, "opened_by": agent.pk}
spam = client.post("/cases/new/", {**posted, "subject": "Cheap spam"})
seen["spam"] = [spam.status_code, "No spam, please." in spam.content.decode()]
fine = client.post("/cases/new/", {**posted, "subject": "Screen flickers"})
seen["fine"] = [fine.status_code, models.Case.objects.filter(subject="Screen flickers").exists()]
agents = client.get("/agents/").content.decode()
seen["agents"] = ["Our roster" in agents, "Ann Agent" in agents]
seen["tags"] = client.get("/tags/").status_code
css = client.get("/static/ours.css")
seen["css"] = [css.status_code, b"rebeccapurple" in b"".join(css.streaming_content)]
print(json.dumps(seen))
"""


def dazzle_build(project: Path) -> str:
    done = dazzle(project, "build")
    assert done.returncode == 0, f"dazzle build failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_custom_code_survives_a_spec_change_and_is_in_effect(tmp_path):
    out = build_example("helpdesk", tmp_path)
    project = out.parent
    ours = {
        "config/settings_extra.py": SETTINGS_EXTRA,
        "helpdesk/views_extra.py": VIEWS_EXTRA,
        "helpdesk/urls_extra.py": URLS_EXTRA,
        "helpdesk/mixins.py": MIXINS,
        **TEMPLATES,
    }
    for rel, text in ours.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    with (project / "dsl" / "app.dsl").open("a") as dsl:
        dsl.write(NEW_ENTITY)

    log = dazzle_build(project)

    assert "generate:django:views" in log and "Create model Tag" in log  # the change reached the app
    assert {rel: (out / rel).read_text() for rel in ours} == ours
    assert (out / "templates" / "README.md").is_file()  # the skeletons the user left alone stay too
    ledger = Ledger.load(Layout.create(project, out, project / ".dazzle"))
    merged = [
        rel
        for rel, entry in ledger.files.items()
        if not entry.user_owned and (entry.conflict or sha256((out / rel).read_bytes()) != entry.base)
    ]
    assert merged == [], f"generated files that are not as generated: {merged}"
    assert "merged your edits" not in log and "conflict" not in log
    assert 'mixin("TagListViewMixin")' in (out / "helpdesk" / "views.py").read_text()  # none in mixins.py

    env = app_env(ALLOWED_HOSTS="localhost,127.0.0.1,testserver")
    manage(out, "check", env=env)
    assert "SUPPORT_EMAIL = 'help@example.com'  ###" in manage(out, "diffsettings", env=env)
    assert "OK" in manage(out, "test", "--no-input", env=env)
    manage(out, "migrate", "--no-input", env=env)
    seen = json.loads(manage(out, "shell", "--no-imports", "-c", REQUESTS, env=env).strip().splitlines()[-1])
    assert seen["status"] == [200, {"support": "help@example.com", "cases": 0}]  # public: no sign-in
    assert seen["cases"] == [True, True, True, True, False]  # note, setting, humanize; archived hidden
    assert seen["stylesheet"] is True
    assert seen["search"] is True  # the body searched too, through get_search_fields()
    assert seen["spam"] == [200, True] and seen["fine"] == [302, True]
    assert seen["agents"] == [True, True]  # our view, on the generated page's path
    assert seen["tags"] == 200  # the new entity's page: no mixin of its own, none needed
    assert seen["css"] == [200, True]

    # A mixin named after no generated class (say, after a rename in the spec) is reported.
    with (out / "helpdesk" / "mixins.py").open("a") as mixins:
        mixins.write("\n\nclass AgentDetailViewMixin:\n    pass\n")
    warned = manage(out, "check", env=env)
    assert "(helpdesk.W001) mixins.AgentDetailViewMixin is mixed into nothing" in warned
    assert warned.count("W001") == 1
