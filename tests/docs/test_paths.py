"""The paths the README and the guides name exist: a re-layout that forgets the docs fails here.
A path with a placeholder (``<stack>``) or a glob is not checked, nor the files of the generators
guide's example, nor anything in a code block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs.test_generators_guide import BLOCK
from tests.support import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
PATH = re.compile(r"`((?:dazzle|generators|hooks|tests|bench|examples|docs)/[^`\s]*)`")
LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")
FENCE = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)


def prose(doc: Path) -> str:
    return FENCE.sub("", doc.read_text("utf-8"))


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_the_paths_a_doc_names_exist(doc):
    example = {path for _kind, path, _text in BLOCK.findall(doc.read_text("utf-8"))}
    named = {p.rstrip("/") for p in PATH.findall(prose(doc)) if not re.search(r"[<*]", p)}
    assert sorted(p for p in named - example if not (REPO / p).exists()) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_the_docs_a_doc_links_to_exist(doc):
    assert [link for link in LINK.findall(prose(doc)) if not (doc.parent / link).exists()] == []
