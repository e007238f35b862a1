"""The compiled grammar: lark's LALR table for ``grammar.lark`` as plain data, cached on disk.

``compile_grammar`` has lark build the table and flattens it: states (state → symbol →
(shift?, next state or rule number)), rules (what ``dazzle.syntax.lalr`` needs to reduce them) and
the terminals the lexer scans for. ``load_grammar`` keeps that data in the user's cache folder
with ``marshal``, keyed by the grammar's text and lark's version: a warm start reads one file
instead of importing lark and rebuilding the table (about 0.1 s of every ``dazzle`` run). lark
numbers states differently from one build to the next; each cached table is consistent in
itself.
"""

from __future__ import annotations

import importlib.util
import marshal
import re
import zlib
from pathlib import Path

# Bump when the shape of the compiled data changes: old cache files are then ignored.
FORMAT = 1


def load_grammar(grammar: Path, cache_dir: Path | None) -> dict:
    """The compiled grammar: from ``cache_dir`` when a file there matches the grammar's text and
    lark's version, else compiled with lark and stored there (atomically; a cache folder that
    cannot be written is not an error). A corrupt cache file is compiled again."""
    text = grammar.read_text(encoding="utf-8")
    # The whole key is stored and compared; its checksum only names the file.
    key = f"{FORMAT}\0{_lark_version()}\0{text}"
    cached = cache_dir / f"grammar-{zlib.crc32(key.encode()):08x}.marshal" if cache_dir is not None else None
    if cached is not None:
        try:
            data = marshal.loads(cached.read_bytes())
            if isinstance(data, dict) and data.get("key") == key:
                return data
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = compile_grammar(text)
    data["key"] = key
    if cached is not None:
        _store(cached, marshal.dumps(data))
    return data


def _store(path: Path, content: bytes) -> None:
    from dazzle.util.files import write_atomic  # only on the cold path

    try:
        write_atomic(path, content)
    except OSError:
        pass  # a read-only cache folder costs time, not correctness


def _lark_version() -> str:
    """lark's version, read from its package without importing it (the import is what a warm
    start saves)."""
    spec = importlib.util.find_spec("lark")
    if spec is None or spec.origin is None:
        return "unknown"
    try:
        source = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    found = re.search(r"""^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)""", source, re.MULTILINE)
    return found.group(1) if found else "unknown"


def compile_grammar(text: str) -> dict:
    """lark's LALR table for ``text`` as plain data (what ``marshal`` stores): ``states``
    (state → symbol → (shift?, next state or rule number)), ``rules`` ((size, origin,
    callback name, plan, trailing Nones)), ``start_state``, ``end_state``, and the terminals:
    ``keywords`` and ``symbols`` (text → terminal name) and ``patterns`` (the regular
    expressions of NAME, NUMBER and STRING)."""
    from lark import Lark
    from lark.lexer import PatternStr
    from lark.parsers.lalr_analysis import Shift

    parser = Lark(text, parser="lalr", lexer="basic", maybe_placeholders=True)
    parse_table = parser.parser.parser.parser.parse_table
    rules: list = []
    numbers: dict = {}
    states = {}
    for state, actions in parse_table.states.items():
        row = {}
        for symbol, (action, arg) in actions.items():
            symbol = str(symbol)  # marshal takes exact str only, not lark's str subclasses
            if action is Shift:
                row[symbol] = (True, arg)
                continue
            if arg not in numbers:
                numbers[arg] = len(rules)
                rules.append(_compile_rule(arg))
            row[symbol] = (False, numbers[arg])
        states[state] = row
    strings = {
        str(t.name): str(t.pattern.value) for t in parser.terminals if isinstance(t.pattern, PatternStr)
    }
    patterns = {
        str(t.name): str(t.pattern.to_regexp())
        for t in parser.terminals
        if t.name in ("NAME", "NUMBER", "STRING")
    }
    return {
        "states": states,
        "rules": rules,
        "start_state": parse_table.start_states["start"],
        "end_state": parse_table.end_states["start"],
        "keywords": {value: name for name, value in strings.items() if value.isidentifier()},
        "symbols": {value: name for name, value in strings.items() if not value.isidentifier()},
        "patterns": patterns,
    }


def _compile_rule(rule) -> tuple:
    if rule.options.keep_all_tokens or rule.options.expand1:
        raise NotImplementedError(f"rule options `!` and `?` are not supported: {rule}")
    name = rule.alias or rule.options.template_source or rule.origin.name
    empty = rule.options.empty_indices
    nones_at = [len(run) for run in "".join(str(int(b)) for b in empty).split("0")] if empty else None
    plan = []
    nones = 0
    for index, symbol in enumerate(rule.expansion):
        nones += nones_at[index] if nones_at else 0
        if not (symbol.is_term and symbol.filter_out):
            plan.append((index, not symbol.is_term and symbol.name.startswith("_"), nones))
            nones = 0
    trailing = nones + (nones_at[-1] if nones_at else 0)
    return (len(rule.expansion), str(rule.origin.name), str(name), tuple(plan), trailing)
