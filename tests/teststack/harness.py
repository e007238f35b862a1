"""What the engine tests share: the test stack installed from a temporary copy (so a test may
edit its templates), a spec written from plain data, and projects built in-process or through
a ``doit`` subprocess.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.teststack.install import write_dist_info

SOURCE = Path(__file__).resolve().parent
REPO = SOURCE.parent.parent
PACKAGE = "teststack_copy"
DODO = (
    "from pathlib import Path\nfrom dazzle.engine import dodo_namespace\n"
    "globals().update(dodo_namespace(Path(__file__).resolve().parent))\n"
)


@dataclass
class Stack:
    root: Path  # on sys.path: the package copy and its dist-info

    @property
    def templates(self) -> Path:
        return self.root / PACKAGE / "templates"

    def env(self) -> dict:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(self.root), str(REPO)])
        return env


@pytest.fixture(scope="module", name="teststack")
def teststack_fixture(tmp_path_factory):
    """The test stack, registered by entry points for this process and for subprocesses."""
    root = tmp_path_factory.mktemp("stack")
    shutil.copytree(SOURCE, root / PACKAGE, ignore=shutil.ignore_patterns("__pycache__", "harness.py"))
    write_dist_info(root, package=PACKAGE)
    sys.path.insert(0, str(root))
    try:
        yield Stack(root)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        from dazzle.plugins.selection import generators_for

        generators_for.cache_clear()


# ---------------------------------------------------------------- the spec as plain data


@dataclass
class Spec:
    title: str = "Shop"
    # entity → [(field, type)]; the first field is the pk
    entities: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: {
            "Product": [("id", "uuid pk"), ("name", "str(100) required"), ("price", "decimal(8,2)")],
            "Order": [("id", "uuid pk"), ("product", "ref Product required"), ("qty", "int")],
        }
    )
    # surface → (entity, mode, [(field, label)])
    surfaces: dict[str, tuple[str, str, list[tuple[str, str]]]] = field(
        default_factory=lambda: {
            "product_list": ("Product", "list", [("name", "Name"), ("price", "Price")]),
            "order_new": ("Order", "create", [("product", "Product"), ("qty", "Quantity")]),
        }
    )
    comment: str = "the shop"

    def dsl(self) -> str:
        lines = [f"# {self.comment}", f'app shop "{self.title}"', ""]
        for name, fields in self.entities.items():
            lines.append(f'entity {name} "{name} record":')
            lines += [f"  {f}: {t}" for f, t in fields]
            lines.append("")
        for name, (entity, mode, fields) in self.surfaces.items():
            lines += [
                f'surface {name} "{name.replace("_", " ").title()}":',
                f"  uses entity {entity}",
                f"  mode: {mode}",
                '  section main "Main":',
            ]
            lines += [f'    field {f} "{label}"' for f, label in fields]
            lines.append("")
        return "\n".join(lines)


# ---------------------------------------------------------------- projects


@dataclass
class Result:
    code: int
    executed: list[str]
    output: str
    failed: dict

    @property
    def generated(self) -> set[str]:
        return {n for n in self.executed if n.startswith("generate:")}


class Project:
    def __init__(self, folder: Path, spec: Spec | None = None, hooks_disabled: list[str] | None = None):
        from dazzle.plugins import registry

        self.hooks_disabled = hooks_disabled
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        if hooks_disabled is None:  # only the test stack's own hook runs
            hooks_disabled = [h.name for h in registry.hooks() if h.name != "summary"]
        toml = '[project]\nname = "shop"\n\n[build]\nstack = "teststack"\n'
        if hooks_disabled:
            toml += "\n[hooks]\ndisable = [" + ", ".join(f'"{h}"' for h in hooks_disabled) + "]\n"
        (self.folder / "dazzle.toml").write_text(toml)
        (self.folder / "dodo.py").write_text(DODO)
        self.write(spec or Spec())

    @property
    def out(self) -> Path:
        return self.folder / "build"

    @property
    def state(self) -> Path:
        return self.folder / ".dazzle"

    def write(self, spec: Spec, name: str = "app.dsl") -> None:
        path = self.folder / "dsl" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec.dsl())

    def build(self, *args: str, force: bool = False) -> Result:
        """``doit build`` in this process."""
        from dazzle.engine import last_run, run_doit

        captured = io.StringIO()
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            code = run_doit(self.folder, list(args) or ["build"], force=force)
        record = last_run(self.state)
        return Result(code, record.get("executed", []), captured.getvalue(), record.get("failed", {}))

    def doit(
        self, stack: Stack, *args: str, timeout: float = 120, env: dict | None = None
    ) -> subprocess.CompletedProcess:
        """``doit ARGS`` in a subprocess, with this project's dodo.py."""
        return subprocess.run(
            [sys.executable, "-m", "doit", "-f", str(self.folder / "dodo.py"), *args],
            check=False,
            cwd=self.folder,
            env=env if env is not None else stack.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def tree(self) -> dict[str, bytes]:
        """Every file under the output folder: relative path → bytes (and the x bit)."""
        found = {}
        for path in sorted(self.out.rglob("*")):
            if path.is_file():
                mode = b"+x" if os.access(path, os.X_OK) else b""
                found[path.relative_to(self.out).as_posix()] = path.read_bytes() + mode
        return found


def clean_build_tree(folder: Path, spec: Spec, hooks_disabled: list[str] | None = None) -> dict[str, bytes]:
    """The output of a clean build of ``spec`` in a fresh folder."""
    if folder.exists():
        shutil.rmtree(folder)
    project = Project(folder, spec, hooks_disabled=hooks_disabled)
    result = project.build()
    assert result.code == 0, result.output
    return project.tree()
