"""Build benchmark: whole-process wall time of ``doit build`` on generated projects.

For 10, 100 and 500 entities (files of 50 entities, each entity with a list and a create
surface) and every stack given, it measures (median of ``--repeat`` runs):

- full:   a clean build (``.dazzle/`` and the output removed first)
- no-op:  a rebuild with nothing changed
- label:  a rebuild after changing one surface field's label in one file
- field:  a rebuild after changing one entity field (a model change)

and the number of tasks each executed (from ``.dazzle/last_run.json``). The ``teststack``
stack (the engine tests' tiny stack) is registered on the fly. Byte-code caching is left on
(``PYTHONDONTWRITEBYTECODE`` removed), as in a normal installation.

    python bench/build.py [--sizes 10 100 500] [--stacks teststack django] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.teststack.install import write_dist_info

PER_FILE = 50
DODO = (
    "from pathlib import Path\nfrom dazzle.engine import dodo_namespace\n"
    "globals().update(dodo_namespace(Path(__file__).resolve().parent))\n"
)


def entity_block(i: int, first_in_file: int, amount_digits: int = 8) -> str:
    ref = f"  parent: ref E{first_in_file}\n" if i != first_in_file else ""
    return (
        f'entity E{i} "Entity {i}":\n'
        f"  id: uuid pk\n"
        f"  name: str(100) required\n"
        f"  amount: decimal({amount_digits},2) default=0\n"
        f"  note: text\n"
        f"{ref}\n"
        f'surface e{i}_list "Entities {i}":\n'
        f"  uses entity E{i}\n"
        f"  mode: list\n"
        f'  section main "All":\n'
        f'    field name "Name"\n'
        f'    field amount "Amount"\n\n'
        f'surface e{i}_new "New entity {i}":\n'
        f"  uses entity E{i}\n"
        f"  mode: create\n"
        f'  section main "New":\n'
        f'    field name "Name"\n'
        f'    field amount "Amount"\n'
        f'    field note "Note"\n\n'
    )


def make_project(folder: Path, entities: int, stack: str) -> list[Path]:
    """Write the project; returns its DSL files."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "dsl").mkdir(parents=True)
    (folder / "dazzle.toml").write_text(f'[project]\nname = "bench"\n\n[build]\nstack = "{stack}"\n')
    (folder / "dodo.py").write_text(DODO)
    files = []
    for start in range(0, entities, PER_FILE):
        text = 'app bench "Bench"\n\n' if start == 0 else ""
        for i in range(start, min(start + PER_FILE, entities)):
            text += entity_block(i, start)
        path = folder / "dsl" / f"part{start // PER_FILE:03d}.dsl"
        path.write_text(text)
        files.append(path)
    return files


def run_build(folder: Path, env: dict) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "doit", "-f", str(folder / "dodo.py"), "build"],
        check=False,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed in {folder}:\n{done.stdout}\n{done.stderr}")
    executed = json.loads((folder / ".dazzle" / "last_run.json").read_text())["executed"]
    return seconds, len(executed)


def toggle(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    path.write_text(text.replace(old, new, 1) if old in text else text.replace(new, old, 1))


def measure(folder: Path, entities: int, stack: str, repeat: int, env: dict) -> dict:
    files = make_project(folder, entities, stack)
    last = files[-1]
    k = (len(files) - 1) * PER_FILE  # first entity of the last file
    label_old, label_new = (
        f'    field amount "Amount"\n\nsurface e{k}_new',
        f'    field amount "Total"\n\nsurface e{k}_new',
    )
    j = k + 1 if k + 1 < entities else k  # a field of one entity changes type (text → str)
    head = f'E{j} "Entity {j}":\n  id: uuid pk\n  name: str(100) required\n  amount: decimal(8,2) default=0\n'
    field_old, field_new = head + "  note: text\n", head + "  note: str(500)\n"
    results: dict[str, list] = {"full": [], "no-op": [], "label": [], "field": []}
    for _ in range(repeat):
        for state in (folder / ".dazzle", folder / "build"):
            shutil.rmtree(state, ignore_errors=True)
        results["full"].append(run_build(folder, env))
        results["no-op"].append(run_build(folder, env))
        toggle(last, label_old, label_new)
        results["label"].append(run_build(folder, env))
        toggle(last, field_old, field_new)
        results["field"].append(run_build(folder, env))
    return {
        kind: (statistics.median(s for s, _ in runs), max(n for _, n in runs))
        for kind, runs in results.items()
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--stacks", nargs="+", default=["teststack", "django"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the projects here (kept afterwards)")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="dazzle-bench-"))
    dist = write_dist_info(work / "dist")
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(dist), str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)

    print("| stack | entities | full build | no-op | one-label edit | one-field edit |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    try:
        for stack in args.stacks:
            for size in args.sizes:
                r = measure(work / f"{stack}-{size}", size, stack, args.repeat, env)
                cells = [f"{r[k][0]:.2f} s ({r[k][1]} tasks)" for k in ("full", "no-op", "label", "field")]
                print(f"| {stack} | {size} | " + " | ".join(cells) + " |", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
