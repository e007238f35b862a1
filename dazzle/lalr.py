"""The LALR(1) driver: runs the parse table lark builds from ``grammar.lark`` over the
``DazzleLexer``'s tokens and calls the transformer as each rule is reduced.

lark's own loop (``ParserState.feed_token``) is general: one call per token, its callbacks keyed
by ``Rule`` objects (hashed and compared on every reduction), and a ``Tree`` plus a child-filter
wrapper for every ``_rule`` and repetition it inlines. This loop does the same work with the
table flattened once into plain tuples (a fifth less parse time on a 27k-line project), and
gives the transformer exactly the children lark's would: tokens of anonymous terminals (`":"`,
``_NL`` ...) left out, ``_rule`` and repetition children spliced into their parent, ``None``
for each absent ``[optional]`` part (``maybe_placeholders``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lark import Token, Transformer
from lark.exceptions import UnexpectedToken
from lark.grammar import Rule
from lark.parsers.lalr_analysis import ParseTableBase, Shift

# A reduction: (number of symbols popped, the rule's name for the goto, children → value).
Reduction = tuple[int, str, Callable[[list], Any]]
# state → symbol → (True, next state) for a shift, (False, Reduction) for a reduction.
Actions = dict[int, dict[str, tuple[bool, Any]]]


class Table:
    """lark's parse table for one start symbol, with each rule compiled to a ``Reduction``."""

    def __init__(
        self, parse_table: ParseTableBase, transformer: Transformer, placeholders: bool, start: str = "start"
    ):
        reductions: dict[Rule, Reduction] = {}
        for actions in parse_table.states.values():
            for action, rule in actions.values():
                if action is not Shift and rule not in reductions:
                    reductions[rule] = (
                        len(rule.expansion),
                        rule.origin.name,
                        _reducer(rule, transformer, placeholders),
                    )
        self.actions: Actions = {
            state: {
                symbol: (True, arg) if action is Shift else (False, reductions[arg])
                for symbol, (action, arg) in actions.items()
            }
            for state, actions in parse_table.states.items()
        }
        self.start_state = parse_table.start_states[start]
        self.end_state = parse_table.end_states[start]

    def parse(self, tokens: Iterable[Token], stack: list) -> Any:
        """The transformer's value for the whole input. ``stack`` must be empty: the parser's
        states go there, and the lexer producing ``tokens`` may read them as it goes."""
        actions = self.actions
        stack.append(self.start_state)
        values: list = []
        token = None
        for token in tokens:
            kind = token.type
            while True:
                try:
                    shift, arg = actions[stack[-1]][kind]
                except KeyError:
                    raise self._unexpected(token, stack[-1]) from None
                if shift:
                    stack.append(arg)
                    values.append(token)
                    break
                size, origin, reduce = arg
                if size:
                    children = values[-size:]
                    del stack[-size:]
                    del values[-size:]
                else:
                    children = []
                values.append(reduce(children))
                stack.append(actions[stack[-1]][origin][1])
        end = Token.new_borrow_pos("$END", "", token) if token is not None else Token("$END", "", 0, 1, 1)
        while True:  # reduce to the start symbol
            try:
                shift, (size, origin, reduce) = actions[stack[-1]]["$END"]
            except KeyError:
                raise self._unexpected(end, stack[-1]) from None
            children = values[-size:] if size else []
            if size:
                del stack[-size:]
                del values[-size:]
            values.append(reduce(children))
            stack.append(actions[stack[-1]][origin][1])
            if stack[-1] == self.end_state:
                return values[-1]

    def _unexpected(self, token: Token, state: int) -> UnexpectedToken:
        # As lark reports it: every terminal the state has an action for.
        return UnexpectedToken(token, {s for s in self.actions[state] if s.isupper()})


def _reducer(rule: Rule, transformer: Transformer, placeholders: bool) -> Callable[[list], Any]:
    """children as popped from the stack → the rule's value, lark's way (see the module doc)."""
    if rule.options.keep_all_tokens or rule.options.expand1:
        raise NotImplementedError(f"rule options `!` and `?` are not supported: {rule}")
    name = rule.alias or rule.options.template_source or rule.origin.name
    callback = getattr(transformer, name, None)
    if callback is None:
        if not name.startswith("_"):
            raise NotImplementedError(f"the transformer has no callback for rule `{name}`")
        callback = _splice  # its children go into the parent's
    # For each kept symbol: its index, whether its value is spliced, how many Nones go before it.
    empty = rule.options.empty_indices if placeholders else ()
    nones_at = [len(run) for run in "".join(str(int(b)) for b in empty).split("0")] if empty else None
    plan = []
    nones = 0
    for index, symbol in enumerate(rule.expansion):
        nones += nones_at[index] if nones_at else 0
        if not (symbol.is_term and symbol.filter_out):
            plan.append((index, not symbol.is_term and symbol.name.startswith("_"), nones))
            nones = 0
    trailing = nones + (nones_at[-1] if nones_at else 0)
    if trailing == 0 and all(not spliced and not before for _, spliced, before in plan):
        if len(plan) == len(rule.expansion):
            return callback  # every child kept as it is
        kept = [index for index, _, _ in plan]
        return lambda children: callback(list(map(children.__getitem__, kept)))

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
