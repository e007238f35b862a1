"""Generated DAZZLE specs for parser tests: the whole grammar, in every layout, and broken.

``spec(choose)`` builds one module: any mix of `module`, `use` (with and without `as`), `app` (with
and without a `roles:` block) and every kind of block, with every field type and modifier, inline
and `default=` defaults, entity `permit:` blocks and surface `permit:` lines with conditions of
every form (nested `and`/`or`, parentheses), surfaces of every mode with sections, field options,
actions with every outcome form and `sort:` (ascending and `-` descending keys) and `filter:` lines,
experiences with every step line, services with every auth profile, foreign models with keys,
constraints and fields, integrations with `uses` lines, actions (`when`, `call` with and without
`with:`, `map response`) and syncs of both modes. Names are drawn from ordinary identifiers and
from every keyword of the grammar (a keyword is a name where the parser expects one), strings
from plain, escaped and non-ASCII ones, numbers from whole, negative, decimal and very long ones.
Some required lines are left out or doubled now and then (the builder's errors).

``render`` writes it out in a random layout: indentation widths from 1 to 8 per block, spaces or
tabs or nothing between tokens, comments after code and on lines of their own, blank lines with
stray indentation, LF or CRLF (or both), a byte-order mark, with or without the final newline.
``mutate`` breaks a source: lines deleted, duplicated, swapped or re-indented, tokens deleted,
duplicated, swapped or replaced, bytes (tabs, quotes, bad UTF-8 ...) inserted.

Every choice goes through a ``Choose``: ``RandomChoose`` (a seeded ``random.Random``, for a fixed
corpus) or ``DrawChoose`` (hypothesis's ``data.draw``, so that hypothesis can shrink a failing spec).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from dazzle.syntax.parser import GRAMMAR

T = TypeVar("T")

# Every keyword word of the grammar (`MODE: "mode"` ...).
KEYWORDS = tuple(
    re.findall(r'^[A-Z0-9_]+: "([a-z_0-9]+)"$', GRAMMAR.read_text(encoding="utf-8"), re.MULTILINE)
)
PLAIN_NAMES = ("Customer", "Order", "item", "a", "x1", "_private", "status", "type", "title", "id", "Z9_z")
STRINGS = (
    '"Title"',
    '""',
    '"Customers and orders"',
    r'"a \"quoted\" word"',
    r'"back\\slash"',
    r'"odd \n backslash"',
    '"é ü 中文 🙂"',
    '"# not a comment"',
    '"tab\there"',
    '"https://api.example.com/v1/openapi.json"',
    '"0 */6 * * *"',
)
NUMBERS = ("0", "1", "12", "120", "-4", "12.5", "-0.25", "007", "99999999999999999999999")
FIELD_KEYWORDS = ("unique", "index")  # open constraint lines
FIELD_NAME_KEYWORDS = ("unique", "index", "permit")  # open other entity lines, and name fields
SIMPLE_TYPES = ("text", "int", "bool", "date", "datetime", "uuid", "email", "user")
OPERATIONS = ("list", "read", "create", "update", "delete")
PLAIN_CONDITIONS = ("anyone", "signed_in", "nobody")
CONDITION_KEYWORDS = ("anyone", "signed_in", "nobody", "role")  # may also name a field before `=`
FLAGS = ("required", "optional", "pk", "unique", "unique?", "auto_add", "auto_update")
MODES = ("list", "view", "create", "edit", "custom")
TRIGGERS = ("submit", "click", "auto")
STEP_KINDS = ("surface", "process", "integration")
AUTH_PROFILES = ("oauth2_legacy", "oauth2_pkce", "jwt_static", "api_key_header", "api_key_query", "none")
FOREIGN_CONSTRAINTS = ("read_only", "event_driven", "batch_import")
SYNC_MODES = ("scheduled", "event_driven")


class Choose(Protocol):
    def pick(self, options: Sequence[T]) -> T: ...
    def number(self, low: int, high: int) -> int: ...
    def chance(self, percent: int) -> bool: ...


class RandomChoose:
    def __init__(self, seed: int):
        self.random = random.Random(seed)

    def pick(self, options: Sequence[T]) -> T:
        return options[self.random.randrange(len(options))]

    def number(self, low: int, high: int) -> int:
        return self.random.randint(low, high)

    def chance(self, percent: int) -> bool:
        return self.random.randrange(100) < percent


class DrawChoose:
    """Choices drawn by hypothesis (``st.data()``): shrinkable, reproducible with derandomize."""

    def __init__(self, data):
        from hypothesis import strategies as st

        self.data, self.st = data, st

    def pick(self, options: Sequence[T]) -> T:
        return options[self.data.draw(self.st.integers(0, len(options) - 1))]

    def number(self, low: int, high: int) -> int:
        return self.data.draw(self.st.integers(low, high))

    def chance(self, percent: int) -> bool:
        # Hypothesis shrinks towards 0: towards no, the smallest spec.
        return self.data.draw(self.st.integers(0, 99)) >= 100 - percent


@dataclass
class Node:
    """A line's tokens, and the lines of its block (a block's header ends in `:`)."""

    tokens: list[str]
    block: list[Node] = field(default_factory=list)


# ---------------------------------------------------------------- the language


def name(c: Choose) -> str:
    return c.pick(KEYWORDS) if c.chance(25) else c.pick(PLAIN_NAMES)


def dotted(c: Choose) -> list[str]:
    parts = [name(c)]
    while len(parts) < 3 and c.chance(20):
        parts += [".", name(c)]
    return parts


def names(c: Choose, item: Callable[[Choose], list[str]] = lambda c: [name(c)]) -> list[str]:
    tokens = item(c)
    while c.chance(35):
        tokens += [",", *item(c)]
    return tokens


def title(c: Choose) -> list[str]:
    return [c.pick(STRINGS)] if c.chance(50) else []


def literal(c: Choose) -> str:
    return c.pick(
        [lambda: c.pick(STRINGS), lambda: c.pick(NUMBERS), lambda: c.pick(("true", "false")), lambda: name(c)]
    )()


def options(c: Choose) -> list[str]:
    tokens: list[str] = []
    while c.chance(30):
        tokens += [name(c), "=", literal(c)]
    return tokens


def some(c: Choose, make: Callable[[Choose], Node], low: int, high: int) -> list[Node]:
    return [make(c) for _ in range(c.number(low, high))]


def lines(c: Choose, required: list[Node], optional: list[Node]) -> list[Node]:
    """A block's lines in any order: each required one usually there (rarely twice), never empty."""
    found = [line for line in required if c.chance(96)]
    found += [line for line in required if c.chance(2)]
    found += optional
    if not found:
        found = [required[0] if required else optional[0]]
    order = list(range(len(found)))
    for i in reversed(range(1, len(order))):  # Fisher-Yates with the chooser
        j = c.number(0, i)
        order[i], order[j] = order[j], order[i]
    return [found[i] for i in order]


def field_type(c: Choose) -> list[str]:
    kind = c.pick(("str", "decimal", "enum", "ref", "simple", "simple"))
    if kind == "str":
        return ["str", "(", c.pick(("1", "40", "200")) if c.chance(96) else c.pick(NUMBERS), ")"]
    if kind == "decimal":
        scale = c.pick(("2", "0", "-1")) if c.chance(96) else c.pick(NUMBERS)
        return ["decimal", "(", c.pick(("10", "6", "1")), ",", scale, ")"]
    if kind == "enum":
        return ["enum", "[", *names(c, lambda c: [c.pick(STRINGS) if c.chance(20) else name(c)]), "]"]
    if kind == "ref":
        return ["ref", *dotted(c)]
    return [c.pick(SIMPLE_TYPES)]


def modifier(c: Choose) -> list[str]:
    kind = c.number(0, 15)
    if kind == 14:
        return ["default", "=", literal(c)]
    if kind == 15:
        return ["was", name(c)]
    return [c.pick(FLAGS)]


def field_line(c: Choose, first_words: Sequence[str] = FIELD_NAME_KEYWORDS) -> list[str]:
    tokens = [c.pick(first_words) if c.chance(25) else name(c), ":", *field_type(c)]
    if c.chance(20):
        tokens += ["=", literal(c)]
    for _ in range(c.pick((0, 0, 1, 1, 2, 3))):
        tokens += modifier(c)
    return tokens


def condition_term(c: Choose, depth: int) -> list[str]:
    kind = c.number(0, 7 if depth < 2 else 5)
    if kind <= 1:
        return [c.pick(PLAIN_CONDITIONS)]
    if kind <= 3:
        return ["role", "(", name(c), ")"]
    if kind <= 5:
        field = c.pick(CONDITION_KEYWORDS) if c.chance(20) else name(c)
        return [field, "=", "current_user"]
    return ["(", *condition(c, depth + 1), ")"]


def condition(c: Choose, depth: int = 0) -> list[str]:
    """Terms joined by `and` and `or` in any mix, some in parentheses."""
    tokens = condition_term(c, depth)
    while c.chance(35):
        tokens += [c.pick(("and", "or")), *condition_term(c, depth)]
    return tokens


def permit_block(c: Choose) -> Node:
    rules = some(c, lambda c: Node([c.pick(OPERATIONS), ":", *condition(c)]), 1, 5)
    return Node(["permit", ":"], rules)


def entity(c: Choose) -> Node:
    def line(c: Choose) -> Node:
        if c.chance(15):
            return Node([c.pick(FIELD_KEYWORDS), *names(c)])
        return Node(field_line(c))

    block = some(c, line, 1, 6)
    if c.chance(30):
        block.insert(c.number(0, len(block)), permit_block(c))
    return Node(["entity", name(c), *title(c), ":"], block)


def outcome(c: Choose) -> list[str]:
    kind = c.pick(("surface", "experience", "integration"))
    if kind == "surface":
        return ["surface", *dotted(c)]
    if kind == "experience":
        return ["experience", *dotted(c), *(["step", name(c)] if c.chance(50) else [])]
    return ["integration", *dotted(c), "action", name(c)]


def sort_key(c: Choose) -> list[str]:
    return ["-", name(c)] if c.chance(40) else [name(c)]


def surface(c: Choose) -> Node:
    def section(c: Choose) -> Node:
        field_lines = some(c, lambda c: Node(["field", name(c), *title(c), *options(c)]), 1, 3)
        return Node(["section", name(c), *title(c), ":"], field_lines)

    def action(c: Choose) -> Node:
        on = Node(["on", c.pick(TRIGGERS), "->", *outcome(c)])
        return Node(["action", name(c), *title(c), ":"], [on])

    block = lines(
        c,
        [Node(["mode", ":", c.pick(MODES)])],
        some(c, lambda c: Node(["uses", "entity", *dotted(c)]), 0, 1)
        + some(c, section, 0, 2)
        + some(c, action, 0, 2)
        + [Node(["permit", ":", *condition(c)]) for _ in range(c.number(0, 1)) if c.chance(60)]
        + [Node(["sort", ":", *names(c, sort_key)]) for _ in range(c.number(0, 1)) if c.chance(60)]
        + [Node(["filter", ":", *names(c)]) for _ in range(c.number(0, 1)) if c.chance(60)],
    )
    return Node(["surface", name(c), *title(c), ":"], block)


def experience(c: Choose) -> Node:
    def step(c: Choose) -> Node:
        optional = []
        if c.chance(40):
            optional.append(Node(["surface", *dotted(c)]))
        if c.chance(30):
            optional.append(Node(["integration", *dotted(c), "action", name(c)]))
        for outcome in ("success", "failure"):
            if c.chance(50):
                optional.append(Node(["on", outcome, "->", "step", name(c)]))
        kind = Node(["kind", ":", c.pick(STEP_KINDS)])
        return Node(["step", name(c), ":"], lines(c, [kind], optional))

    start = Node(["start", "at", "step", name(c)])
    return Node(["experience", name(c), *title(c), ":"], lines(c, [start], some(c, step, 1, 3)))


def service(c: Choose) -> Node:
    spec = Node(["spec", ":", c.pick(("url", "inline")), c.pick(STRINGS)])
    auth = Node(["auth_profile", ":", c.pick(AUTH_PROFILES), *options(c)])
    owner = [Node(["owner", ":", c.pick(STRINGS)])] if c.chance(50) else []
    return Node(["service", name(c), *title(c), ":"], lines(c, [spec, auth], owner))


def foreign_model(c: Choose) -> Node:
    key = Node(["key", ":", *names(c)])
    optional = some(c, lambda c: Node(["constraint", c.pick(FOREIGN_CONSTRAINTS), *options(c)]), 0, 2)
    optional += some(c, lambda c: Node(["field", *field_line(c, FIELD_KEYWORDS)]), 0, 4)
    header = ["foreign_model", name(c), "from", *dotted(c), *title(c), ":"]
    return Node(header, lines(c, [key], optional))


def operation(c: Choose) -> list[str]:
    tokens = [name(c), ".", name(c)]
    while len(tokens) < 7 and c.chance(20):
        tokens += [".", name(c)]
    return tokens


def expression(c: Choose) -> list[str]:
    kind = c.number(0, 4)
    if kind == 0:
        return [c.pick(STRINGS)]
    if kind == 1:
        return [c.pick(NUMBERS)]
    if kind == 2:
        return [c.pick(("true", "false"))]
    path = dotted(c)
    if path[0] in ("true", "false"):  # a boolean where a value goes, never a path's root
        path[0] = "form"
    return path


def mapping(c: Choose) -> Node:
    return Node([name(c), "<-", *expression(c)])


def integration(c: Choose) -> Node:
    def action(c: Choose) -> Node:
        when = Node(["when", "surface", *dotted(c), "submitted"])
        if c.chance(60):
            call = Node(["call", *operation(c), "with", ":"], some(c, mapping, 1, 3))
        else:
            call = Node(["call", *operation(c)])
        response = []
        if c.chance(50):
            header = ["map", "response", *dotted(c), "->", "entity", *dotted(c), ":"]
            response.append(Node(header, some(c, mapping, 1, 3)))
        return Node(["action", name(c), ":"], lines(c, [when, call], response))

    def sync(c: Choose) -> Node:
        mode = c.pick(SYNC_MODES)
        required = [
            Node(["mode", ":", mode]),
            Node(["from", *operation(c), "as", *dotted(c)]),
            Node(["into", "entity", *dotted(c)]),
        ]
        optional = []
        if mode == "scheduled" or c.chance(20):
            optional.append(Node(["schedule", ":", c.pick(STRINGS)]))
        if c.chance(70):
            pairs = some(c, lambda c: Node([name(c), "<->", name(c)]), 1, 3)
            optional.append(Node(["match", "on", ":"], pairs))
        return Node(["sync", name(c), ":"], lines(c, required, optional))

    optional = []
    if c.chance(70):
        optional.append(Node(["uses", "service", *names(c, dotted)]))
    if c.chance(50):
        optional.append(Node(["uses", "foreign_model", *names(c, dotted)]))
    optional += some(c, action, 0, 2) + some(c, sync, 0, 2)
    if not optional:
        optional.append(Node(["uses", "service", *dotted(c)]))
    return Node(["integration", name(c), *title(c), ":"], lines(c, [], optional))


def app(c: Choose) -> Node:
    header = ["app", name(c), *title(c)]
    if c.chance(50):
        return Node(header)
    roles = Node(["roles", ":", *names(c, lambda c: [name(c), *title(c)])])
    return Node([*header, ":"], lines(c, [roles], []))


TOP_LEVEL: tuple[Callable[[Choose], Node], ...] = (
    lambda c: Node(["use", *dotted(c), *(["as", name(c)] if c.chance(40) else [])]),
    app,
    entity,
    surface,
    experience,
    service,
    foreign_model,
    integration,
)


def spec(c: Choose, blocks: int = 5) -> list[Node]:
    """One module: an optional `module` line, then up to ``blocks`` top-level items."""
    found = [Node(["module", *dotted(c)])] if c.chance(40) else []
    return found + [c.pick(TOP_LEVEL)(c) for _ in range(c.number(0, blocks))]


# ---------------------------------------------------------------- layout

_WORD = re.compile(r"[A-Za-z0-9_]")


def render(c: Choose, nodes: list[Node]) -> bytes:
    out: list[str] = []
    newline = c.pick(("\n", "\n", "\r\n", "mixed"))

    def end() -> str:
        return c.pick(("\n", "\r\n")) if newline == "mixed" else newline

    def noise(indent: str) -> None:  # blank and comment-only lines, at any indentation
        while c.chance(12):
            stray = c.pick(("", " ", "   ", "\t", indent, indent + "      "))
            out.append(stray + c.pick(("", "# a comment", "#", "# entity x: mode: ::")) + end())

    def write(node: Node, indent: str) -> None:
        noise(indent)
        text = node.tokens[0]
        for before, token in zip(node.tokens, node.tokens[1:]):
            if _WORD.match(before[-1]) and _WORD.match(token[0]):
                gap = c.pick((" ", " ", " ", "  ", "\t", " \t "))
            else:
                gap = (
                    c.pick((" ", "", "", "  ", "\t"))
                    if c.chance(30)
                    else (" " if token not in ",:)]" else "")
                )
            text += gap + token
        if c.chance(10):
            text += c.pick(("  # note", "# note", "\t#", "   "))
        out.append(indent + text + end())
        if node.block:
            width = c.pick((2, 2, 4, 4, 1, 3, 8))
            for child in node.block:
                write(child, indent + " " * width)

    if c.chance(10):
        out.append("\ufeff")
    for node in nodes:
        write(node, "")
    noise("")
    text = "".join(out)
    if c.chance(15):
        text = text.rstrip("\r\n")
    return text.encode("utf-8")


# ---------------------------------------------------------------- breaking it

_TOKEN = re.compile(r'"(?:[^"\\\r\n]|\\.)*"?|[A-Za-z0-9_.?-]+|<->|<-|->|\S')
PIECES = (
    *KEYWORDS,
    *FLAGS,
    ":",
    "=",
    ",",
    ".",
    "(",
    ")",
    "[",
    "]",
    "->",
    "<-",
    "<->",
    "-",
    '"',
    '"text"',
    "12",
    "x",
    "\t",
    "$",
    "é",
    "?",
    "\\",
    "#",
)


def mutate(c: Choose, source: bytes) -> bytes:
    """``source`` with one to three random edits, of lines, tokens or bytes."""
    text = source.decode("utf-8", errors="surrogateescape")
    lines = text.split("\n")
    for _ in range(c.number(1, 3)):
        i = c.number(0, len(lines) - 1)
        edit = c.pick(
            (
                "delete line",
                "duplicate line",
                "swap lines",
                "indent",
                "dedent",
                "delete token",
                "duplicate token",
                "swap tokens",
                "replace token",
                "insert piece",
                "bytes",
            )
        )
        line = lines[i]
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(line)]
        if edit == "delete line" and len(lines) > 1:
            del lines[i]
        elif edit == "duplicate line":
            lines.insert(i, line)
        elif edit == "swap lines":
            j = c.number(0, len(lines) - 1)
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "indent":
            lines[i] = c.pick((" ", "  ", "    ", "\t")) + line
        elif edit == "dedent":
            lines[i] = line[c.number(1, 4) :] if line.startswith(" ") else line.lstrip()
        elif edit == "bytes":
            at = c.number(0, len(line))
            piece = c.pick(("\udcff", "\ufeff", "\x00", "\r", "\t", '"', "\\", "\x0c"))
            lines[i] = line[:at] + piece + line[at:]
        elif tokens:
            k = c.number(0, len(tokens) - 1)
            start, stop = tokens[k]
            if edit == "delete token":
                lines[i] = line[:start] + line[stop:]
            elif edit == "duplicate token":
                lines[i] = line[:stop] + " " + line[start:stop] + line[stop:]
            elif edit == "swap tokens" and k + 1 < len(tokens):
                (s1, e1), (s2, e2) = tokens[k], tokens[k + 1]
                lines[i] = line[:s1] + line[s2:e2] + line[e1:s2] + line[s1:e1] + line[e2:]
            elif edit == "replace token":
                lines[i] = line[:start] + c.pick(PIECES) + line[stop:]
            else:
                lines[i] = line[:start] + c.pick(PIECES) + " " + line[start:]
    return "\n".join(lines).encode("utf-8", errors="surrogateescape")
