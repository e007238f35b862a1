"""The generated apps on PostgreSQL 15, the database they will meet in production.

SQLite, the embedded default, neither enforces string lengths nor some constraints, so each
example is built, migrated into a fresh PostgreSQL database through ``DATABASE_URL`` (and
``psycopg``, the generated app's optional requirement), and its own test suite is run there;
Django's test runner makes and drops its own test database, so the role needs CREATEDB.

The server comes from ``DAZZLE_TEST_DATABASE_URL`` (``postgres://user:password@host:port/db``;
``.ci/run`` starts a throwaway one). Without it the tests are skipped, or fail under
``DAZZLE_REQUIRE_E2E``.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.e2e.generated_app import app_env, build_example, manage, unavailable

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

URL_ENV = "DAZZLE_TEST_DATABASE_URL"
MIN_SERVER_VERSION = 150000  # PostgreSQL 15


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(":" + parts.password + "@", ":***@")))


@pytest.fixture(scope="module")
def server_url() -> str:
    url = os.environ.get(URL_ENV, "").strip()
    if not url:
        unavailable(
            f"no PostgreSQL server: set {URL_ENV}=postgres://user:password@127.0.0.1:5432/db "
            "(a role with CREATEDB; .ci/run starts a throwaway one)"
        )
    try:
        import psycopg
    except ImportError:
        unavailable("the psycopg package is not installed (pip install 'psycopg[binary]')")
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            version = connection.info.server_version
    except psycopg.Error as exc:
        unavailable(f"cannot connect to PostgreSQL at {redacted(url)}: {exc}")
    if version < MIN_SERVER_VERSION:
        unavailable(f"PostgreSQL at {redacted(url)} is version {version}; these tests need 15 or newer")
    return url


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """``built(example)``: the example's output folder, built once for the module."""
    outputs: dict[str, Path] = {}

    def build(example: str) -> Path:
        if example not in outputs:
            outputs[example] = build_example(example, tmp_path_factory.mktemp(example))
        return outputs[example]

    return build


@pytest.fixture
def fresh_database(server_url):
    """A new, empty database on the server for one test, dropped afterwards; its URL."""
    import psycopg
    from psycopg import sql

    name = f"dazzle_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def app_tables(url: str, app: str) -> set[str]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_name LIKE %s",
            (app + "\\_%",),
        ).fetchall()
    return {row[0] for row in rows}


@pytest.mark.parametrize(
    ("example", "tables"),
    [
        ("todo", {"todo_item"}),
        ("helpdesk", {"helpdesk_customer", "helpdesk_case", "helpdesk_reply", "helpdesk_agent"}),
        ("invoicing", {"invoicing_client", "invoicing_invoice", "invoicing_payment"}),
    ],
)
def test_the_generated_app_migrates_and_passes_its_tests_on_postgresql(
    example, tables, fresh_database, built
):
    out = built(example)
    env = app_env(DATABASE_URL=fresh_database)
    manage(out, "migrate", "--no-input", env=env)
    assert tables <= app_tables(fresh_database, example)
    output = manage(out, "test", "--no-input", env=env, timeout=600)
    assert re.search(r"^OK\b", output, re.MULTILINE) and "FAILED" not in output, output


def test_postgresql_enforces_what_sqlite_lets_through(fresh_database, built):
    """The reason for the real database: a string over its declared length, written past the
    forms, is stored by SQLite but refused by PostgreSQL."""
    out = built("helpdesk")
    probe = (
        "from django.db import DataError\n"
        "from helpdesk.models import Customer\n"
        "try:\n"
        "    Customer.objects.create(company='x' * 201)\n"
        "except DataError:\n"
        "    print('refused')\n"
        "else:\n"
        "    print('stored')\n"
    )
    outcomes = {}
    for database in ("sqlite:///length-probe.sqlite3", fresh_database):
        env = app_env(DATABASE_URL=database)
        manage(out, "migrate", "--no-input", env=env)
        outcomes[urlsplit(database).scheme] = manage(out, "shell", "-c", probe, env=env).split()[-1]
    assert outcomes == {"sqlite": "stored", "postgres": "refused"}
