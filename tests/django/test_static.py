"""The static generator: one responsive stylesheet that needs nothing from the network."""

from __future__ import annotations

import re

from generators.django.static import StaticGenerator
from tests.django.web_specs import helpdesk


def test_one_offline_responsive_stylesheet():
    gen = StaticGenerator()
    file, script = gen.generate(gen.slice(helpdesk()), {}).files
    assert file.path == "helpdesk/static/helpdesk/style.css"
    assert script.path == "helpdesk/static/helpdesk/lookup.js"
    assert not re.search(r"https?://", script.content)  # the lookup asks the app itself, nothing else
    css = file.content
    assert "@media" in css
    assert not re.search(r"https?://|@import|url\(", css)  # no CDN, fonts or remote files
    assert css.count("{") == css.count("}")
    for selector in (
        ".topbar",
        ".records",
        ".field",
        ".errorlist",
        ".messages",
        ".pagination",
        "th a.sort",
        ".filters",
    ):
        assert selector in css


def test_slice_depends_only_on_the_app_package():
    spec = helpdesk()
    gen = StaticGenerator()
    retitled = spec.model_copy(update={"app": spec.app.model_copy(update={"title": "Other"}), "surfaces": ()})
    assert gen.slice(spec) == gen.slice(retitled)
