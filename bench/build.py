"""Build benchmark: whole-process wall time of ``doit build`` on generated projects, as
multiples of doit's own floor measured in the same run.

For each size (default 10, 100, 500 and 2,000 entities; files of 50 entities, each entity with
a list and a create surface) and stack, it measures (median of ``--repeat`` runs):

- floor:  doit's own no-op on as many trivial up-to-date tasks (one file_dep and one target
          each, doit's default backend) as a DAZZLE build of that project has — the least any
          doit-driven build can cost; and the same with the sqlite3 backend DAZZLE uses (it
          survives a killed build, doit's default dbm file may not)
- full:   a clean build (``.dazzle/`` and the output removed first)
- no-op:  a rebuild with nothing changed
- label:  a rebuild after changing one surface field's label in one file
- field:  a rebuild after changing one entity field (a model change)
- watch:  the same label edit under ``dazzle watch`` (the rebuild time it reports, and the time
          from saving the file to that line, which includes the watcher's debounce)

and the number of tasks each executed (from ``.dazzle/last_run.json``). Every time is printed
with its multiple of the floor: the machine's speed drifts between days, the ratios much less.
The ``teststack`` stack (the engine tests' tiny stack) is registered on the fly. Byte-code
caching is left on (``PYTHONDONTWRITEBYTECODE`` removed), as in a normal installation.

    python bench/build.py [--sizes 10 100 500 2000] [--stacks django] [--repeat 3] [--no-watch]
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


FLOOR_DODO = """\
import os

BACKEND = os.environ.get("FLOOR_BACKEND", "")
DOIT_CONFIG = {"verbosity": 0, "dep_file": f".doit-{BACKEND or 'default'}.db"}
if BACKEND:
    DOIT_CONFIG["backend"] = BACKEND
N = int(os.environ["FLOOR_TASKS"])


def copy(src, dst):
    with open(src, "rb") as a, open(dst, "wb") as b:
        b.write(a.read())


def task_t():
    for i in range(N):
        src, dst = f"in/{i}.txt", f"out/{i}.txt"
        yield {"name": str(i), "actions": [(copy, [src, dst])], "file_dep": [src], "targets": [dst]}
"""


def make_floor(folder: Path, tasks: int) -> Path:
    """The floor's project: ``tasks`` trivial tasks, one input file each."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "in").mkdir(parents=True)
    (folder / "out").mkdir()
    for i in range(tasks):
        (folder / "in" / f"{i}.txt").write_text(str(i))
    (folder / "dodo.py").write_text(FLOOR_DODO)
    return folder


def measure_floor(folder: Path, tasks: int, repeat: int, env: dict, backend: str = "") -> float:
    """doit's no-op on the ``make_floor`` project (median of ``repeat`` runs), with doit's
    default dependency backend or ``backend`` (each backend keeps its own dependency file)."""
    env = {**env, "FLOOR_TASKS": str(tasks), "FLOOR_BACKEND": backend}
    command = [sys.executable, "-m", "doit", "-f", str(folder / "dodo.py")]
    subprocess.run(command, check=True, cwd=folder, env=env, capture_output=True)  # runs them all
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=folder, env=env, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


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


def edits(files: list[Path], entities: int):
    """The label edit and the field edit of ``measure``, as (path, old, new) each."""
    last = files[-1]
    k = (len(files) - 1) * PER_FILE  # first entity of the last file
    label = (
        last,
        f'    field amount "Amount"\n\nsurface e{k}_new',
        f'    field amount "Total"\n\nsurface e{k}_new',
    )
    j = k + 1 if k + 1 < entities else k  # a field of one entity changes type (text → str)
    head = f'E{j} "Entity {j}":\n  id: uuid pk\n  name: str(100) required\n  amount: decimal(8,2) default=0\n'
    field = (last, head + "  note: text\n", head + "  note: str(500)\n")
    return label, field


def measure(folder: Path, entities: int, stack: str, repeat: int, env: dict, watch: bool) -> dict:
    files = make_project(folder, entities, stack)
    label, field = edits(files, entities)
    results: dict[str, list] = {"full": [], "no-op": [], "label": [], "field": []}
    for _ in range(repeat):
        for state in (folder / ".dazzle", folder / "build"):
            shutil.rmtree(state, ignore_errors=True)
        results["full"].append(run_build(folder, env))
        results["no-op"].append(run_build(folder, env))
        toggle(*label)
        results["label"].append(run_build(folder, env))
        toggle(*field)
        results["field"].append(run_build(folder, env))
    summary = {
        kind: (statistics.median(s for s, _ in runs), max(n for _, n in runs))
        for kind, runs in results.items()
    }
    if watch:
        summary["watch"] = measure_watch(folder, label, repeat, env)
    return summary


def measure_watch(folder: Path, label: tuple, repeat: int, env: dict) -> tuple[float, float, int]:
    """The label edit under ``dazzle watch``: median of the rebuild time it reports, of the
    time from the save to its line, and the tasks it ran."""
    watcher = subprocess.Popen(
        [sys.executable, "-m", "dazzle.cli", "watch", str(folder)],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    reported, latency, ran = [], [], 0
    try:
        _wait_for(watcher, "watching")
        for _ in range(repeat):
            saved = time.perf_counter()
            toggle(*label)
            line = _wait_for(watcher, "built in")
            latency.append(time.perf_counter() - saved)
            reported.append(float(line.split("built in ", 1)[1].split("s", 1)[0]))
            ran = max(ran, int(line.split("s, ", 1)[1].split(" task", 1)[0]))
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
    return statistics.median(reported), statistics.median(latency), ran


def _wait_for(process: subprocess.Popen, text: str) -> str:
    """The next line of the watcher's output that holds ``text`` (a failed build stops the bench)."""
    for line in process.stdout:
        if "build failed" in line:
            raise SystemExit(f"dazzle watch: {line}")
        if text in line:
            return line
    raise SystemExit(f"dazzle watch ended before printing {text!r}")


def cell(seconds: float, floor: float, tasks: int | None = None) -> str:
    ran = f", {tasks} tasks" if tasks is not None else ""
    return f"{seconds:.3f} s ({seconds / floor:.1f}×{ran})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500, 2000])
    parser.add_argument("--stacks", nargs="+", default=["django"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-watch", action="store_true", help="leave out the watch measurement")
    parser.add_argument("--keep", type=Path, help="build the projects here (kept afterwards)")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="dazzle-bench-"))
    dist = write_dist_info(work / "dist")
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(dist), str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)

    columns = [
        "stack",
        "entities",
        "tasks",
        "doit floor",
        "doit floor, sqlite3 backend",
        "full build",
        "no-op",
        "one-label edit",
        "one-field edit",
    ]
    if not args.no_watch:
        columns += ["label edit under watch (reported)", "save → rebuilt line"]
    print("| " + " | ".join(columns) + " |")
    print("| --- | " + " | ".join("---:" for _ in columns[1:]) + " |")
    rows = []
    try:
        for stack in args.stacks:
            for size in args.sizes:
                r = measure(work / f"{stack}-{size}", size, stack, args.repeat, env, not args.no_watch)
                tasks = r["full"][1]
                floor_dir = make_floor(work / f"floor-{size}", tasks)
                floor = measure_floor(floor_dir, tasks, max(args.repeat, 5), env)
                sqlite = measure_floor(floor_dir, tasks, max(args.repeat, 5), env, "sqlite3")
                cells = [stack, str(size), str(tasks), f"{floor:.3f} s", cell(sqlite, floor)]
                cells += [cell(r[k][0], floor, r[k][1]) for k in ("full", "no-op", "label", "field")]
                if "watch" in r:
                    reported, latency, ran = r["watch"]
                    cells += [cell(reported, floor, ran), cell(latency, floor)]
                print("| " + " | ".join(cells) + " |", flush=True)
                rows.append((stack, size, floor, r))
        print_growth(rows)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def print_growth(rows: list) -> None:
    """How each measurement grows from one size to the next (time ratio per size ratio)."""
    print("\nGrowth between sizes (time ratio; entities ratio in brackets):\n")
    kinds = ["full", "no-op", "label", "field"]
    print("| stack | sizes | floor | " + " | ".join(kinds) + " | watch |")
    print("| --- | --- | " + " | ".join("---:" for _ in range(len(kinds) + 2)) + " |")
    for (stack, a, fa, ra), (stack_b, b, fb, rb) in zip(rows, rows[1:]):
        if stack != stack_b:
            continue
        cells = [f"{fb / fa:.2f}"] + [f"{rb[k][0] / ra[k][0]:.2f}" for k in kinds]
        cells.append(f"{rb['watch'][0] / ra['watch'][0]:.2f}" if "watch" in ra and "watch" in rb else "")
        print(f"| {stack} | {a} → {b} ({b / a:.0f}×) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
