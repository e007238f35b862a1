"""The compiled grammar (``dazzle.syntax.grammar_cache.load_grammar``): lark builds the LALR table once, a cache
file holds it, and the cache can never serve a table for another grammar or a broken file."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dazzle.syntax import grammar_cache as compiled_grammar
from dazzle.syntax.parser import GRAMMAR, parse_module


def canonical(data: dict) -> dict:
    """The table with states numbered in the order a walk from the start state meets them and
    reductions named by their rule: lark numbers states differently from run to run."""
    order = {data["start_state"]: 0}
    queue = [data["start_state"]]
    for state in queue:
        for symbol in sorted(data["states"][state]):
            shift, arg = data["states"][state][symbol]
            if shift and arg not in order:
                order[arg] = len(order)
                queue.append(arg)
    assert len(order) == len(data["states"])
    states = {
        order[state]: {
            symbol: (True, order[arg]) if shift else (False, data["rules"][arg])
            for symbol, (shift, arg) in row.items()
        }
        for state, row in data["states"].items()
    }
    rest = {k: v for k, v in data.items() if k not in ("states", "rules", "start_state", "end_state", "key")}
    return {"states": states, "end_state": order[data["end_state"]], **rest}


def cache_files(folder):
    return sorted(folder.glob("grammar-*.marshal"))


def refuse_to_compile(monkeypatch):
    def compile_grammar(text):
        raise AssertionError("the grammar was compiled although the cache holds it")

    monkeypatch.setattr(compiled_grammar, "compile_grammar", compile_grammar)


def test_first_load_compiles_and_stores_then_the_cache_serves(tmp_path, monkeypatch):
    compiled = compiled_grammar.load_grammar(GRAMMAR, tmp_path)
    (stored,) = cache_files(tmp_path)
    refuse_to_compile(monkeypatch)
    assert compiled_grammar.load_grammar(GRAMMAR, tmp_path) == compiled
    assert cache_files(tmp_path) == [stored]


def test_cached_table_is_the_one_lark_builds(tmp_path):
    cached = compiled_grammar.load_grammar(GRAMMAR, tmp_path)
    fresh = compiled_grammar.compile_grammar(GRAMMAR.read_text(encoding="utf-8"))
    assert canonical(cached) == canonical(fresh)
    assert {"NAME", "COLON", "ENTITY", "_NL", "_INDENT", "_DEDENT", "$END"} <= {
        symbol for row in fresh["states"].values() for symbol in row
    }


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", "truncate"])
def test_broken_cache_file_is_compiled_again(tmp_path, damage):
    compiled = compiled_grammar.load_grammar(GRAMMAR, tmp_path)
    (stored,) = cache_files(tmp_path)
    content = stored.read_bytes()
    assert content
    stored.write_bytes(content[: len(content) // 2] if damage == "truncate" else damage)
    again = compiled_grammar.load_grammar(GRAMMAR, tmp_path)
    assert canonical(again) == canonical(compiled)
    assert compiled_grammar.load_grammar(GRAMMAR, tmp_path) == again  # and stored again


def test_another_grammar_is_not_served_from_the_cache(tmp_path):
    compiled_grammar.load_grammar(GRAMMAR, tmp_path)
    changed = tmp_path / "grammar.lark"
    changed.write_text(GRAMMAR.read_text(encoding="utf-8").replace('APP: "app"', 'APP: "application"'))
    data = compiled_grammar.load_grammar(changed, tmp_path)
    assert data["keywords"]["application"] == "APP" and "app" not in data["keywords"]
    assert len(cache_files(tmp_path)) == 2


def test_a_file_under_the_same_name_with_another_key_is_not_trusted(tmp_path, monkeypatch):
    compiled = compiled_grammar.load_grammar(GRAMMAR, tmp_path)
    (stored,) = cache_files(tmp_path)
    import marshal

    stored.write_bytes(marshal.dumps({**compiled, "key": "another grammar", "start_state": -1}))
    assert canonical(compiled_grammar.load_grammar(GRAMMAR, tmp_path)) == canonical(compiled)


def test_unwritable_cache_folder_still_parses(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    data = compiled_grammar.load_grammar(GRAMMAR, blocked / "dazzle")
    assert data["start_state"] is not None
    assert canonical(compiled_grammar.load_grammar(GRAMMAR, None)) == canonical(data)


def test_a_warm_start_does_not_import_lark(tmp_path):
    project = tmp_path / "p"
    (project / "dsl").mkdir(parents=True)
    (project / "dazzle.toml").write_text('[project]\nname = "p"\n')
    (project / "dsl" / "app.dsl").write_text('app p "P"\n\nentity Thing:\n  name: str(20)\n')
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    script = (
        "import sys; from dazzle.cli import main; status = main(['check', sys.argv[1]]); "
        "print('lark' in sys.modules); sys.exit(status)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(project)], env=env, capture_output=True, text=True, check=False
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    assert runs[0].stdout.split()[-1] == "True"  # the first run compiles with lark
    assert runs[1].stdout.split()[-1] == "False"


def test_keyword_is_a_name_where_only_a_name_fits():
    module = parse_module(
        b"entity Ticket:\n  entity: str(20)\n  status: enum[open,closed]\n  unique: int\n  unique status\n",
        "t.dsl",
        "t",
    )
    (ticket,) = module.entities
    assert [f.name for f in ticket.fields] == ["entity", "status", "unique"]
    assert ticket.constraints[0].kind == "unique" and ticket.constraints[0].fields == ("status",)
