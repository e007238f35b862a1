"""``parse_module``: one .dsl file's bytes → ``ir.Module``, or a ``ProjectError``.

It owns the parser — lark's LALR table for ``grammar.lark`` (compiled once and cached on disk
by ``dazzle.syntax.grammar_cache``), run by ``dazzle.syntax.lalr`` over the tokens of ``dazzle.syntax.lexer``,
with the IR transformer called as rules are reduced — and turns every way a parse can fail
into a diagnostic a user understands: words instead of terminal names, with file, line,
column and a hint.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path

from dazzle.ir import Location, Module
from dazzle.ir.diagnostics import Diagnostic, ProjectError, did_you_mean
from dazzle.syntax.grammar_cache import load_grammar
from dazzle.syntax.lalr import Table, Token, UnexpectedToken
from dazzle.syntax.lexer import DEDENT, ERROR, INDENT, NEWLINE, Lexer, SourceError, decode_source, layout
from dazzle.syntax.transformer import ModuleBuilder
from dazzle.util.cache import user_cache_dir
from dazzle.util.collector import collector_paused

GRAMMAR = Path(__file__).with_name("grammar.lark")

FIELD_TYPES = (
    "a field type (str(N), text, int, decimal(P,S), bool, date, datetime, uuid, email, "
    "enum[...], ref <Entity>, user)"
)
_TYPE_TERMINALS = frozenset(
    {"STR", "TEXT", "INT", "DECIMAL", "BOOL", "DATE", "DATETIME", "UUID", "EMAIL", "ENUM", "REF", "USER"}
)
_TYPE_WORDS = tuple("str text int decimal bool date datetime uuid email enum ref user".split())
CONDITIONS = "a condition (`anyone`, `signed_in`, `nobody`, `role(<role>)` or `<field> = current_user`)"
_CONDITION_WORDS = ("anyone", "signed_in", "nobody", "role")
_CONDITION_TERMINALS = frozenset({"ANYONE", "SIGNED_IN", "NOBODY", "ROLE"})
# The first words of the lines that hold a condition: an entity's permit rules, a surface's
# `permit:` line.
_CONDITION_LINES = frozenset({"LIST", "READ", "CREATE", "UPDATE", "DELETE", "PERMIT"})
_LITERAL_TERMINALS = frozenset({"STRING", "NUMBER", "TRUE", "FALSE"})
_READABLE = {
    "NAME": "a name",
    "STRING": 'a string in double quotes ("...")',
    "NUMBER": "a number",
    NEWLINE: "the end of the line",
    INDENT: "an indented block",
    DEDENT: "the end of the block",
    "$END": "the end of the file",
}
# Lines that open a block, by their first token: what their name is called in messages.
_OPENERS = {
    "ENTITY": "entity",
    "SURFACE": "surface",
    "SECTION": "section",
    "ACTION": "action",
    "EXPERIENCE": "experience",
    "STEP": "step",
    "SERVICE": "service",
    "FOREIGN_MODEL": "foreign model",
    "INTEGRATION": "integration",
    "SYNC": "sync",
}

_lock = threading.Lock()  # the builder and the lexer hold per-parse state


@functools.cache
def _parser() -> tuple[Table, ModuleBuilder, Lexer, dict[str, str]]:
    grammar = load_grammar(GRAMMAR, user_cache_dir())
    builder = ModuleBuilder()
    keywords = {
        name: f"`{value}`" for table in ("keywords", "symbols") for value, name in grammar[table].items()
    }
    return Table(grammar, builder), builder, Lexer(grammar), keywords


def parse_module(source: bytes, file: str, default_name: str) -> Module:
    """Parse one .dsl file. ``file`` (posix, relative to the project) goes into every
    ``Location``; ``default_name`` names the module when the file has no ``module`` line.
    Raises ``ProjectError`` with the first syntax error and any transformer errors."""
    table, builder, _, _ = _parser()
    return parse_module_with(table.parse, builder, source, file, default_name)


def parse_module_with(
    parse: Callable[[list[Token]], Module],
    builder: ModuleBuilder,
    source: bytes,
    file: str,
    default_name: str,
) -> Module:
    """``parse_module`` with another LALR loop in place of ``Table.parse``: ``parse(tokens)``
    runs it over the lexer's tokens, calling ``builder``'s callbacks as rules are reduced, and
    returns the module or raises ``UnexpectedToken`` (having replaced in ``tokens`` each keyword
    it took as a name, as ``Table.parse`` does: the messages read them). The lark parity test
    (tests/syntax/test_lark_parity.py) runs lark's own LALR parser through here."""
    _, _, lexer, keywords = _parser()
    try:
        text = decode_source(source)
    except SourceError as problem:
        shown = source.decode("utf-8", errors="replace").removeprefix("\ufeff")
        raise ProjectError(_with_source_lines([_layout_diagnostic(problem, file)], shown)) from None
    with _lock, collector_paused():
        builder.begin(file, default_name)
        tokens = lexer.tokens(text)
        try:
            module = parse(tokens)
            problems: list[Diagnostic] = []
        except UnexpectedToken as problem:  # LALR reports the end of the file as a token too
            if problem.token.type == ERROR and lexer.error is not None:
                problems = [_layout_diagnostic(lexer.error, file)]
            else:
                where = layout(tokens, problem.index)
                before = Token._make(tokens[problem.index - 1]) if problem.index > 0 else None
                problems = [_token_diagnostic(problem, where, before, keywords, file)]
        problems.extend(builder.errors)
    if problems:
        raise ProjectError(_with_source_lines(problems, text))
    return module


def _with_source_lines(diagnostics: list[Diagnostic], text: str) -> list[Diagnostic]:
    lines = text.split("\n")  # lark counts lines by "\n" only; splitlines() would disagree
    shown = []
    for d in diagnostics:
        line = lines[d.loc.line - 1].rstrip("\r") if d.loc and 0 < d.loc.line <= len(lines) else None
        shown.append(
            Diagnostic(d.message, loc=d.loc, file=d.file, hint=d.hint, severity=d.severity, source_line=line)
        )
    return shown


def _at(file: str, line: int, column: int) -> Location:
    return Location(file=file, line=line, column=column)


def _layout_diagnostic(problem: SourceError, file: str) -> Diagnostic:
    return Diagnostic(problem.message, loc=_at(file, problem.line, problem.column), hint=problem.hint)


def _token_diagnostic(
    problem: UnexpectedToken,
    where: tuple[Token | None, list[Token | None]],
    before: Token | None,
    keywords: dict[str, str],
    file: str,
) -> Diagnostic:
    token: Token = problem.token
    loc = _at(file, token.line or 1, token.column or 1)
    expected = set(problem.expected)
    found = _describe_found(token)
    at_end = token.type == "$END"
    if token.type == INDENT:
        return Diagnostic(
            "unexpected indentation",
            loc=loc,
            hint="indent only the lines of a block, after a line that ends in `:`",
        )
    if expected <= {INDENT}:
        message = "expected an indented block after the line that ends in `:` (a block must not be empty)"
        if at_end:
            message = f"unexpected end of file: {message}"
        return Diagnostic(message, loc=loc)
    hint = None
    if token.value == "module" and "MODULE" not in expected and "NAME" not in expected:
        return Diagnostic(
            "`module` must be the first statement of the file",
            loc=loc,
            hint="move the `module` line to the top, above every `use`, `app` and block",
        )
    if _TYPE_TERMINALS <= expected and "NAME" not in expected:
        wanted = FIELD_TYPES
        hint = did_you_mean(token.value, _TYPE_WORDS) if token.type == "NAME" else None
    elif _LITERAL_TERMINALS <= expected:
        wanted = "a value (a string in double quotes, a number, `true`, `false` or a word)"
    elif _CONDITION_TERMINALS <= expected:
        wanted = CONDITIONS
        hint = did_you_mean(token.value, _CONDITION_WORDS) if token.type == "NAME" else None
    elif expected == {"EQUAL"} and _in_condition(where[0]) and before is not None and before.type == "NAME":
        # `list: admin`: a bare word in a condition is a field, which `= current_user` follows.
        wanted = f"`= current_user` after the field name `{before.value}`"
        hint = did_you_mean(before.value, _CONDITION_WORDS) or (
            f"a bare word is a `user` field compared with the signed-in user; write `role({before.value})` "
            "for a role"
        )
    elif expected == {"LPAR", "EQUAL"} and before is not None and before.type == "ROLE":
        wanted = "`(` after `role`"
        hint = f"a role is written `role({token.value})`" if token.type == "NAME" else None
    elif {"NAME", "UNIQUE", "INDEX"} <= expected:
        wanted = "a field (`<name>: <type>`), `unique` or `index`"
        if "PERMIT" in expected:
            wanted = "a field (`<name>: <type>`), `unique`, `index` or `permit:`"
    elif expected == {"MINUS", "NAME"}:  # a key of a `sort:` line
        wanted = "a field to sort by (`<field>`, or `-<field>` for descending order)"
    elif expected == {"DOT"} and where[0] is not None and where[0].type in ("CALL", "FROM"):
        wanted = "`.` and the operation after the service name (`<service>.<operation>`)"
    elif "COLON" in expected and _colon_context(*where):
        wanted = _colon_context(*where)
    else:
        wanted = _describe_expected(expected, keywords)
        if token.type not in ("STRING", "NUMBER") and not at_end:
            words = [keywords[t].strip("`") for t in expected if t in keywords]
            hint = did_you_mean(token.value, [w for w in words if w.isidentifier()])
    if at_end:
        return Diagnostic(f"unexpected end of file: expected {wanted}", loc=loc, hint=hint)
    return Diagnostic(f"expected {wanted}, found {found}", loc=loc, hint=hint)


def _in_condition(first: Token | None) -> bool:
    """Whether a line that starts with ``first`` may hold a condition."""
    return first is not None and first.type in _CONDITION_LINES


def _colon_context(first: Token | None, openers: list[Token | None]) -> str | None:
    """`:` missing after the name of a block or a field: say which. ``first`` is the first token
    of the line, ``openers`` the first tokens of the lines that opened the enclosing blocks."""
    if first is None:
        return None
    if first.type in _OPENERS:
        return f"`:` after the {_OPENERS[first.type]} name"
    if first.type in _CONDITION_LINES or first.type == "ROLES":
        return f"`:` after `{first.value}`"
    block = openers[-1] if openers else None
    if block is not None and block.type in ("ENTITY", "FOREIGN_MODEL"):
        return "`:` after the field name"
    return None


def _describe_found(token: Token) -> str:
    if token.type in (NEWLINE, INDENT, DEDENT, "$END"):
        return _READABLE[token.type]
    if token.type == "STRING":
        return f"the string {token.value}"
    if token.type == "NUMBER":
        return f"the number `{token.value}`"
    return f"`{token.value}`"


def _describe_expected(expected: set[str], keywords: dict[str, str]) -> str:
    names = set(expected)
    if len(names) > 1:
        names -= {DEDENT, "$END"}  # "the end of the block" is rarely what the user meant
    words = sorted((_READABLE.get(t) or keywords.get(t) or t.lower() for t in names), key=_word_order)
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _word_order(word: str) -> tuple[int, str]:
    # Keywords and symbols first, then "a name", "a string" ..., "the end of ..." last.
    return (0 if word.startswith("`") else 2 if word.startswith("the ") else 1, word)
