"""Source decoding and the lexer of the DAZZLE grammar, indentation included.

``decode_source`` turns a file's bytes into text (UTF-8, leading BOM dropped; the line of the
first bad byte on failure). ``DazzleLexer`` is the lark lexer of ``grammar.lark``: one regular
expression scans the text, and the lexer itself plays the indentation post-lexer's part:
blank and comment-only lines drop out, and each code line's indentation becomes ``_NL`` /
``_INDENT`` / ``_DEDENT`` tokens.

A word is a keyword only where the parser accepts that keyword (it asks the LALR state, as
lark's contextual lexer does); anywhere else it is a ``NAME``. That is how a field may be
called `status`, `mode`, `entity` or `unique`. It is hand-written rather than lark's own
lexer plus ``Indenter`` for speed (about three times faster on big files) and for precise
messages about tabs, dedents and unterminated strings.

Every lexical or layout mistake raises ``SourceError`` with a 1-based line and column.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator, Mapping
from typing import Any

from lark import Token
from lark.lexer import Lexer, PatternStr

NEWLINE = "_NL"
INDENT = "_INDENT"
DEDENT = "_DEDENT"

# Spaces and a comment before a token are matched with it (one regex match per token).
_BLANK = r"[ \t\f]*(?:#[^\r\n]*)?"
# Blank lines and comment-only lines fold into the newline token before the next code line.
_NEWLINE = r"(?P<newline>(?:\r?\n[ \t\f]*(?:#[^\r\n]*)?)+)"
_skip_blank = re.compile(_BLANK).match


class SourceError(Exception):
    """A mistake in the text itself (encoding, characters, indentation) at a 1-based position."""

    def __init__(self, message: str, line: int, column: int, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint


def decode_source(data: bytes) -> str:
    """The text of a spec file: UTF-8 with an optional leading byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        # Columns count characters as an editor shows them, the BOM excluded.
        skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        line_start = max(data.rfind(b"\n", 0, problem.start) + 1, skip)
        line = data.count(b"\n", 0, problem.start) + 1
        before = data[line_start : problem.start].decode("utf-8", errors="replace")
        raise SourceError(
            f"the file is not valid UTF-8: byte 0x{data[problem.start]:02x} on line {line} cannot be decoded",
            line,
            len(before) + 1,
            hint="save the file with UTF-8 encoding",
        ) from None


def _token(kind: str, value: str, pos: int, line: int, column: int) -> Token:
    # Token() goes through lark's deprecation shim; filling the slots directly is 3x faster.
    token = str.__new__(Token, value)
    token.type = kind
    token.value = value
    token.start_pos = token.end_pos = pos
    token.line = token.end_line = line
    token.column = token.end_column = column
    return token


class DazzleLexer(Lexer):
    """The lexer of the DAZZLE parser: ``tokens`` is what ``dazzle.lalr`` runs; ``lex`` is the
    same for lark (its custom-lexer interface 1), which builds it and owns its terminals.

    After a parse stops, ``line_start`` is the first token of the line it stopped in and
    ``openers`` the first token of each line that opened a block still open: the parser module
    words its error messages with them. ``_NL`` stands at the end of a code line's last
    token, ``_INDENT``/``_DEDENT`` at the first token of the new line (at the end of the file,
    at the end of the last code line).
    """

    __future_interface__ = 1

    def __init__(self, lexer_conf) -> None:
        terminals = {t.name: t.pattern for t in lexer_conf.terminals}
        strings = {name: p.value for name, p in terminals.items() if isinstance(p, PatternStr)}
        self.keywords = {value: name for name, value in strings.items() if value.isidentifier()}
        self.symbols = {value: name for name, value in strings.items() if not value.isidentifier()}
        # Longest symbols first (`<->` before `<-`); `unique?` before words. The most frequent
        # kinds come first: the regex engine tries the alternatives in order.
        words = sorted((s for s in self.symbols if s[0].isalpha()), key=len, reverse=True)
        marks = sorted((s for s in self.symbols if not s[0].isalpha()), key=len, reverse=True)
        self.pattern = re.compile(
            f"{_BLANK}(?:(?P<word_symbol>{'|'.join(map(re.escape, words))})"
            f"|(?P<NAME>{terminals['NAME'].to_regexp()})"
            f"|{_NEWLINE}"
            f"|(?P<symbol>{'|'.join(map(re.escape, marks))})"
            f"|(?P<NUMBER>{terminals['NUMBER'].to_regexp()})"
            f"|(?P<STRING>{terminals['STRING'].to_regexp()})"
            r"|(?P<end>\Z))"
        )
        self.line_start: Token | None = None
        self.openers: list[Token | None] = []

    def lex(self, lexer_state, parser_state) -> Iterator[Token]:
        text = getattr(lexer_state.text, "text", lexer_state.text)
        return self.tokens(text, parser_state.state_stack, parser_state.parse_conf.states)

    def tokens(self, text: str, stack: list, accepted: Mapping[Any, Container[str]]) -> Iterator[Token]:
        """The tokens of ``text``. ``stack`` is the parser's state stack, ``accepted`` its table
        (state → the symbols it has an action for): they decide keyword or NAME."""
        self.line_start = None
        self.openers = []
        keywords, symbols = self.keywords, self.symbols
        levels = [0]
        line, line_begin = 1, 0
        new_line = True  # the next code token is the first of its line
        code_end: tuple[int, int, int] | None = None  # (pos, line, column) after the last code line
        found = None
        for found in iter(self.pattern.scanner(text).match, None):  # each match starts where the last ended
            kind = found.lastgroup
            if kind == "newline":
                if not new_line:
                    after = found.start()  # the end of the line's last token
                    code_end = (after, line, after - line_begin + 1)
                line += found.group(kind).count("\n")
                line_begin = text.rindex("\n", 0, found.end()) + 1
                new_line = True
                continue
            if kind == "end":  # only spaces or a comment after the last token
                break
            value = found.group(kind)
            start = found.start(kind)
            column = start - line_begin + 1
            starts_line = new_line
            if new_line:
                new_line = False
                if code_end is not None:
                    yield _token(NEWLINE, "\n", *code_end)
                width = start - line_begin
                if width != levels[-1] or text.count(" ", line_begin, start) != width:
                    yield from self._indentation(levels, text[line_begin:start], start, line, column)
            if kind == "NAME":
                # The parser has taken every token before this one: its state says what may follow.
                keyword = keywords.get(value)
                if keyword is not None and keyword in accepted[stack[-1]]:
                    kind = keyword
            elif kind == "symbol" or kind == "word_symbol":
                kind = symbols[value]
            token = _token(kind, value, start, line, column)
            if starts_line:
                self.line_start = token
            yield token
        else:  # the scanner stopped before the end of the text
            pos = found.end() if found is not None else 0
            bad = _skip_blank(text, pos).end()
            raise _bad_character(text, bad, line, bad - line_begin + 1)
        if not new_line:
            after = found.start()
            code_end = (after, line, after - line_begin + 1)
        if code_end is not None:
            yield _token(NEWLINE, "\n", *code_end)
            for _ in levels[1:]:
                self.openers.pop()
                yield _token(DEDENT, "", *code_end)

    def _indentation(self, levels: list[int], indentation: str, pos: int, line: int, column: int):
        """The _INDENT or _DEDENT tokens that a code line's indentation calls for."""
        for bad, name in (("\t", "a tab"), ("\f", "a form feed")):
            if bad in indentation:
                raise SourceError(
                    f"{name} in indentation: indent with spaces only",
                    line,
                    indentation.index(bad) + 1,
                    hint=f"replace {name} with spaces",
                )
        width = len(indentation)
        if width > levels[-1]:
            levels.append(width)
            self.openers.append(self.line_start)
            yield _token(INDENT, "", pos, line, column)
        while width < levels[-1]:
            levels.pop()
            self.openers.pop()
            yield _token(DEDENT, "", pos, line, column)
        if width != levels[-1]:
            raise SourceError(
                f"inconsistent indentation: this line is indented by {width} spaces, "
                "which matches no enclosing block",
                line,
                column,
                hint=f"indent it like the enclosing block ({levels[-1]} spaces) or like a line above",
            )


def _bad_character(text: str, pos: int, line: int, column: int) -> SourceError:
    char = text[pos]
    if char == '"':
        return SourceError(
            'unterminated string: the closing `"` is missing on this line',
            line,
            column,
            hint='a string ends on the line it starts; write `\\"` for a quote inside it',
        )
    shown = f"`{char}`" if char.isprintable() else repr(char)
    hint = "names use only ASCII letters, digits and `_`" if char.isalpha() else None
    return SourceError(f"unexpected character {shown}", line, column, hint=hint)
