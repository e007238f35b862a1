"""The Django dev server's decisions (``hooks/django/dev.py``), without starting Django: which
changed output files restart the server or migrate the database, and which settings module
``manage.py`` names. Running it is ``tests/e2e/test_dev_browser.py``."""

from __future__ import annotations

import pytest

from dazzle.plugins import DevError
from hooks.django.dev import base_settings, is_migration, restarts


@pytest.mark.parametrize(
    "path, restart",
    [
        ("helpdesk/models.py", True),
        ("helpdesk/views_extra.py", True),
        ("config/settings.py", True),
        (".env", True),
        ("requirements.txt", True),
        ("helpdesk/tests/test_pages.py", False),  # only `manage.py test` imports the tests
        ("helpdesk/test_mine.py", False),
        ("helpdesk/templates/helpdesk/case_list.html", False),  # read afresh on every request
        ("static/site.css", False),
    ],
)
def test_what_restarts_the_server(path, restart):
    assert restarts(path) is restart


def test_migrations_are_the_python_files_of_a_migrations_folder():
    assert is_migration("helpdesk/migrations/0002_case_channel.py")
    assert not is_migration("helpdesk/migration_operations.py")
    assert not is_migration("helpdesk/migrations/README.md")


def test_the_settings_module_is_the_one_manage_py_names(tmp_path):
    (tmp_path / "manage.py").write_text(
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n'
    )
    assert base_settings(tmp_path) == "config.settings"
    (tmp_path / "manage.py").write_text("print('no Django here')\n")
    with pytest.raises(DevError, match="names no settings module"):
        base_settings(tmp_path)
