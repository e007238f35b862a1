"""Lists and related records of the helpdesk app in headless Chromium (REFERENCE §Lists):
sorting by a column header, filters with search and pagination in the URL, a customer's cases
on its page with a "new" link that fills the customer in and comes back, a reply made from its
case's page, and the search-as-you-type box of a reference with more than 100 choices.

The data (130 customers, 30 cases, two agents) is made with ``manage.py shell`` before the
server starts. Needs playwright and Chromium, as ``test_browser.py``.
"""

from __future__ import annotations

import re
import textwrap
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.generated_app import build_example, create_admin, manage, running_server
from tests.e2e.test_browser import TIMEOUT_MS, Problems, browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DATA = textwrap.dedent(
    """
    import datetime
    from django.utils import timezone
    from helpdesk import models
    agents = [models.Agent.objects.create(email=f"agent{i}@example.com", full_name=f"Agent {i}") for i in (1, 2)]
    customers = [models.Customer.objects.create(company=f"Customer {i:03}") for i in range(1, 131)]
    states = ["new", "open", "solved"]
    for i in range(30):
        case = models.Case.objects.create(
            subject=f"Case {chr(65 + i % 26)}{i:02}", body="Broken.", state=states[i % 3],
            customer=customers[i % 3], opened_by=agents[0],
        )
        moment = timezone.now() - datetime.timedelta(days=30 - i)  # Case 29 is the newest
        models.Case.objects.filter(pk=case.pk).update(opened=moment)
    """
)


@pytest.fixture(scope="module")
def desk(browser, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    out = build_example("helpdesk", tmp_path_factory.mktemp("lists"))
    credentials = create_admin(out)
    manage(out, "shell", "-c", DATA)
    with running_server(out) as base:
        context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        problems = Problems(page)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(credentials["username"])
        page.get_by_label("Password").fill(credentials["password"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base + "/")
        yield page, base, problems
        context.close()


def subjects(page) -> list[str]:
    return page.locator("table.records tbody tr td:first-child").all_inner_texts()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_sorting_filtering_and_pages_keep_each_other(desk):
    from playwright.sync_api import expect

    page, base, problems = desk
    page.goto("/cases/")
    # The `sort: -opened, subject` line: newest first, 25 a page.
    expect(page.locator("table.records tbody tr")).to_have_count(25)
    assert subjects(page)[0] == "Case D29"
    header = page.locator("table.records thead th", has_text="Subject")
    header.get_by_role("link").click()
    page.wait_for_url(re.compile(r"sort=subject"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    rising = subjects(page)
    assert rising == sorted(rising) and rising[0] == "Case A00"
    header.get_by_role("link").click()
    page.wait_for_url(re.compile(r"sort=-subject"))
    expect(header).to_have_attribute("aria-sort", "descending")
    assert subjects(page)[0] == "Case Z25"

    # A filter, applied with the sort kept; the next page keeps both.
    page.locator("form.filters select[name=state]").select_option("solved")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"state=solved"))
    assert query(page)["sort"] == ["-subject"]
    shown = subjects(page)
    assert len(shown) == 10  # cases 2, 5, ..., 29
    assert shown == sorted(shown, reverse=True)
    page.locator("form.filters input[name=q]").fill("F05")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"q=F05"))
    assert subjects(page) == ["Case F05"]
    assert query(page)["state"] == ["solved"] and query(page)["sort"] == ["-subject"]

    page.goto("/cases/?sort=subject")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert query(page)["sort"] == ["subject"]
    assert subjects(page) == sorted(subjects(page)) and len(subjects(page)) == 5
    assert problems.seen == []


def test_a_customers_cases_and_a_new_one_from_its_page(desk):
    from playwright.sync_api import expect

    page, base, problems = desk
    page.goto("/customers/?q=Customer+002")
    page.get_by_role("link", name="Customer 002").click()
    related = page.locator("section.related#case__customer")
    expect(related.locator("h2")).to_contain_text("Cases (10)")
    expect(related.locator("tbody tr")).to_have_count(10)
    customer_url = page.url

    related.get_by_role("link", name="Open a case").click()
    page.wait_for_url(re.compile(r"/cases/new/\?customer="))
    # 130 customers: a search box before a select that holds only the one filled in.
    select = page.locator("select[name=customer]")
    expect(select).to_have_attribute("data-lookup", re.compile(r"/lookup/Customer/$"))
    expect(select.locator("option:checked")).to_have_text("Customer 002")
    page.get_by_label("Subject").fill("Printer on fire")
    page.get_by_label("Description").fill("Smoke.")
    page.get_by_label("Opened by").select_option(label="Agent 1")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(customer_url)
    expect(page.locator("ul.messages")).to_contain_text("Support case “Printer on fire” created.")
    expect(related.locator("h2")).to_contain_text("Cases (11)")
    expect(related.get_by_role("link", name="Printer on fire")).to_be_visible()
    assert problems.seen == []


def test_a_reply_from_its_cases_page_returns_there(desk):
    from playwright.sync_api import expect

    page, base, problems = desk
    page.goto("/cases/?q=Case+A00")
    page.get_by_role("link", name="Case A00").click()
    case_url = page.url
    replies = page.locator("section.related#reply__case")
    expect(replies).to_contain_text("None yet.")
    replies.get_by_role("link", name="Reply").click()
    page.wait_for_url(re.compile(r"/replies/new/\?case="))
    expect(page.locator("select[name=case]").locator("option:checked")).to_have_text("Case A00")
    page.get_by_label("Author").select_option(label="Agent 2")
    page.get_by_label("Message").fill("We are on it.")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(case_url)
    # The message names the reply by its text, not by a key.
    expect(page.locator("ul.messages")).to_contain_text("Reply “We are on it.” created.")
    expect(replies.locator("tbody tr")).to_have_count(1)
    expect(replies).to_contain_text("Agent 2")
    assert problems.seen == []


def test_a_reference_with_many_choices_is_searched_as_you_type(desk):
    from playwright.sync_api import expect

    page, base, problems = desk
    page.goto("/cases/new/")
    select = page.locator("select[name=customer]")
    expect(select.locator("option")).to_have_count(1)  # only "---------": not 130 options
    box = page.get_by_role("searchbox", name="Search Customer")
    box.fill("Customer 117")
    expect(select.locator("option", has_text="Customer 117")).to_have_count(1)
    select.select_option(label="Customer 117")
    page.get_by_label("Subject").fill("Found by typing")
    page.get_by_label("Description").fill("It works.")
    page.get_by_label("Opened by").select_option(label="Agent 1")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    expect(page.locator("main")).to_contain_text("Customer 117")
    assert problems.seen == []
