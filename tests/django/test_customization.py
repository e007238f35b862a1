"""The places made for the user's own code: the ``customization`` generator's user-owned
skeletons (valid, ruff-clean, harmless as created, examples naming real pages), and the
generated code that picks them up — settings' last import, the root URLconf's first include,
the views' and forms' mixins looked up by name, the templates' first line."""

from __future__ import annotations

import ast
import subprocess

import pytest

from dazzle.testing import run_generator, run_stack
from generators.django import naming
from hooks.ruff import ruff_command
from tests.django.web_specs import edge_cases, every_type, helpdesk, surface

SKELETONS = [
    "config/settings_extra.py",
    "helpdesk/urls_extra.py",
    "helpdesk/views_extra.py",
    "helpdesk/mixins.py",
    "templates/README.md",
    "static/.gitkeep",
]


def customization(spec):
    return run_generator("django.customization", spec)


def stack_files(spec) -> dict[str, str]:
    return {path: data.decode() for run in run_stack(spec, "django") for path, data in run.data.items()}


def test_every_place_is_a_user_owned_file_named_by_naming():
    run = customization(helpdesk())
    assert sorted(run.files) == sorted(SKELETONS)
    assert all(f.user_owned and not f.executable for f in run.files.values())
    assert list(run.tasks) == ["generate:django:customization"]
    assert run.artifacts == {}
    assert f"{naming.PROJECT_PACKAGE}/{naming.SETTINGS_EXTRA_MODULE}.py" in run.files
    assert f"helpdesk/{naming.MIXINS_MODULE}.py" in run.files
    assert run.files["static/.gitkeep"].data == b""  # keeps the folder in git; ignored by collectstatic


def test_only_the_skeletons_are_user_owned():
    owned = {path for run in run_stack(helpdesk(), "django") for path, f in run.files.items() if f.user_owned}
    assert owned == set(SKELETONS)


@pytest.mark.parametrize(
    "spec", [helpdesk(), every_type(), edge_cases()], ids=["helpdesk", "every_type", "edge"]
)
def test_the_python_skeletons_are_harmless_as_created(spec):
    run = customization(spec)
    app = naming.app_package(spec.app.name)
    for path, f in run.files.items():
        if not path.endswith(".py"):
            continue
        namespace: dict = {"__name__": "skeleton", "__package__": None}
        exec(compile(f.content, path, "exec"), namespace)  # no imports: nothing to fail
        defined = {k for k in namespace if not k.startswith("__")}
        assert defined == ({"urlpatterns"} if path == f"{app}/urls_extra.py" else set()), path
        if "urlpatterns" in namespace:
            assert namespace["urlpatterns"] == []


RUFF = ruff_command()


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
def test_the_python_skeletons_are_ruff_clean_as_written(tmp_path):
    """The format hook never touches a user-owned file, so it must be written formatted."""
    for path, f in customization(helpdesk()).files.items():
        if path.endswith(".py"):
            target = tmp_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.content)
    for args in (("format", "--check", "--diff"), ("check", "--select", "E,F,W,I")):
        done = subprocess.run(
            [*RUFF, *args, "--isolated", "--no-cache", "--line-length", "100", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_examples_name_a_real_page_of_the_app():
    files = customization(helpdesk()).files
    mixins = files["helpdesk/mixins.py"].content
    assert "``CustomerListViewMixin`` into ``views.CustomerListView``" in mixins
    assert "# class CustomerListViewMixin:" in mixins and "# class CustomerCreateFormMixin:" in mixins
    assert (
        'path("customers/", views_extra.CustomerListView.as_view(), name="customer-list")'
        in files["helpdesk/urls_extra.py"].content
    )
    assert "class CustomerListView(views.CustomerListView):" in files["helpdesk/views_extra.py"].content
    readme = files["templates/README.md"].content
    assert (
        "`templates/helpdesk/customer_list.html` replaces `helpdesk/templates/helpdesk/customer_list.html`"
        in readme
    )


def test_without_a_list_page_the_examples_use_the_home_page():
    spec = helpdesk()
    spec = spec.model_copy(update={"surfaces": tuple(s for s in spec.surfaces if s.mode != "list")})
    files = customization(spec).files
    mixins = files["helpdesk/mixins.py"].content
    assert "# class HomeViewMixin:" in mixins and "FormMixin:" not in mixins
    assert 'path("", views_extra.HomeView.as_view(), name="home")' in files["helpdesk/urls_extra.py"].content
    assert "templates/helpdesk/home.html" in files["templates/README.md"].content


def test_the_settings_read_the_users_settings_last():
    settings = stack_files(helpdesk())["config/settings.py"]
    tail = settings.rstrip().splitlines()[-1]
    assert tail == "from .settings_extra import *  # noqa: E402, F403"
    assert '"DIRS": [BASE_DIR / "templates"]' in settings
    assert 'STATICFILES_DIRS = [BASE_DIR / "static"]' in settings
    assert "settings_extra.py" in ast.get_docstring(ast.parse(settings))


def test_the_root_urlconf_includes_the_users_urls_first():
    urls = ast.parse(stack_files(helpdesk())["config/urls.py"])
    patterns = next(
        n for n in urls.body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "urlpatterns"
    )
    routes = [ast.unparse(p) for p in patterns.value.elts]
    assert routes[0] == "path('', include('helpdesk.urls_extra'))"
    assert routes[-1] == "path('', include('helpdesk.urls'))"
    assert "urls_extra.py" in stack_files(helpdesk())["helpdesk/urls.py"].split('"""')[1]


def classes(source: str) -> dict[str, ast.ClassDef]:
    return {n.name: n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}


@pytest.mark.parametrize(
    "spec", [helpdesk(), every_type(), edge_cases()], ids=["helpdesk", "every_type", "edge"]
)
@pytest.mark.parametrize("module, suffix", [("views", "View"), ("forms", "Form")])
def test_every_generated_view_and_form_takes_the_users_mixin_of_its_name_first(spec, module, suffix):
    app = naming.app_package(spec.app.name)
    source = stack_files(spec)[f"{app}/{module}.py"]
    found = {name: node for name, node in classes(source).items() if name.endswith(suffix)}
    assert found, source
    for name, node in found.items():
        assert ast.unparse(node.bases[0]) == f"mixin('{name}Mixin')", name
    tree = ast.parse(source)
    assert any(
        isinstance(n, ast.ImportFrom) and n.level == 1 and "mixins" in [a.name for a in n.names]
        for n in tree.body
    )
    lookup = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "mixin")
    assert ast.unparse(lookup.body[-1]) == "return getattr(mixins, name, NoMixin)"
    assert "mixins.py" in ast.get_docstring(tree)


def test_the_custom_surfaces_views_take_mixins_too():
    spec = helpdesk()
    spec = spec.model_copy(
        update={"surfaces": spec.surfaces + (surface("contact", None, "custom", [("topic", "Topic")]),)}
    )
    files = stack_files(spec)
    assert (
        ast.unparse(classes(files["helpdesk/views.py"])["ContactView"].bases[0])
        == "mixin('ContactViewMixin')"
    )
    assert (
        ast.unparse(classes(files["helpdesk/forms.py"])["ContactForm"].bases[0])
        == "mixin('ContactFormMixin')"
    )


def test_the_mixin_lookup_falls_back_to_an_empty_class():
    """What views.py and forms.py do with a mixins module that defines one mixin and no other."""
    source = stack_files(helpdesk())["helpdesk/forms.py"]
    tree = ast.parse(source)
    helpers = [
        n
        for n in tree.body
        if isinstance(n, (ast.ClassDef, ast.FunctionDef)) and n.name in ("NoMixin", "mixin")
    ]
    namespace = {"mixins": type("mixins", (), {"CaseCreateFormMixin": type("Mine", (), {})})}
    exec(compile(ast.Module(body=helpers, type_ignores=[]), "forms.py", "exec"), namespace)
    assert namespace["mixin"]("CaseCreateFormMixin").__name__ == "Mine"
    assert namespace["mixin"]("AgentCreateFormMixin") is namespace["NoMixin"]


def test_forms_without_any_form_import_nothing():
    spec = helpdesk()
    spec = spec.model_copy(
        update={"surfaces": tuple(s for s in spec.surfaces if s.mode not in ("create", "edit"))}
    )
    source = stack_files(spec)["helpdesk/forms.py"]
    assert "import" not in source and "mixin" not in source


def test_every_template_says_where_the_users_version_goes():
    files = stack_files(helpdesk())
    templates = {p: t for p, t in files.items() if p.startswith("helpdesk/templates/")}
    assert "helpdesk/templates/helpdesk/case_list.html" in templates
    for path, text in templates.items():
        name = path.removeprefix("helpdesk/templates/")
        first = text.splitlines()[0]
        assert first == (
            f"{{# Generated by DAZZLE. To change it, write templates/{name} (see templates/README.md). #}}"
        ), path
    assert "{% block extra_head %}{% endblock %}" in templates["helpdesk/templates/helpdesk/base.html"]


def test_the_generated_readme_lists_the_places():
    readme = stack_files(helpdesk())["README.md"]
    section = readme.split("## Customize it", 1)[1].split("\n## ", 1)[0]
    for place in (
        "config/settings_extra.py",
        "helpdesk/urls_extra.py",
        "helpdesk/views_extra.py",
        "helpdesk/mixins.py",
        "templates/",
        "static/",
    ):
        assert f"`{place}`" in section, place
    assert "dazzle status" in section


def test_the_app_config_checks_for_mixins_that_apply_to_nothing():
    apps = stack_files(helpdesk())["helpdesk/apps.py"]
    tree = ast.parse(apps)
    config = classes(apps)["HelpdeskConfig"]
    ready = next(n for n in config.body if isinstance(n, ast.FunctionDef) and n.name == "ready")
    assert ast.unparse(ready.body) == "checks.register(check_mixins)"
    check = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "check_mixins")
    source = ast.unparse(check)
    assert "from . import forms, mixins, views" in source and "'helpdesk.W001'" in source
    assert "name.endswith(('ViewMixin', 'FormMixin'))" in source  # a helper base of yours is no warning
