"""``dazzle init NAME``: a new project folder, ready to build.

It holds ``dazzle.toml``, ``dsl/app.dsl`` (one entity with list, create, view and edit
surfaces), a tiny ``dodo.py`` (so ``doit build`` works there, like at the dazzle repo's root)
and a ``.gitignore`` for the build output and state.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def register(subparsers) -> None:
    init = subparsers.add_parser("init", help="create a new project folder, ready to build")
    init.add_argument("name", help="folder (and project) name")
    init.set_defaults(func=cmd_init)


def cmd_init(args) -> int:
    try:
        folder = create_project(Path(args.name))
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"created {folder}\n  cd {args.name} && dazzle build   (or: doit build)")
    return 0


class ScaffoldError(Exception):
    """The project cannot be created there (the message says why)."""


DODO = '''\
"""doit entry point of this project: `doit build`, `doit list`, `doit watch`, `doit clean`.

`doit force=1 build` overwrites generated files you edited; `doit provision=1 build` also runs
the opt-in `provision` hook. `dazzle build` does the same.
"""

from pathlib import Path

from dazzle.engine import dodo_namespace

globals().update(dodo_namespace(Path(__file__).resolve().parent))
'''

TOML = """\
[project]
name = "{name}"
version = "0.1.0"

[modules]
paths = ["./dsl"]

[build]
stack = "django"
output = "build"
"""

APP = """\
# The application: entities (the data) and surfaces (the pages that show and edit it).
# Change it and run `dazzle build` (or keep `dazzle watch` running).

app {app} "{title}"

entity Task "Task":
  id: uuid pk
  title: str(200) required
  notes: text
  status: enum[todo,doing,done]=todo
  due: date
  created: datetime auto_add

surface task_list "Tasks":
  uses entity Task
  mode: list
  section main "Tasks":
    field title "Title"
    field status "Status"
    field due "Due"

surface task_view "Task":
  uses entity Task
  mode: view
  section main "Task":
    field title "Title"
    field notes "Notes"
    field status "Status"
    field due "Due"
    field created "Created"

surface task_new "New task":
  uses entity Task
  mode: create
  section main "New task":
    field title "Title"
    field notes "Notes"
    field due "Due"

surface task_edit "Edit task":
  uses entity Task
  mode: edit
  section main "Task":
    field title "Title"
    field notes "Notes"
    field status "Status"
    field due "Due"
"""

GITIGNORE = "build/\n.dazzle/\n__pycache__/\n"


def app_name(folder_name: str) -> str:
    """A valid DSL identifier from the folder name (``my-shop`` → ``my_shop``)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", folder_name).strip("_") or "app"
    return name if not name[0].isdigit() else f"app_{name}"


def create_project(folder: Path) -> Path:
    """Create the project in ``folder`` (which must not exist, or be empty)."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} already exists and is not an empty folder")
    name = app_name(folder.resolve().name)
    title = name.replace("_", " ").title()
    files = {
        "dazzle.toml": TOML.format(name=name),
        "dsl/app.dsl": APP.format(app=name, title=title),
        "dodo.py": DODO,
        ".gitignore": GITIGNORE,
    }
    try:
        for rel, text in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScaffoldError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    return folder
