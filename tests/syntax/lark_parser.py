"""The DAZZLE parser rebuilt on lark's own LALR machinery, to hold ``dazzle.syntax.lalr`` to it.

``LarkParser`` is ``lark.Lark(grammar.lark, parser="lalr", lexer=DazzleTokens, transformer=...)``:

* ``DazzleTokens`` is a lark ``Lexer`` over the tokens of dazzle's lexer (``Lexer.tokens``, handed
  to ``Lark.parse`` as lark's "custom input"): the same NAME/keyword/symbol tokens and the same
  ``_NL``/``_INDENT``/``_DEDENT``. It makes the contextual keyword decision itself, with lark's
  parser state: a keyword for which lark's parse table has no action in the state the parser is
  in when the token is first looked at (``parser_state.position``) is passed on as a ``NAME``.
* ``BuilderCallbacks`` is a ``lark.Transformer`` that lark applies inline, as it reduces each
  rule: it calls the ``ModuleBuilder`` method named after the rule with the children lark's
  parse-tree builder gives (anonymous tokens filtered, ``_rule`` inlined, ``None`` for absent
  ``[optional]`` parts: ``maybe_placeholders``), lark tokens turned into the plain
  ``(type, value, line, column)`` tuples the builder reads.
* ``parse_module`` runs it through ``dazzle.syntax.parser.parse_module_with``, the assembly that
  ``parse_module`` uses (decoding, lexing, the builder's errors, the diagnostics), with lark's
  ``UnexpectedToken`` turned into dazzle's.

So lark's table, lark's parse loop and lark's tree builder decide; only the tokens and the
callbacks are dazzle's.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import lark
from lark.exceptions import UnexpectedToken as LarkUnexpectedToken
from lark.lexer import PatternStr

from dazzle import ir
from dazzle.syntax import lalr
from dazzle.syntax.parser import GRAMMAR, parse_module_with
from dazzle.syntax.transformer import ModuleBuilder


class TokenStream:
    """Lark's custom input: dazzle's tokens, and the index of the last one handed to the parser."""

    def __init__(self, tokens: list[tuple]):
        self.tokens = tokens
        self.index = -1


class DazzleTokens(lark.lexer.Lexer):
    """dazzle's tokens as a lark lexer, with the contextual keyword rule on lark's parser state."""

    __future_interface__ = 2  # lex(lexer_state, parser_state), not lex(text)

    def __init__(self, lexer_conf) -> None:
        self.keywords = frozenset(
            t.name
            for t in lexer_conf.terminals
            if isinstance(t.pattern, PatternStr) and t.pattern.value.isidentifier()
        )

    def lex(self, lexer_state, parser_state):
        stream: TokenStream = lexer_state.text
        tokens = stream.tokens
        states = parser_state.parse_conf.states  # lark's parse table
        for index, (kind, value, line, column) in enumerate(tokens):
            stream.index = index
            # parser_state.position: the state after the previous token was shifted, before any
            # reduction this token causes.
            if kind in self.keywords and kind not in states[parser_state.position]:
                # No action for the keyword here: a contextual lexer would not scan for it, and
                # sees a name (the parser takes it if it has an action for NAME, else fails on it).
                kind = lalr.NAME
                tokens[index] = (kind, value, line, column)
            yield lark.Token(kind, value, line=line, column=column)


def _plain(child: Any) -> Any:
    if isinstance(child, lark.Token):
        return (child.type, child.value, child.line, child.column)
    return child


class BuilderCallbacks(lark.Transformer):
    """Lark's inline transformer: each rule → the ``ModuleBuilder`` method of that name."""

    def __init__(self, builder: ModuleBuilder):
        super().__init__()
        self.builder = builder

    def __default__(self, data, children, meta):
        callback = getattr(self.builder, data, None)
        if callback is None:
            if data.startswith("_"):  # `_rule` and lark's repetition rules: the parent inlines them
                return lark.Tree(data, children, meta)
            raise NotImplementedError(f"ModuleBuilder has no callback for rule `{data}`")
        return callback([_plain(child) for child in children])


class LarkParser:
    """``parse_module`` on lark's LALR parser. ``reduced`` counts the reductions of each lark rule
    (each expansion, the optional parts present or absent) over every parse; ``tokens`` and
    ``error`` are the last parse's tokens (keywords taken as names replaced) and its
    ``lalr.UnexpectedToken`` or None."""

    def __init__(self) -> None:
        self.builder = ModuleBuilder()
        self.lark = lark.Lark(
            GRAMMAR.read_text(encoding="utf-8"),
            parser="lalr",
            lexer=DazzleTokens,
            maybe_placeholders=True,
            transformer=BuilderCallbacks(self.builder),
        )
        loop = self.lark.parser.parser.parser  # lark's _Parser: its callbacks are per rule
        self.reduced: Counter = Counter()
        loop.callbacks = {rule: self._counted(rule, f) for rule, f in loop.callbacks.items()}
        self.rules = list(loop.callbacks)
        self.parse_table = loop.parse_table
        self.tokens: list[tuple] = []
        self.error: lalr.UnexpectedToken | None = None

    def _counted(self, rule, callback):
        def reduce(children):
            self.reduced[rule] += 1
            return callback(children)

        return reduce

    def parse_module(self, source: bytes, file: str, default_name: str) -> ir.Module:
        return parse_module_with(self._parse, self.builder, source, file, default_name)

    def _parse(self, tokens: list[tuple]) -> ir.Module:
        self.tokens, self.error = tokens, None
        stream = TokenStream(tokens)
        try:
            return self.lark.parse(stream)
        except LarkUnexpectedToken as problem:
            t = problem.token
            self.error = lalr.UnexpectedToken(
                (t.type, t.value, t.line, t.column), set(problem.expected), stream.index
            )
            raise self.error from None
