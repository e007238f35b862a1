"""The jinja2 environment every Django generator renders with, and the escaping filters.

Templates use ``[[ ]]``, ``[% %]`` and ``[# #]`` so that they can hold Django template syntax
(``{{ }}``, ``{% %}``) literally. Every string from the spec goes through one of the filters:

- ``py``: a Python literal (``repr``), for generated Python code;
- ``html``: text or an attribute value inside a Django template: HTML-escaped, and braces
  turned into character references so that ``{{ x }}`` or ``{% now %}`` in a title renders
  literally instead of being executed by Django's template engine.
"""

from __future__ import annotations

import html as _html
from functools import lru_cache
from pathlib import Path

import jinja2


def py_literal(value) -> str:
    """A Python literal for a str, int, bool, None, Decimal, or a tuple/list of them."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f'decimal.Decimal({str(value)!r})'
    if isinstance(value, (list, tuple)):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if isinstance(value, tuple) and len(value) == 1 else (
            f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
        )
    return repr(value)


def html_text(value) -> str:
    """Escape for HTML text or a quoted attribute inside a Django template."""
    text = _html.escape(str(value), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;")


@lru_cache(maxsize=None)
def environment(template_dir: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["py"] = py_literal
    env.filters["html"] = html_text
    return env


def render(template_dir: Path, name: str, **context) -> str:
    """Render ``name`` (a path inside ``template_dir``) with ``context``."""
    return environment(str(template_dir)).get_template(name).render(**context)
