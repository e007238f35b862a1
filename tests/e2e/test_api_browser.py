"""The helpdesk app's API docs in headless Chromium (issue #16): Swagger UI at ``/api/docs/``
renders the app's own schema with every request served by the app itself (the browser is
offline: any request to another host is refused and reported), and "Try it out" on the cases
list, with the session of someone signed in, gets the cases the API lists.

Needs playwright and Chromium, as ``test_browser.py``.
"""

from __future__ import annotations

import textwrap
from urllib.parse import urlsplit

import pytest

from tests.e2e.generated_app import build_example, create_admin, manage, running_server
from tests.e2e.test_browser import TIMEOUT_MS, Problems, browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DATA = textwrap.dedent(
    """
    from helpdesk import models
    agent = models.Agent.objects.create(email="agent@example.com", full_name="Agent")
    customer = models.Customer.objects.create(company="Acme")
    models.Case.objects.create(subject="Printer on fire", body="Smoke.", customer=customer, opened_by=agent)
    """
)


@pytest.fixture(scope="module")
def docs(browser, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    out = build_example("helpdesk", tmp_path_factory.mktemp("api"))
    credentials = create_admin(out)
    manage(out, "shell", "-c", DATA)
    with running_server(out) as base:
        context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        elsewhere: list[str] = []

        def offline(route):
            if urlsplit(route.request.url).netloc == urlsplit(base).netloc:
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", offline)
        page = context.new_page()
        problems = Problems(page)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(credentials["username"])
        page.get_by_label("Password").fill(credentials["password"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base + "/")
        yield page, problems, elsewhere
        context.close()


def test_swagger_ui_renders_the_schema_offline_and_tries_the_list(docs):
    from playwright.sync_api import expect

    page, problems, elsewhere = docs
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Help Desk API")
    operation = page.locator("#operations-cases-cases_list")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".responses-wrapper .live-responses-table .response-col_description pre")
    expect(body.first).to_contain_text("Printer on fire")
    expect(operation.locator(".live-responses-table .response .response-col_status").first).to_have_text(
        "200"
    )
    assert elsewhere == [], f"requests to other hosts: {elsewhere}"
    assert problems.seen == []
