"""dazzle.toml loading and the discovery of a project's DSL files (dazzle.semantics.config)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dazzle import ir
from dazzle.ir.diagnostics import ProjectError
from dazzle.plugins import registry
from dazzle.semantics.config import dsl_files, load_config
from tests.support import EXAMPLES


def write(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "dazzle.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def config_error(tmp_path: Path, toml: str) -> ProjectError:
    with pytest.raises(ProjectError) as caught:
        load_config(write(tmp_path, toml))
    return caught.value


def test_defaults_when_the_file_is_empty(tmp_path):
    config = load_config(write(tmp_path, ""))
    assert config.name is None and config.root is None
    assert config.paths == ("./dsl",)
    assert config.build.stacks == ("django",)
    assert config.build.output == "build"
    assert config.build.login_required is True
    assert config.hooks.disable == () and config.hooks.enable == ()


def test_every_key_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "available_stacks", lambda: ["django", "flask"])
    config = load_config(
        write(
            tmp_path,
            '[project]\nname = "shop"\nversion = "1.2.0"\nroot = "shop.core"\n'
            '[modules]\npaths = ["spec", "more"]\n'
            '[build]\nstack = ["django", "flask"]\noutput = "out"\nlogin_required = false\n',
        )
    )
    assert (config.name, config.version, config.root) == ("shop", "1.2.0", "shop.core")
    assert config.paths == ("spec", "more")
    assert config.build.stacks == ("django", "flask")
    assert config.build.output == "out"
    assert config.build.login_required is False
    assert config.where("build.output").line == 9


def test_config_is_the_validated_model(tmp_path, monkeypatch):
    # load_config builds the config without validation (the checker has checked every value):
    # it must be exactly what validating the same values gives, including the nested tables.
    monkeypatch.setattr(registry, "available_stacks", lambda: ["django", "flask"])
    monkeypatch.setattr(registry, "hooks", lambda: [type("H", (), {"name": "format_code"})()])
    config = load_config(
        write(
            tmp_path,
            '[project]\nname = "shop"\n[modules]\npaths = ["spec"]\n'
            '[build]\nstack = ["django", "flask"]\nlogin_required = false\n'
            '[hooks]\ndisable = ["format_code"]\n',
        )
    )
    validated = ir.ProjectConfig.model_validate(config.model_dump())
    assert config == validated
    assert config.model_dump() == validated.model_dump()
    for part in ("build", "hooks"):
        assert type(getattr(config, part)) is type(getattr(validated, part))
        assert getattr(config, part).__dict__ == getattr(validated, part).__dict__
    assert type(config.paths) is tuple and type(config.build.stacks) is tuple
    assert isinstance(config.loc, ir.Location)


def test_stack_may_be_a_single_string(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "available_stacks", lambda: ["django"])
    assert load_config(write(tmp_path, '[build]\nstack = "django"\n')).build.stacks == ("django",)


def test_examples_load():
    for name in ("todo", "helpdesk", "invoicing"):
        config = load_config(EXAMPLES / name)
        assert config.name == name
        assert config.root == f"{name}.core"


def test_missing_file_names_the_folder(tmp_path):
    with pytest.raises(ProjectError) as caught:
        load_config(tmp_path)
    assert "no dazzle.toml" in caught.value.render()
    assert str(tmp_path) in caught.value.render()


def test_invalid_toml_has_its_line(tmp_path):
    err = config_error(tmp_path, '[project]\nname = "x"\nversion = \n')
    [d] = err.diagnostics
    assert d.loc.file == "dazzle.toml" and d.loc.line == 3
    assert "invalid TOML" in d.message


def test_non_utf8_toml(tmp_path):
    (tmp_path / "dazzle.toml").write_bytes(b'[project]\nname = "caf\xe9"\n')
    with pytest.raises(ProjectError) as caught:
        load_config(tmp_path)
    assert "not valid UTF-8" in caught.value.render() and "line 2" in caught.value.render()


def test_unknown_table_with_did_you_mean(tmp_path):
    err = config_error(tmp_path, '[project]\nname = "x"\n\n[bulid]\noutput = "o"\n')
    [d] = err.diagnostics
    assert "unknown table `[bulid]`" in d.message and "did you mean `build`?" in d.message
    assert d.loc.line == 4


def test_unknown_key_with_did_you_mean(tmp_path):
    err = config_error(tmp_path, '[project]\nname = "x"\nverison = "1"\n')
    [d] = err.diagnostics
    assert "unknown key `verison` in [project]" in d.message and "did you mean `version`?" in d.message
    assert (d.loc.line, d.loc.column) == (3, 1)
    assert "dazzle.toml" in err.render()


def test_wrong_value_types_are_all_reported(tmp_path):
    err = config_error(
        tmp_path, '[project]\nname = 3\n[modules]\npaths = "dsl"\n[build]\nlogin_required = "yes"\n'
    )
    messages = [(d.loc.line, d.message) for d in err.diagnostics]
    assert (
        messages[0][0] == 2
        and "[project] name in dazzle.toml must be a string, not an integer" in messages[0][1]
    )
    assert messages[1][0] == 4 and "must be a list of strings" in messages[1][1]
    assert messages[2][0] == 6 and "must be true or false" in messages[2][1]


def test_unknown_stack(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "available_stacks", lambda: ["django"])
    err = config_error(tmp_path, '[build]\nstack = ["djano"]\n')
    [d] = err.diagnostics
    assert "unknown stack `djano`" in d.message and "did you mean `django`?" in d.message
    assert d.loc.line == 2


def test_hook_names_are_checked_against_the_installed_hooks(tmp_path, monkeypatch):
    class FakeHook:
        def __init__(self, name):
            self.name = name

    monkeypatch.setattr(registry, "hooks", lambda: [FakeHook("format_code"), FakeHook("provision")])
    config = load_config(write(tmp_path, '[hooks]\ndisable = ["format_code"]\nenable = ["provision"]\n'))
    assert config.hooks.disable == ("format_code",) and config.hooks.enable == ("provision",)
    err = config_error(tmp_path, '[hooks]\ndisable = ["format_cod"]\n')
    assert "unknown hook `format_cod`" in err.diagnostics[0].message
    assert "did you mean `format_code`?" in err.diagnostics[0].message


def test_no_hooks_installed_accepts_no_hook_name(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "hooks", list)
    err = config_error(tmp_path, '[hooks]\nenable = ["provision"]\n')
    assert "unknown hook `provision`" in err.diagnostics[0].message


def test_dsl_files_sorted_with_module_names(tmp_path):
    write(tmp_path, "")
    for rel in ("dsl/zeta.dsl", "dsl/billing/tax.dsl", "dsl/app.dsl", "dsl/notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    files = dsl_files(tmp_path, load_config(tmp_path))
    assert files == [("dsl/app.dsl", "app"), ("dsl/billing/tax.dsl", "billing.tax"), ("dsl/zeta.dsl", "zeta")]


def test_dsl_files_from_several_folders(tmp_path):
    write(tmp_path, '[modules]\npaths = ["b", "./a"]\n')
    for rel in ("a/one.dsl", "b/two.dsl"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    assert dsl_files(tmp_path, load_config(tmp_path)) == [("a/one.dsl", "one"), ("b/two.dsl", "two")]


def test_missing_paths_folder_is_named(tmp_path):
    write(tmp_path, '[project]\nname = "x"\n[modules]\npaths = ["./spec"]\n')
    with pytest.raises(ProjectError) as caught:
        dsl_files(tmp_path, load_config(tmp_path))
    [d] = caught.value.diagnostics
    assert "`./spec`" in d.message and "does not exist" in d.message
    assert d.loc.line == 4
