"""``dazzle dev``: from saving an edit to the open page showing it, in headless Chromium.

    python bench/dev.py                        # 10 and 500 entities, 3 edits of each kind
    python bench/dev.py --sizes 500 --repeat 5

On the projects of ``bench/build.py`` (entities in files of 50, four surfaces each), for each
size: ``dazzle dev`` is started on a fresh project, a browser signs in and opens the create page
of an entity of the last file; then, ``--repeat`` times each,

- **label**: a field's label on that form changes in the spec (``Amount`` ↔ ``Total``);
- **field**: a new field is added to the entity and to the form (a migration, a restart);

and the time from the save (the file written) to the page showing the new text, reloaded by
itself, is taken (median). Beside them, in the same run: the same edits rebuilt by a cold
``dazzle build`` (whole process, no server, no browser), and doit's floor (``bench/build.py``'s:
doit's own no-op on as many trivial up-to-date tasks). Times are wall time; the machine's speed
drifts, so compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build as bench  # noqa: E402 (bench/build.py: the projects, the floor)

from hooks.django.admin_credentials import read_credentials  # noqa: E402 (after build's sys.path)

CHROMIUM = Path("/usr/bin/chromium")
STARTED_WITHIN_S = 600
SHOWN_WITHIN_MS = 120_000


def lines_of(process: subprocess.Popen) -> queue.Queue:
    found: queue.Queue = queue.Queue()

    def read():
        for line in process.stdout:
            found.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return found


def wait_for(lines: queue.Queue, pattern: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        if re.search(pattern, line):
            return line


def credentials(output: Path) -> tuple[str, str]:
    login = read_credentials(output / ".admin_credentials")
    return login["username"], login["password"]


def cold_build(folder: Path, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dazzle.cli", "build", str(folder)], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"dazzle build failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def relabel(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))  # the first: entity E<k>'s


def field_edit(path: Path, k: int, n: int) -> None:
    """A new field ``extra<n>`` on entity ``E<k>`` and last on its create form."""
    text = path.read_text()
    entity = f'entity E{k} "Entity {k}":\n  id: uuid pk\n'
    form = f'surface e{k}_new "New entity {k}":\n'
    assert entity in text and form in text
    text = text.replace(entity, entity + f"  extra{n}: str(20)\n", 1)
    last = text.index('    field note "Note"\n', text.index(form)) + len('    field note "Note"\n')
    path.write_text(text[:last] + f'    field extra{n} "Extra {n}"\n' + text[last:])


def measure(size: int, repeat: int, root: Path, env: dict) -> dict:
    from playwright.sync_api import expect, sync_playwright

    folder = root / f"dev{size}"
    files = bench.make_project(folder, size, "django")
    k = (len(files) - 1) * bench.PER_FILE
    form = '  section main "New":\n    field name "Name"\n    field amount '
    names = ('"Amount"', '"Total"')  # the label of a field of E<k>'s create form, and its edit
    port = bench_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dazzle.cli", "dev", str(folder), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = lines_of(process)
    results: dict[str, list[float]] = {"label": [], "field": []}
    try:
        wait_for(lines, r"^serving ", STARTED_WITHIN_S)
        user, password = credentials(folder / "build")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page(base_url=f"http://127.0.0.1:{port}")
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill(user)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"http://127.0.0.1:{port}/")
            page.goto(f"/e{k}s/new/")
            labels = page.locator("form label")
            for i in range(repeat):
                old, new = names if i % 2 == 0 else names[::-1]
                shown = new.strip('"')
                saved = time.perf_counter()
                relabel(files[-1], form + old, form + new)
                expect(labels.filter(has_text=re.compile(f"^{shown}"))).to_have_count(
                    1, timeout=SHOWN_WITHIN_MS
                )
                results["label"].append(time.perf_counter() - saved)
            for i in range(repeat):
                saved = time.perf_counter()
                field_edit(files[-1], k, i)
                expect(labels.filter(has_text=f"Extra {i}")).to_have_count(1, timeout=SHOWN_WITHIN_MS)
                results["field"].append(time.perf_counter() - saved)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=60)
    cold = {"label": [], "field": []}
    for i in range(repeat):
        old, new = names if (repeat + i) % 2 == 0 else names[::-1]
        relabel(files[-1], form + old, form + new)
        cold["label"].append(cold_build(folder, env))
        field_edit(files[-1], k, repeat + i)
        cold["field"].append(cold_build(folder, env))
    record = json.loads((folder / ".dazzle" / "last_run.json").read_text())
    tasks = len(record["executed"]) + record["up_to_date"]  # what the floor has as many of
    floor = bench.measure_floor(bench.make_floor(root / f"floor{size}", tasks), tasks, max(repeat, 5), env)
    return {
        "floor": floor,
        **{f"dev {kind}": statistics.median(v) for kind, v in results.items()},
        **{f"cold {kind}": statistics.median(v) for kind, v in cold.items()},
    }


def bench_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 500])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([str(bench.REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    root = Path(tempfile.mkdtemp(prefix="dazzle-bench-dev-"))
    rows = []
    try:
        for size in args.sizes:
            rows.append((size, measure(size, args.repeat, root, env)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(
        "| entities | doit floor | label: save → page shows | label: cold build | new field: save → page shows | new field: cold build |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, r in rows:
        f = r["floor"]
        cells = [
            f"{r[k]:.2f} s ({r[k] / f:.1f}×)" for k in ("dev label", "cold label", "dev field", "cold field")
        ]
        print(f"| {size} | {f:.3f} s | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
