"""The jinja2 environment every Django generator renders with, and the escaping filters.

Templates use ``[[ ]]``, ``[% %]`` and ``[# #]`` so that they can hold Django template syntax
(``{{ }}``, ``{% %}``) literally. Every string from the spec goes through one of the filters:

- ``py``: a Python literal (``repr``), for generated Python code;
- ``md``: text inside Markdown (a generated README);
- ``html``: text or an attribute value inside a Django template: HTML-escaped, and braces
  turned into character references so that ``{{ x }}`` or ``{% now %}`` in a title renders
  literally instead of being executed by Django's template engine.
"""

from __future__ import annotations

import html as _html
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import jinja2
import jinja2.bccache

from dazzle.plugins import GeneratedFile
from dazzle.util.cache import user_cache_dir


def py_literal(value) -> str:
    """A Python literal for a str, int, bool, None, Decimal, or a tuple/list/dict of them."""
    if isinstance(value, str):  # first: by far the most frequent, and generated tests ask for thousands
        return _py_string(value)
    if isinstance(value, Decimal):
        return f"decimal.Decimal({_py_string(str(value))})"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(py_literal(v) for v in value)
        return (
            f"({inner},)"
            if isinstance(value, tuple) and len(value) == 1
            else (f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
        )
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _py_string(text: str) -> str:
    """``repr`` with double quotes where that needs no escape, as black and ruff format do."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        literal = '"' + literal[1:-1] + '"'
    return literal


def html_text(value) -> str:
    """Escape for HTML text or a quoted attribute inside a Django template."""
    text = _html.escape(str(value), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;")


def markdown_text(value) -> str:
    """Escape for Markdown text: every ASCII punctuation mark gets a backslash (CommonMark
    allows that for all of them), so ``*``, ``_``, ``<script>`` or ``[x](y)`` show literally."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", str(value))


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """jinja's cache of compiled templates in a folder, except that a folder it cannot write
    (read-only, another user's) never fails a render: the template is simply not kept."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between processes (compiling them is a good part of a small
    rebuild); jinja checks each against its template's source before using it."""
    folder = user_cache_dir()
    if folder is None:
        return None
    folder = folder / f"jinja-{jinja2.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder))


@cache
def environment(template_dir: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        bytecode_cache=_bytecode_cache(),
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
    env.filters["md"] = markdown_text
    return env


def render(template_dir: Path, name: str, **context) -> str:
    """Render ``name`` (a path inside ``template_dir``) with ``context``."""
    return environment(str(template_dir)).get_template(name).render(**context)


def render_tree(template_dir: Path, app: str, **context) -> list[GeneratedFile]:
    """Render every ``*.j2`` file under ``template_dir`` into a generated file at the mirrored
    path: the ``.j2`` suffix dropped and a leading ``app/`` folder replaced by the app package.
    ``manage.py`` is made executable."""
    files = []
    for source in sorted(template_dir.rglob("*.j2")):
        name = source.relative_to(template_dir).as_posix()
        parts = name[: -len(".j2")].split("/")
        if parts[0] == "app":
            parts[0] = app
        target = "/".join(parts)
        content = render(template_dir, name, app=app, **context)
        files.append(GeneratedFile(target, content, executable=target == "manage.py"))
    return files


LINE_WIDTH = 100
"""Generated lines longer than this are wrapped one item per line, as black would."""


def py_call(function: str, args: list[str], indent: str = "    ") -> str:
    """``function(arg, ...)`` (arguments already Python source) on one line, or one argument
    per line when the line starting at ``indent`` would be too long."""
    one_line = f"{function}({', '.join(args)})"
    if len(indent) + len(one_line) <= LINE_WIDTH:
        return one_line
    inner = "".join(f"{indent}    {a},\n" for a in args)
    return f"{function}(\n{inner}{indent})"


def py_assign(name: str, values: list, indent: str = "    ") -> str:
    """``name = [literal, ...]``, wrapped one item per line when too long."""
    one_line = f"{name} = {py_literal(list(values))}"
    if len(indent) + len(one_line) <= LINE_WIDTH:
        return one_line
    inner = "".join(f"{indent}    {py_literal(v)},\n" for v in values)
    return f"{name} = [\n{inner}{indent}]"


def py_mapping(name: str, pairs: list[tuple[str, str]], indent: str = "    ") -> str:
    """``name = {"key": source, ...}`` (values already Python source), wrapped when too long."""
    items = [f"{py_literal(key)}: {source}" for key, source in pairs]
    one_line = f"{name} = {{{', '.join(items)}}}"
    if len(indent) + len(one_line) <= LINE_WIDTH:
        return one_line
    inner = "".join(f"{indent}    {item},\n" for item in items)
    return f"{name} = {{\n{inner}{indent}}}"
