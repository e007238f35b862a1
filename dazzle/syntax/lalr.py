"""The LALR(1) loop that runs the parse table of ``grammar.lark`` (``dazzle.syntax.grammar_cache``).

``Table.parse`` runs the table over a list of ``Token``s and calls the transformer as each
rule is reduced. It gives the transformer exactly the children lark's own loop would: tokens of
anonymous terminals (`":"`, ``_NL`` ...) left out, ``_rule`` and repetition children spliced
into their parent, ``None`` for each absent ``[optional]`` part (lark's ``maybe_placeholders``).

Keywords are contextual, as in lark's contextual lexer: the lexer gives every keyword word its
keyword's type, and where the parser has no action for that keyword but has one for ``NAME``,
the word is taken as a name (a field may be called `status` or `entity`). The decision is made
in the state in which the token is first looked at, as a contextual lexer would make it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NamedTuple

NAME = "NAME"


class Token(NamedTuple):
    """A token: its terminal's name, its text, and where it starts (1-based line and column).

    The lexer, this parser and the transformer pass tokens as plain tuples of these four (a
    named tuple costs twice as much to make, and a big spec has a hundred thousand tokens);
    error reporting turns them into ``Token``s."""

    type: str
    value: str
    line: int
    column: int


class UnexpectedToken(Exception):
    """The parser has no action for ``token``, the ``index``-th of its input; ``expected`` are
    the terminals it had one for."""

    def __init__(self, token: tuple, expected: set[str], index: int):
        token = Token._make(token)
        super().__init__(f"unexpected {token.type} {token.value!r} at {token.line}:{token.column}")
        self.token = token
        self.expected = expected
        self.index = index


# A reduction: (number of symbols popped, the rule's name for the goto, children → value).
Reduction = tuple[int, str, Callable[[list], Any]]


class Table:
    """The compiled grammar (``dazzle.syntax.grammar_cache``) with each rule bound to
    ``transformer``'s callback."""

    def __init__(self, data: dict, transformer: object):
        reductions = [_reduction(rule, transformer) for rule in data["rules"]]
        intern = sys.intern
        self.keyword_types = frozenset(intern(name) for name in data["keywords"].values())
        # state → symbol → (True, next state) | (False, Reduction) | (False, None): the last is
        # "a keyword where only a name fits: take it as a NAME".
        self.actions: dict[int, dict[str, tuple[bool, Any]]] = {}
        for state, actions in data["states"].items():
            row = {
                intern(symbol): (True, arg) if shift else (False, reductions[arg])
                for symbol, (shift, arg) in actions.items()
            }
            if NAME in row:
                for keyword in self.keyword_types - row.keys():
                    row[keyword] = (False, None)
            self.actions[state] = row
        self.start_state: int = data["start_state"]
        self.end_state: int = data["end_state"]

    def parse(self, tokens: list[Token]) -> Any:
        """The transformer's value for the whole input, or ``UnexpectedToken``. A keyword taken
        as a name is replaced in ``tokens`` by its ``NAME`` token (error messages read them)."""
        actions = self.actions
        stack = [self.start_state]
        values: list = []
        token = None
        index = -1
        for index, token in enumerate(tokens):
            kind = token[0]
            try:
                shift, arg = actions[stack[-1]][kind]
            except KeyError:
                raise self._unexpected(tokens, index, stack[-1], first=True) from None
            if arg is None:  # a keyword that is a name here
                kind = NAME
                token = tokens[index] = (NAME, token[1], token[2], token[3])
                shift, arg = actions[stack[-1]][NAME]
            while not shift:
                if arg is None:  # the keyword fitted an earlier state only
                    raise self._unexpected(tokens, index, stack[-1], first=False)
                size, origin, reduce = arg
                if size:
                    children = values[-size:]
                    del stack[-size:]
                    del values[-size:]
                else:
                    children = []
                values.append(reduce(children))
                state = actions[stack[-1]][origin][1]
                stack.append(state)
                try:
                    shift, arg = actions[state][kind]
                except KeyError:
                    raise self._unexpected(tokens, index, state, first=False) from None
            stack.append(arg)
            values.append(token)
        end = ("$END", "", token[2], token[3]) if token is not None else ("$END", "", 1, 1)
        while True:  # reduce to the start symbol
            try:
                shift, (size, origin, reduce) = actions[stack[-1]]["$END"]
            except KeyError:
                raise UnexpectedToken(end, self._expected(stack[-1]), index) from None
            children = values[-size:] if size else []
            if size:
                del stack[-size:]
                del values[-size:]
            values.append(reduce(children))
            stack.append(actions[stack[-1]][origin][1])
            if stack[-1] == self.end_state:
                return values[-1]

    def _expected(self, state: int) -> set[str]:
        # As lark reports it: every terminal the state has an action for.
        return {
            s for s, (shift, arg) in self.actions[state].items() if s.isupper() and (shift or arg is not None)
        }

    def _unexpected(self, tokens: list[Token], index: int, state: int, first: bool) -> UnexpectedToken:
        expected = self._expected(state)
        kind, text, line, column = tokens[index]
        if first and kind in self.keyword_types and kind not in expected:
            # A contextual lexer sees a name where the keyword does not fit.
            tokens[index] = (NAME, text, line, column)
        return UnexpectedToken(tokens[index], expected, index)


def _reduction(rule: list, transformer: object) -> Reduction:
    size, origin, name, plan, trailing = rule
    callback = getattr(transformer, name, None)
    if callback is None:
        if not name.startswith("_"):
            raise NotImplementedError(f"the transformer has no callback for rule `{name}`")
        callback = _splice  # its children go into the parent's
    return size, sys.intern(origin), _reducer(callback, size, plan, trailing)


def _reducer(callback: Callable, size: int, plan: list, trailing: int) -> Callable[[list], Any]:
    """children as popped from the stack → the rule's value, lark's way (see the module doc).
    ``plan`` has, for each kept symbol: its index, whether its value is spliced, how many Nones
    go before it; ``trailing`` Nones go after the last."""
    if trailing == 0 and all(not spliced and not before for _, spliced, before in plan):
        kept = [index for index, _, _ in plan]
        if len(plan) == size:
            return callback  # every child kept as it is
        if kept == list(range(len(kept))):  # the first ones kept (a line without its _NL)
            count = len(kept)

            def keep_first(children: list) -> Any:
                del children[count:]
                return callback(children)

            return keep_first
        return lambda children: callback(list(map(children.__getitem__, kept)))
    if callback is _splice and trailing == 0 and tuple(plan) == ((0, True, 0), (1, False, 0)):
        return _grow  # `items: items item`, a repetition lark made left-recursive

    def reduce(children: list) -> Any:
        filtered: list = []
        for index, spliced, before in plan:
            if before:
                filtered += [None] * before
            if not spliced:
                filtered.append(children[index])
            elif filtered:
                filtered += children[index]
            else:  # a left-recursive repetition grows its own list: no copy
                filtered = children[index]
        if trailing:
            filtered += [None] * trailing
        return callback(filtered)

    return reduce


def _splice(children: list) -> list:
    return children


def _grow(children: list) -> list:
    items = children[0]
    items.append(children[1])
    return items
