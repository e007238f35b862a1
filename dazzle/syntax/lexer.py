"""Source decoding and the lexer of the DAZZLE grammar, indentation included.

``decode_source`` turns a file's bytes into text (UTF-8, leading BOM dropped; the line of the
first bad byte on failure). ``Lexer`` scans a file with one regular expression built from the
terminals of ``grammar.lark`` and plays the indentation post-lexer's part itself: blank and
comment-only lines drop out, and each code line's indentation becomes ``_NL`` / ``_INDENT`` /
``_DEDENT`` tokens. It is hand-written rather than lark's lexer plus ``Indenter`` for speed
(a whole file is scanned into a list of tuples, no per-token call) and for precise messages
about tabs, dedents and unterminated strings (``SourceError``, 1-based line and column).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

from dazzle.syntax.lalr import Token

NEWLINE = "_NL"
INDENT = "_INDENT"
DEDENT = "_DEDENT"
ERROR = "$ERROR"  # ends the tokens of a text with a mistake (see ``Lexer.tokens``)

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


class Lexer:
    """The lexer of the DAZZLE parser, built from the compiled grammar (``dazzle.syntax.grammar_cache``).

    ``tokens(text)`` scans a whole file into a list. A layout or lexical mistake ends the list
    with an ``ERROR`` token at the mistake, and ``error`` holds it (a ``SourceError``): the
    parser reports it when it gets there, so a syntax error earlier in the file still comes
    first. ``_NL`` stands at the end of a code line's last token, ``_INDENT``/``_DEDENT`` at the
    first token of the new line (at the end of the file, at the end of the last code line).
    Every keyword word gets its keyword's type; the parser takes it as a ``NAME`` where only a
    name fits (see ``dazzle.syntax.lalr``).
    """

    def __init__(self, grammar: Mapping[str, Any]) -> None:
        keywords = {sys.intern(v): sys.intern(k) for v, k in grammar["keywords"].items()}
        self.symbols: dict[str, str] = {sys.intern(v): sys.intern(k) for v, k in grammar["symbols"].items()}
        # The text of a keyword or a symbol → its terminal. No NAME, NUMBER or STRING has the text
        # of one (symbols are not identifiers, a string has its quotes), so one lookup per token
        # with the regex group's name as the default gives every token its type.
        self.kinds = {**keywords, **self.symbols}
        patterns = grammar["patterns"]
        # Longest symbols first (`<->` before `<-`); `unique?` before words. The most frequent
        # kinds come first: the regex engine tries the alternatives in order.
        words = sorted((s for s in self.symbols if s[0].isalpha()), key=len, reverse=True)
        marks = sorted((s for s in self.symbols if not s[0].isalpha()), key=len, reverse=True)
        # A mark that a number may begin with (the `-` of `sort: -opened`, of `-4`) is that mark
        # only where no number starts: `-4` stays one NUMBER, as before the mark existed.
        number = re.compile(patterns["NUMBER"])
        not_a_number = f"(?!{patterns['NUMBER']})"
        mark_patterns = [
            f"{not_a_number}{re.escape(mark)}" if number.match(mark + "0") else re.escape(mark)
            for mark in marks
        ]
        self.pattern = re.compile(
            f"{_BLANK}(?:(?P<word_symbol>{'|'.join(map(re.escape, words))})"
            f"|(?P<NAME>{patterns['NAME']})"
            f"|{_NEWLINE}"
            f"|(?P<symbol>{'|'.join(mark_patterns)})"
            f"|(?P<NUMBER>{patterns['NUMBER']})"
            f"|(?P<STRING>{patterns['STRING']})"
            r"|(?P<end>\Z))"
        )
        self.error: SourceError | None = None

    def tokens(self, text: str) -> list[Token]:
        """The tokens of ``text``, ending in an ``ERROR`` token if the text has a mistake."""
        self.error = None
        found_tokens: list[Token] = []
        append = found_tokens.append
        kinds = self.kinds
        levels = [0]
        line, line_begin = 1, 0
        new_line = True  # the next code token is the first of its line
        code_end: Token | None = None  # the _NL token after the last code line
        found = None
        for found in iter(self.pattern.scanner(text).match, None):  # each match starts where the last ended
            kind = found.lastgroup
            if kind == "newline":
                if not new_line:
                    after = found.start()  # the end of the line's last token
                    code_end = (NEWLINE, "\n", line, after - line_begin + 1)
                line += found.group(kind).count("\n")
                line_begin = text.rindex("\n", 0, found.end()) + 1
                new_line = True
                continue
            if kind == "end":  # only spaces or a comment after the last token
                break
            value = found.group(kind)
            start = found.start(kind)
            if new_line:
                new_line = False
                if code_end is not None:
                    append(code_end)
                width = start - line_begin
                if width != levels[-1] or text.count(" ", line_begin, start) != width:
                    try:
                        self._indentation(levels, text[line_begin:start], line, width + 1, append)
                    except SourceError as problem:
                        return self._stop(found_tokens, problem)
            append((kinds.get(value, kind), value, line, start - line_begin + 1))
        else:  # the scanner stopped before the end of the text
            pos = found.end() if found is not None else 0
            bad = _skip_blank(text, pos).end()
            return self._stop(found_tokens, _bad_character(text, bad, line, bad - line_begin + 1))
        if not new_line:
            after = found.start()
            code_end = (NEWLINE, "\n", line, after - line_begin + 1)
        if code_end is not None:
            append(code_end)
            dedent = (DEDENT, "", code_end[2], code_end[3])
            found_tokens.extend([dedent] * (len(levels) - 1))
        return found_tokens

    def _stop(self, found_tokens: list[Token], problem: SourceError) -> list[Token]:
        self.error = problem
        found_tokens.append((ERROR, "", problem.line, problem.column))
        return found_tokens

    @staticmethod
    def _indentation(levels: list[int], indentation: str, line: int, column: int, append) -> None:
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
            append((INDENT, "", line, column))
        while width < levels[-1]:
            levels.pop()
            append((DEDENT, "", line, column))
        if width != levels[-1]:
            raise SourceError(
                f"inconsistent indentation: this line is indented by {width} spaces, "
                "which matches no enclosing block",
                line,
                column,
                hint=f"indent it like the enclosing block ({levels[-1]} spaces) or like a line above",
            )


def layout(tokens: list[Token], stop: int) -> tuple[Token | None, list[Token | None]]:
    """Where the parse stopped, for error messages: the first token of the line of
    ``tokens[stop]``, and the first token of each line that opened a block still open there."""
    line_start: Token | None = None
    openers: list[Token | None] = []
    starts_line = True
    for token in map(Token._make, tokens[: stop + 1]):
        if token.type == NEWLINE:
            starts_line = True
        elif token.type == INDENT:
            openers.append(line_start)
        elif token.type == DEDENT:
            if openers:
                openers.pop()
        elif starts_line:
            starts_line = False
            line_start = token
    return line_start, openers


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
