"""The parser held to lark: dazzle's LALR driver and lark's own give the same IR and errors.

``parse_module`` (dazzle's lexer, ``dazzle.syntax.lalr`` running lark's compiled table) and
``LarkParser`` (the same grammar.lark, the same lexer's tokens and ModuleBuilder callbacks, but
lark's parse loop, lark's tree builder and the contextual keyword decision made on lark's parser
state: tests/syntax/lark_parser.py) parse the example projects, a fixed corpus of generated
specs (tests/syntax/spec_corpus.py), broken versions of both, and specs that hypothesis draws.
For each source they must agree on everything:

* a module: equal IR, equal JSON, and equal locations (``loc``/``locs`` are off IR equality, so
  both trees are walked);
* a rejection: the same diagnostics (message, location, hint, source line), in the same order;
* below that: the same syntax error (token, expected terminals, index), and the same decision
  for every keyword token (kept, or taken as a name).

``test_corpus_covers_the_language`` checks that the fixed corpus reduces every rule of the
grammar (each expansion, optional parts present and absent) and uses every keyword both as a
keyword and as a name.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark.lexer import PatternStr

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic, ProjectError
from dazzle.syntax import parser
from dazzle.syntax.lalr import NAME, UnexpectedToken
from dazzle.syntax.parser import parse_module, parse_module_with
from tests.support import EXAMPLES, REPO
from tests.syntax import spec_corpus
from tests.syntax.lark_parser import LarkParser
from tests.syntax.spec_corpus import DrawChoose, RandomChoose

FILE = "dsl/shop/core.dsl"
MODULE = "shop.core"
SHARED_EXAMPLES = REPO.parent / "shared" / "examples"  # beside the repository, where it exists

# The fixed corpus: generated specs, and broken versions of them and of the examples.
SPECS = 800
MUTANTS = 600
EXAMPLE_MUTANTS = 200


def example_files() -> list[Path]:
    found = sorted(EXAMPLES.glob("*/dsl/*.dsl"))
    if SHARED_EXAMPLES.is_dir():
        found += sorted(SHARED_EXAMPLES.glob("*/dsl/*.dsl"))
    return found


@functools.cache
def generated(seed: int) -> bytes:
    choose = RandomChoose(seed)
    return spec_corpus.render(choose, spec_corpus.spec(choose))


def mutant(seed: int) -> bytes:
    return spec_corpus.mutate(RandomChoose(1_000_000 + seed), generated(seed))


def example_mutant(seed: int, examples: list[bytes]) -> bytes:
    choose = RandomChoose(10_000 + seed)
    return spec_corpus.mutate(choose, choose.pick(examples))


class FastParser:
    """``parse_module`` exactly (its table, builder and assembly), keeping the tokens as the
    parser left them and its ``UnexpectedToken``."""

    def __init__(self) -> None:
        self.table, self.builder, _, _ = parser._parser()
        self.tokens: list | None = None
        self.error: UnexpectedToken | None = None

    def parse_module(self, source: bytes, file: str, default_name: str) -> ir.Module:
        self.tokens = self.error = None
        return parse_module_with(self._parse, self.builder, source, file, default_name)

    def _parse(self, tokens: list) -> ir.Module:
        self.tokens = tokens
        try:
            return self.table.parse(tokens)
        except UnexpectedToken as problem:
            self.error = problem
            raise


class Lark(LarkParser):
    def parse_module(self, source: bytes, file: str, default_name: str) -> ir.Module:
        self.tokens, self.error = None, None
        return super().parse_module(source, file, default_name)


@functools.cache
def parsers() -> tuple[FastParser, Lark]:
    return FastParser(), Lark()


def outcome(parse, source: bytes) -> tuple[ir.Module | None, list[Diagnostic] | None]:
    try:
        return parse(source, FILE, MODULE), None
    except ProjectError as problem:
        return None, problem.diagnostics


def differences(a: object, b: object, path: str = "module") -> Iterator[str]:
    """Where two IR trees differ, locations included."""
    if type(a) is not type(b):
        yield f"{path}: {type(a).__name__} {a!r} != {type(b).__name__} {b!r}"
    elif isinstance(a, ir.Node):
        for name in type(a).model_fields:  # loc and locs among them
            yield from differences(getattr(a, name), getattr(b, name), f"{path}.{name}")
    elif isinstance(a, dict):
        if a.keys() != b.keys():
            yield f"{path}: keys {sorted(a)} != {sorted(b)}"
        for key in a.keys() & b.keys():
            yield from differences(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, tuple) and not isinstance(a, ir.Location):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {a!r} != {b!r}"


def shown(d: Diagnostic) -> tuple:
    return (d.message, d.loc, d.file, d.hint, d.severity, d.source_line)


def syntax_error(problem: UnexpectedToken | None) -> tuple | None:
    if problem is None:
        return None
    return (tuple(problem.token), sorted(problem.expected), problem.index)


def assert_parse_alike(source: bytes) -> ir.Module | None:
    """The fast driver and lark agree on ``source``; the module, or None when rejected."""
    fast, lark = parsers()
    module, problems = outcome(parse_module, source)
    recorded, _ = outcome(fast.parse_module, source)
    lark_module, lark_problems = outcome(lark.parse_module, source)
    where = f"\nsource: {source!r}"
    if module is None or lark_module is None:
        assert lark_module is None, f"only the fast driver rejects it: {problems}{where}"
        assert module is None, f"only lark rejects it: {lark_problems}{where}"
        assert [shown(d) for d in problems] == [shown(d) for d in lark_problems], where
    else:
        assert module == lark_module, where
        assert list(differences(module, lark_module)) == [], where
        assert module.model_dump_json() == lark_module.model_dump_json(), where
    # Below the diagnostics: the same syntax error, the same keyword decisions.
    assert syntax_error(fast.error) == syntax_error(lark.error), where
    assert fast.tokens == lark.tokens, where
    return module


# ---------------------------------------------------------------- the corpus


def test_examples_parse_alike():
    files = example_files()
    assert {p.parent.parent.name for p in files} >= {"todo", "helpdesk", "invoicing"}
    for path in files:
        assert assert_parse_alike(path.read_bytes()) is not None, path


def test_broken_examples_parse_alike():
    examples = [path.read_bytes() for path in example_files()]
    for seed in range(EXAMPLE_MUTANTS):
        assert_parse_alike(example_mutant(seed, examples))


def test_generated_specs_parse_alike():
    for seed in range(SPECS):
        assert_parse_alike(generated(seed))


def test_broken_generated_specs_parse_alike():
    for seed in range(MUTANTS):
        assert_parse_alike(mutant(seed))


@settings(
    max_examples=120,
    derandomize=True,  # the same examples on every run: the test never flakes
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_drawn_specs_parse_alike(data):
    choose = DrawChoose(data)
    source = spec_corpus.render(choose, spec_corpus.spec(choose, blocks=3))
    if choose.chance(50):
        source = spec_corpus.mutate(choose, source)
    assert_parse_alike(source)


def test_corpus_covers_the_language():
    lark = Lark()  # its own reduction counts
    keywords = {  # keyword word → its terminal
        t.pattern.value: t.name
        for t in lark.lark.terminals
        if isinstance(t.pattern, PatternStr) and t.pattern.value.isidentifier()
    }
    assert sorted(keywords) == sorted(spec_corpus.KEYWORDS)
    given_types: dict[str, set[str]] = {word: set() for word in keywords}  # in accepted sources

    def verdict(source: bytes) -> str:
        module, _ = outcome(lark.parse_module, source)
        if module is not None:
            for kind, value, _, _ in lark.tokens:
                if value in given_types:
                    given_types[value].add(kind)
            return "accepted"
        if lark.tokens is None:
            return "not UTF-8"
        if lark.error is None:
            return "builder error"
        return "layout error" if lark.error.token.type == "$ERROR" else "syntax error"

    examples = [path.read_bytes() for path in example_files()]
    sources = [generated(seed) for seed in range(SPECS)]
    broken = [mutant(seed) for seed in range(MUTANTS)]
    broken += [example_mutant(seed, examples) for seed in range(EXAMPLE_MUTANTS)]
    generated_verdicts = Counter(map(verdict, sources))
    broken_verdicts = Counter(map(verdict, broken))

    assert [str(rule) for rule in lark.rules if not lark.reduced[rule]] == [], "rules never reduced"
    assert [w for w, types in given_types.items() if keywords[w] not in types] == [], "never a keyword"
    assert [w for w, types in given_types.items() if NAME not in types] == [], "never a name"
    # The generated specs are grammatical (a keyword wherever a name goes, too): only the builder
    # may reject them, for a required line left out or doubled, and most are valid.
    assert generated_verdicts.keys() <= {"accepted", "builder error"}, generated_verdicts
    assert generated_verdicts["accepted"] > 0.7 * len(sources), generated_verdicts
    # Broken ones are rejected every way, and some still parse.
    assert broken_verdicts["syntax error"] > 200, broken_verdicts
    assert min(broken_verdicts[v] for v in ("layout error", "not UTF-8", "builder error", "accepted")) >= 5, (
        broken_verdicts
    )
    # Layouts: a BOM, CRLF and LF, odd indentation widths, tabs between tokens, comments.
    assert any(s.startswith(b"\xef\xbb\xbf") for s in sources)
    assert any(b"\r\n" in s for s in sources) and any(b"\r\n" not in s for s in sources)
    assert any(re.search(rb"\n( {1}| {3})[a-z]", s) for s in sources)
    assert any(re.search(rb"[a-z)]\t+[a-z(]", s) for s in sources)
    assert any(re.search(rb"\S +# ", s) for s in sources)
