"""The project on disk: ``dazzle.toml`` read into a checked ``ProjectConfig``, and the DSL files
that belong to the project.

Every mistake in ``dazzle.toml`` (unknown table or key, wrong value type, unknown stack or hook)
becomes a diagnostic at the line of the key, so ``ProjectConfig.locs`` keeps the location of
each key as ``"<table>.<key>"`` (and of each table header as ``"<table>"``) for later checks such
as ``[project] root`` and a missing ``[modules] paths`` folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic, ProjectError, did_you_mean

CONFIG_FILE = "dazzle.toml"

_TABLE_LINE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*=")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "a string"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _string_list(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return "a list of strings"


def _string_or_list(value: Any) -> str | None:
    if isinstance(value, str) or (
        isinstance(value, list) and value and all(isinstance(v, str) for v in value)
    ):
        return None
    return "a string or a non-empty list of strings"


# table → key → checker returning what was expected, or None when the value's type is right.
SCHEMA: dict[str, dict[str, Callable[[Any], str | None]]] = {
    "project": {"name": _string, "version": _string, "root": _string},
    "modules": {"paths": _string_list},
    "build": {"stack": _string_or_list, "output": _string, "login_required": _boolean},
    "hooks": {"disable": _string_list, "enable": _string_list},
}


def _type_name(value: Any) -> str:
    names = {
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def _key_locations(text: str) -> dict[str, ir.Location]:
    """``"<table>"`` and ``"<table>.<key>"`` → where it is written (best effort, line based)."""
    found: dict[str, ir.Location] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_LINE.match(line)
        if header and not line.lstrip().startswith("[["):
            table = header.group(1).strip().strip("\"'")
            found.setdefault(table, ir.Location.trusted(CONFIG_FILE, number, line.index("[") + 1))
            continue
        key = _KEY_LINE.match(line)
        if key:
            name = key.group(1).strip("\"'")
            path = f"{table}.{name}" if table else name
            found.setdefault(path, ir.Location.trusted(CONFIG_FILE, number, key.start(1) + 1))
    return found


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        loc = ir.Location.trusted(CONFIG_FILE, line, column)
        shown = data.split(b"\n")[line - 1].decode("utf-8", errors="replace")
        raise ProjectError(
            [
                Diagnostic(
                    f"{CONFIG_FILE} is not valid UTF-8 (bad byte at line {line})", loc=loc, source_line=shown
                )
            ]
        ) from None


def _read_toml(project_dir: Path) -> tuple[dict, str]:
    path = Path(project_dir) / CONFIG_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProjectError(
            [
                Diagnostic(
                    f"no {CONFIG_FILE} in `{project_dir}`: this folder is not a DAZZLE project",
                    file=str(project_dir),
                    hint="create one with `dazzle init NAME`, or pass the project folder",
                )
            ]
        ) from None
    except OSError as exc:
        raise ProjectError(
            [Diagnostic(f"cannot read {CONFIG_FILE}: {exc.strerror}", file=CONFIG_FILE)]
        ) from None
    text = _decode(data)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        reason = _TOML_POSITION.sub("", message).strip()
        if position:
            loc = ir.Location.trusted(CONFIG_FILE, int(position.group(1)), int(position.group(2)))
            raise ProjectError([Diagnostic(f"invalid TOML: {reason}", loc=loc)], root=project_dir) from None
        raise ProjectError(
            [Diagnostic(f"invalid TOML: {reason}", file=CONFIG_FILE)], root=project_dir
        ) from None


class _ConfigChecker:
    """Collects every mistake of one dazzle.toml before giving up."""

    def __init__(self, locations: dict[str, ir.Location]):
        self.locations = locations
        self.diagnostics: list[Diagnostic] = []

    def where(self, *paths: str) -> ir.Location | None:
        for path in paths:
            if path in self.locations:
                return self.locations[path]
        return None

    def error(self, message: str, *paths: str, hint: str | None = None) -> None:
        loc = self.where(*paths)
        self.diagnostics.append(Diagnostic(message, loc=loc, file=None if loc else CONFIG_FILE, hint=hint))

    def check_shape(self, raw: dict) -> dict[str, dict]:
        """Unknown tables and keys, wrong value types; returns the well-typed values."""
        good: dict[str, dict] = {}
        for table, content in raw.items():
            if table not in SCHEMA:
                self.error(
                    f"unknown table `[{table}]` in {CONFIG_FILE}" + _suffix(did_you_mean(table, SCHEMA)),
                    table,
                )
                continue
            if not isinstance(content, dict):
                self.error(
                    f"`{table}` in {CONFIG_FILE} must be a table `[{table}]`, not {_type_name(content)}",
                    table,
                )
                continue
            good[table] = {}
            for key, value in content.items():
                check = SCHEMA[table].get(key)
                if check is None:
                    self.error(
                        f"unknown key `{key}` in [{table}] of {CONFIG_FILE}"
                        + _suffix(did_you_mean(key, SCHEMA[table])),
                        f"{table}.{key}",
                        table,
                    )
                    continue
                expected = check(value)
                if expected is not None:
                    self.error(
                        f"[{table}] {key} in {CONFIG_FILE} must be {expected}, not {_type_name(value)}",
                        f"{table}.{key}",
                        table,
                    )
                    continue
                good[table][key] = value
        return good

    def check_names(self, key: str, names: list[str], known: list[str], what: str) -> None:
        for name in names:
            if name not in known:
                listed = ", ".join(f"`{k}`" for k in known) if known else "none is installed"
                self.error(
                    f"unknown {what} `{name}` in [{key.split('.')[0]}] {key.split('.')[1]} of {CONFIG_FILE}"
                    + _suffix(did_you_mean(name, known)),
                    key,
                    hint=f"known {what}s: {listed}",
                )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def output_problems(checker: _ConfigChecker, project_dir: Path, output: str, paths) -> None:
    """The output folder must be a folder of its own: not inside a DSL folder (the next parse
    would read generated files) or the state folder, not holding a DSL folder (removing stale
    outputs could delete the spec), not a file."""
    project = project_dir.resolve()
    out = Path(os.path.normpath(project / output))
    where = f"[build] output = {output!r} in {CONFIG_FILE}"
    own = 'choose a folder of its own, e.g. output = "build"'
    for folder in paths:
        dsl = Path(os.path.normpath(project / folder))
        if _inside(out, dsl):
            checker.error(
                f"{where} is inside the DSL folder `{folder}`: generated files would be read as spec",
                "build.output",
                hint=own,
            )
            return
        if _inside(dsl, out):
            checker.error(
                f"{where} holds the DSL folder `{folder}`: cleaning the output could delete the spec",
                "build.output",
                hint=own,
            )
            return
    if _inside(out, project / ".dazzle"):
        checker.error(f"{where} is inside the build's state folder `.dazzle`", "build.output", hint=own)
    elif out.exists() and not out.is_dir():
        checker.error(f"{where} is a file, not a folder", "build.output", hint=own)


def _suffix(hint: str | None) -> str:
    return f"; {hint}" if hint else ""


def load_config(project_dir: Path) -> ir.ProjectConfig:
    """Read and check ``dazzle.toml``; defaults fill what it leaves out."""
    raw, text = _read_toml(project_dir)
    locations = _key_locations(text)
    checker = _ConfigChecker(locations)
    values = checker.check_shape(raw)

    project = values.get("project", {})
    modules = values.get("modules", {})
    build = values.get("build", {})
    hooks = values.get("hooks", {})

    if "paths" in modules and not modules["paths"]:
        checker.error(f"[modules] paths in {CONFIG_FILE} must list at least one folder", "modules.paths")
    for key in ("name", "root", "output"):
        table = "build" if key == "output" else "project"
        if key in values.get(table, {}) and not values[table][key].strip():
            checker.error(f"[{table}] {key} in {CONFIG_FILE} must not be empty", f"{table}.{key}")
        elif "\x00" in values.get(table, {}).get(key, ""):
            checker.error(f"[{table}] {key} in {CONFIG_FILE} must not hold a NUL character", f"{table}.{key}")
    if any("\x00" in folder for folder in modules.get("paths", ())):
        checker.error(f"[modules] paths in {CONFIG_FILE} must not hold a NUL character", "modules.paths")
    elif build.get("output", "build").strip() and "\x00" not in build.get("output", ""):
        output_problems(
            checker, Path(project_dir), build.get("output", "build"), modules.get("paths", ("./dsl",))
        )

    stacks = build.get("stack", "django")
    stacks = (stacks,) if isinstance(stacks, str) else tuple(stacks)
    if "stack" in build:
        # Only an explicit choice is checked: loading every generator plugin costs time.
        from dazzle.plugins import registry

        checker.check_names("build.stack", list(stacks), registry.available_stacks(), "stack")
    if hooks.get("disable") or hooks.get("enable"):
        from dazzle.plugins import registry

        known_hooks = [h.name for h in registry.hooks()]
        checker.check_names("hooks.disable", hooks.get("disable", []), known_hooks, "hook")
        checker.check_names("hooks.enable", hooks.get("enable", []), known_hooks, "hook")

    if checker.diagnostics:
        raise ProjectError(checker.diagnostics, root=Path(project_dir))

    # The checker above has checked every value's type: building without validation spares
    # `dazzle check` the schemas of the config models (about a tenth of a second).
    return ir.ProjectConfig.trusted(
        name=project.get("name"),
        version=project.get("version"),
        root=project.get("root"),
        paths=tuple(modules.get("paths", ("./dsl",))),
        build=ir.BuildConfig.trusted(
            stacks=stacks,
            output=build.get("output", "build"),
            login_required=build.get("login_required", True),
        ),
        hooks=ir.HooksConfig.trusted(
            disable=tuple(hooks.get("disable", ())), enable=tuple(hooks.get("enable", ()))
        ),
        loc=ir.Location.trusted(CONFIG_FILE, 1, 1),
        locs=locations,
    )


def dsl_files(project_dir: Path, config: ir.ProjectConfig) -> list[tuple[str, str]]:
    """Every ``*.dsl`` file under the ``[modules] paths`` folders, sorted by path: (path relative
    to the project folder in posix form, the module name the path gives)."""
    project_dir = Path(project_dir)
    found: dict[str, str] = {}
    missing: list[Diagnostic] = []
    for folder_text in config.paths:
        folder = Path(os.path.normpath(project_dir / folder_text))
        if not folder.is_dir():
            where = config.locs.get("modules.paths")
            what = "is not a folder" if folder.exists() else "does not exist"
            missing.append(
                Diagnostic(
                    f"the modules folder `{folder_text}` ([modules] paths in {CONFIG_FILE}) {what}",
                    loc=where,
                    file=None if where else CONFIG_FILE,
                )
            )
            continue
        for path in folder.rglob("*.dsl"):
            if not path.is_file():
                continue
            relative = Path(os.path.relpath(path, project_dir)).as_posix()
            module = path.relative_to(folder).with_suffix("").as_posix().replace("/", ".")
            found.setdefault(relative, module)
    if missing:
        raise ProjectError(missing, root=project_dir)
    return sorted(found.items())
