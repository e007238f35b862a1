"""The generated helpdesk app in a real browser: headless Chromium, driven through playwright,
against ``manage.py runserver`` on a loopback port, the way a user meets it.

One journey: sign in with the generated admin login, follow the navigation, create a customer,
an agent and a case through their create pages (which show exactly their surface's fields and
labels), find the case in the list, open it, edit it, fail to delete the customer it refers
to (with the app's message, not an error page), delete the case, open the admin, sign out.
Along the way: the stylesheet is applied, no console error, no failed or >= 400 request;
screenshots of the list, form and detail pages are left in the test's tmp folder.

Needs the ``playwright`` package and Debian's Chromium at ``/usr/bin/chromium`` (never
``playwright install``); without them the test is skipped, or fails under ``DAZZLE_REQUIRE_E2E``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dazzle.semantics.frontend import load_project
from generators.django import naming
from tests.e2e.generated_app import build_example, create_admin, running_server, unavailable

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("DAZZLE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # the machine has no network: no pings to Google
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install playwright)")
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def helpdesk(browser, tmp_path_factory):
    """The built, migrated helpdesk app with its admin user, served for the module."""
    out = build_example("helpdesk", tmp_path_factory.mktemp("e2e"))
    credentials = create_admin(out)
    spec, _warnings = load_project(out.parent)
    with running_server(out) as base:
        yield {"base": base, "credentials": credentials, "spec": spec, "out": out}


def admins_missing_icon(source: str, page: str) -> bool:
    """Django's own admin pages name no icon, so Chromium asks for /favicon.ico and logs its
    404. The app's pages name an inline icon; this one message, on the admin, is Django's."""
    return urlsplit(source).path == "/favicon.ico" and urlsplit(page).path.startswith("/admin/")


class Problems:
    """Everything that went wrong in the page behind the journey's back."""

    def __init__(self, page):
        self.seen: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.seen.append(f"script error: {error}"))
        page.on(
            "requestfailed", lambda r: self.seen.append(f"request failed: {r.method} {r.url}: {r.failure}")
        )
        page.on("response", self.response)

    def console(self, message) -> None:
        source = message.location.get("url", "")
        page = message.page.url if message.page else ""
        if message.type not in ("error", "warning") or admins_missing_icon(source, page):
            return
        self.seen.append(f"console {message.type}: {message.text} at {source} (page {page})")

    def response(self, response) -> None:
        if response.status >= 400:
            self.seen.append(f"HTTP {response.status}: {response.request.method} {response.url}")


def expected_form(spec, surface_name: str) -> tuple[list[str], list[str]]:
    """The input names and labels a create/edit surface's page must show, in order."""
    surface = spec.surface(surface_name)
    entity = spec.entity(surface.entity)
    names = naming.form_field_names(entity, surface.mode, [f.name for f in surface.fields])
    labels = {f.name: f.label for f in surface.fields}
    attrs = naming.field_attrs(entity)
    return [attrs[name] for name in names], [labels[name] for name in names]


def assert_form_matches(page, spec, surface_name: str) -> None:
    names, labels = expected_form(spec, surface_name)
    form = page.locator("main form.form")
    shown_names = form.locator("input:not([type=hidden]), select, textarea").evaluate_all(
        "els => els.map(e => e.name)"
    )
    shown_labels = [
        re.sub(r":$", "", text.strip()) for text in form.locator(".field label").all_inner_texts()
    ]
    assert (shown_names, shown_labels) == (names, labels), f"{surface_name} shows other fields"


def assert_styled(page) -> None:
    """The generated stylesheet is applied: computed styles differ from Chromium's defaults.

    A page reached by a click may still be loading its stylesheet when the URL has changed:
    wait until the app's sheet is there with its rules, then read the styles it gives."""
    page.wait_for_function(
        """() => {
            const link = document.querySelector('link[rel=stylesheet]');
            return link !== null && link.sheet !== null && link.sheet.cssRules.length > 0;
        }"""
    )
    style = page.evaluate(
        """() => {
            const body = getComputedStyle(document.body);
            const bar = getComputedStyle(document.querySelector('header.topbar'));
            const sheet = document.querySelector('link[rel=stylesheet]').sheet;
            return {margin: body.margin, display: body.display, font: body.fontFamily,
                    bar: bar.backgroundColor, rules: sheet.cssRules.length};
        }"""
    )
    assert style["margin"] == "0px" and style["display"] == "flex", style  # defaults: 8px, block
    assert "Times New Roman" not in style["font"] and style["rules"] > 20, style
    assert style["bar"] not in ("rgba(0, 0, 0, 0)", "transparent"), style


def flash(page):
    """The messages the last request left (auto-waiting, so a page still loading is waited for)."""
    from playwright.sync_api import expect

    return expect(page.locator("ul.messages"))


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label).select_option(label=option)


def test_a_user_works_through_the_helpdesk_in_chromium(helpdesk, browser, tmp_path):
    from playwright.sync_api import expect

    base, spec, login = helpdesk["base"], helpdesk["spec"], helpdesk["credentials"]
    shots = tmp_path / "screenshots"
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = Problems(page)

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    # Home sends an anonymous visitor to the sign-in page.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    assert_styled(page)
    page.get_by_label("Username").fill(login["username"])
    page.get_by_label("Password").fill(login["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + "/")
    expect(page.locator("header .who")).to_have_text(login["username"])
    assert_styled(page)

    # The navigation leads to every list surface's page.
    nav = page.get_by_role("navigation", name="Main")
    segments = {name: n.segment for name, n in naming.app_names(spec).entities.items()}
    lists = [(s.label, f"/{segments[s.entity]}/") for s in spec.surfaces if s.mode == "list"]
    assert [title for title, _path in lists] == ["Customers", "Cases", "Replies", "Agents"]
    expect(nav.get_by_role("link")).to_have_count(len(lists))
    for title, path in lists:
        nav.get_by_role("link", name=title, exact=True).click()
        expect(page).to_have_url(base + path)
        expect(page.locator("h1")).to_have_text(title)
        expect(nav.get_by_role("link", name=title, exact=True)).to_have_attribute("aria-current", "page")

    # A customer, through its create page.
    nav.get_by_role("link", name="Customers", exact=True).click()
    page.get_by_role("link", name="New customer").first.click()
    expect(page).to_have_url(base + "/customers/new/")
    assert_form_matches(page, spec, "customer_new")
    page.get_by_label("Company").fill("Acme Ltd")
    page.get_by_label("Contact").fill("help@acme.example")
    page.get_by_label("Phone").fill("+44 20 7946 0000")
    page.get_by_label("Credit limit").fill("2500.00")
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(re.compile(r"/customers/[0-9a-f-]{36}/$"))
    flash(page).to_contain_text("Customer “Acme Ltd” created.")
    expect(page.locator("dl.fields")).to_contain_text("+44 20 7946 0000")

    # An agent.
    nav.get_by_role("link", name="Agents", exact=True).click()
    page.get_by_role("link", name="Add agent").first.click()
    expect(page).to_have_url(base + "/agents/new/")
    assert_form_matches(page, spec, "agent_new")
    page.get_by_label("Name").fill("Grace Hopper")
    page.get_by_label("E-mail").fill("grace@helpdesk.example")
    choose(page, "Team", "Second line")
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(base + "/agents/")
    expect(page.locator("table.records tbody")).to_contain_text("Grace Hopper")

    # A case that refers to both; the form page is photographed filled in.
    nav.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="Open a case").first.click()
    expect(page).to_have_url(base + "/cases/new/")
    assert_form_matches(page, spec, "case_new")
    page.get_by_label("Subject").fill("Printer on fire")
    page.get_by_label("Description").fill("Smoke since this morning.\nPlease hurry.")
    choose(page, "Severity", "Critical")
    choose(page, "Customer", "Acme Ltd")
    choose(page, "Opened by", "Grace Hopper")
    shot("case-form")
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case_url = page.url
    flash(page).to_contain_text("“Printer on fire” created.")

    # It is in the list; its subject opens its detail page.
    nav.get_by_role("link", name="Cases", exact=True).click()
    row = page.locator("table.records tbody tr", has_text="Printer on fire")
    expect(row).to_have_count(1)
    for value in ("New", "Critical", "Acme Ltd"):
        expect(row).to_contain_text(value)
    shot("case-list")
    row.get_by_role("link", name="Printer on fire").click()
    expect(page).to_have_url(case_url)
    details = page.locator("dl.fields")
    expect(details).to_contain_text("Smoke since this morning.")
    expect(details.locator("div", has_text="State")).to_contain_text("New")
    shot("case-detail")

    # Edit: the state moves on, an owner and hours are set.
    page.get_by_role("link", name="Edit").click()
    expect(page).to_have_url(case_url + "edit/")
    assert_form_matches(page, spec, "case_edit")
    choose(page, "State", "Open")
    choose(page, "Owner", "Grace Hopper")
    page.get_by_label("Hours").fill("1.5")
    shot("case-edit-form")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(case_url)
    flash(page).to_contain_text("“Printer on fire” updated.")
    for label, value in (("State", "Open"), ("Owner", "Grace Hopper"), ("Hours", "1.50")):
        expect(details.locator("div", has=page.locator("dt", has_text=label))).to_contain_text(value)

    # The customer cannot go while the case refers to it: a clear message, the customer stays.
    details.get_by_role("link", name="Acme Ltd").click()
    expect(page).to_have_url(re.compile(r"/customers/[0-9a-f-]{36}/$"))
    customer_url = page.url
    shot("customer-detail")
    page.get_by_role("link", name="Delete").click()
    expect(page).to_have_url(customer_url + "delete/")
    expect(page.locator("h1")).to_contain_text("Acme Ltd")
    page.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(customer_url)
    flash(page).to_contain_text(re.compile(r"Customer “Acme Ltd” cannot be deleted: .*Support cases"))
    expect(page.locator("h1")).to_have_text("Acme Ltd")
    shot("customer-delete-refused")

    # The case can go.
    page.goto(case_url)
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(base + "/cases/")
    flash(page).to_contain_text("“Printer on fire” deleted.")
    expect(page.locator("table.records", has_text="Printer on fire")).to_have_count(0)

    # The admin lists every entity.
    page.locator("header").get_by_role("link", name="Admin").click()
    expect(page).to_have_url(base + "/admin/")
    for entity in spec.entities:
        label = naming.verbose_name_plural(entity)
        expect(
            page.locator("#content-main").get_by_role("link", name=label[:1].upper() + label[1:], exact=True)
        ).to_be_visible()

    # Signing out closes the app again.
    page.goto("/customers/")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/cases/$"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    context.close()
    assert problems.seen == [], "\n".join(problems.seen)
    assert sorted(p.name for p in shots.iterdir()) == [
        "case-detail.png",
        "case-edit-form.png",
        "case-form.png",
        "case-list.png",
        "customer-delete-refused.png",
        "customer-detail.png",
    ]
