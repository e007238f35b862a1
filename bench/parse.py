"""Front-end benchmark: how fast `dazzle check` parses, links and validates big projects.

Generates projects of 100, 500 and 2000 entities (each ~10 fields of every type, a `ref`, and a
list, view, create and edit surface), split into modules of 50 entities that each `use` the
previous one, and times `dazzle check` as a whole process (start-up included), 5 runs each.

    python bench/parse.py [--runs 5] [--sizes 100,500,2000]

Goal: 500 entities (~25k lines) in under 1.0 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENTITIES_PER_MODULE = 50


def entity_block(index: int, previous: str | None) -> str:
    name = f"Thing{index}"
    target = previous or name
    return f"""entity {name} "Thing number {index}":
  id: uuid pk
  code: str(20) required unique
  title: str(200) required
  notes: text
  quantity: int default=1
  price: decimal(10,2) default=0
  active: bool default=true
  due: date
  kind: enum[small,medium,large]=small
  contact: email unique?
  parent: ref {target}
  created: datetime auto_add
  changed: datetime auto_update

  index kind, due

surface thing{index}_list "Things {index}":
  uses entity {name}
  mode: list
  section main "All":
    field code "Code"
    field title "Title"
    field kind "Kind"
    field due "Due"

surface thing{index}_view "Thing {index}":
  uses entity {name}
  mode: view
  section main "Thing":
    field code "Code"
    field title "Title"
    field notes "Notes"
    field price "Price"
    field parent "Parent"

surface thing{index}_new "New thing {index}":
  uses entity {name}
  mode: create
  section main "New":
    field code "Code"
    field title "Title"
    field quantity "Quantity"
    field parent "Parent"

surface thing{index}_edit "Edit thing {index}":
  uses entity {name}
  mode: edit
  section main "Edit":
    field title "Title"
    field notes "Notes"
    field active "Active"
  action save "Save":
    on submit -> surface thing{index}_view

"""


def generate(root: Path, entities: int) -> int:
    """Write the project; returns the number of DSL lines."""
    (root / "dsl").mkdir(parents=True)
    (root / "dazzle.toml").write_text('[project]\nname = "bench"\nroot = "m0"\n', encoding="utf-8")
    lines = 0
    for module in range((entities + ENTITIES_PER_MODULE - 1) // ENTITIES_PER_MODULE):
        parts = [f"module m{module}\n\n"]
        if module == 0:
            parts.append('app bench "Benchmark"\n\n')
        else:
            parts.append(f"use m{module - 1}\n\n")
        first = module * ENTITIES_PER_MODULE
        for index in range(first, min(first + ENTITIES_PER_MODULE, entities)):
            # The first entity of a module refers to one of the module it uses.
            previous = f"Thing{index - 1}" if index > 0 else None
            parts.append(entity_block(index, previous))
        text = "".join(parts)
        lines += text.count("\n")
        (root / "dsl" / f"m{module}.dsl").write_text(text, encoding="utf-8")
    return lines


def dazzle_command() -> list[str]:
    script = Path(sys.executable).parent / "dazzle"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dazzle.cli"]


def check_env(cache: Path) -> dict[str, str]:
    """The environment of the timed runs: bytecode written as an installed Python writes it (an
    inherited PYTHONDONTWRITEBYTECODE would time compiling dazzle's sources on every run), and
    the compiled grammar kept in ``cache``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def time_check(root: Path, runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [*dazzle_command(), "check", str(root)], capture_output=True, text=True, check=False, env=env
        )
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"dazzle check failed on the generated project:\n{result.stderr[-3000:]}")
    return times


def phase_times(root: Path) -> tuple[float, float, float]:
    """In-process seconds for parsing, linking and validating (one run, imports excluded)."""
    from dazzle.semantics.config import dsl_files, load_config
    from dazzle.semantics.frontend import parse_all
    from dazzle.semantics.linker import link_modules
    from dazzle.semantics.validate import validate
    from dazzle.util.collector import collector_paused

    config = load_config(root)
    files = dsl_files(root, config)
    with collector_paused():  # as load_project runs them
        start = time.perf_counter()
        modules = parse_all(root, files)
        parsed = time.perf_counter()
        spec, _ = link_modules(modules, config)
        linked = time.perf_counter()
        validate(spec)
        return parsed - start, linked - parsed, time.perf_counter() - linked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,500,2000")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="dazzle-bench-") as tmp:
        env = check_env(Path(tmp) / "cache")
        for size in (int(s) for s in args.sizes.split(",")):
            root = Path(tmp) / f"p{size}"
            lines = generate(root, size)
            # Untimed except as "first run": it compiles the grammar into the empty cache
            # (what the first `dazzle` command after an install does) and writes bytecode.
            (first,) = time_check(root, 1, env)
            median = statistics.median(time_check(root, args.runs, env))
            rows.append((size, lines, first, median, lines / median, phase_times(root)))
            shutil.rmtree(Path(tmp) / "cache")
    print("`dazzle check`, whole process (start-up included), median of", args.runs, "runs;")
    print("first run: the same with no grammar cache yet (lark builds the parse table):\n")
    print("| entities | lines | median s | lines/s | first run s |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for size, lines, first, median, rate, _ in rows:
        print(f"| {size} | {lines} | {median:.3f} | {rate:,.0f} | {first:.3f} |")
    print("\nIn-process phases (one run, seconds):\n")
    print("| entities | parse | link | validate |")
    print("| ---: | ---: | ---: | ---: |")
    for size, _, _, _, _, (parse, link, check) in rows:
        print(f"| {size} | {parse:.3f} | {link:.3f} | {check:.3f} |")


if __name__ == "__main__":
    main()
