"""Count the stored values that changes would drop, in the project's own database.

Run with the project's interpreter, in the output folder as it is now (its settings, its
database — whatever ``DATABASE_URL``, ``.env`` or the user's settings point at):

    python datacheck.py PROJECT_DIR CHANGES_JSON

``CHANGES_JSON`` is ``makemigrations.py``'s ``data_loss`` list. Prints it back as JSON with
``rows`` filled in — for a removed field the rows holding a value, for a removed entity its
rows, for a new type the rows whose value it cannot hold (and an ``example``), for a removed
role the people in its group — or, when the database cannot be read,
``{"database_error": "..."}``. A table that does not exist yet (never migrated) holds nothing;
an SQLite database file that does not exist is not created.

Only Django and the standard library are imported: the interpreter need not have DAZZLE.
"""

import json
import os
import sys


def main(project_dir, changes):
    sys.path[0] = project_dir
    os.chdir(project_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "dazzle-datacheck-only")

    # Only the settings and a connection: raw SQL needs no app registry, and not loading the
    # app's models keeps this check quick on a big project.
    from django.db import DatabaseError, connection

    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3") and str(settings["NAME"]) != ":memory:":
        if not os.path.isfile(str(settings["NAME"])):
            return {"changes": [dict(c, rows=0) for c in changes]}

    def query(sql, params=None):
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        except DatabaseError as exc:
            text = str(exc).lower()
            if "no such table" in text or "does not exist" in text:
                return []  # never migrated: nothing is stored
            raise

    q = connection.ops.quote_name
    out = []
    for change in changes:
        table = q(change["table"])
        if change["change"] == "delete_model":
            rows = query(f"SELECT COUNT(*) FROM {table}")
            out.append(dict(change, rows=rows[0][0] if rows else 0))
            continue
        column = q(change["column"])
        if change["change"] == "remove_role":
            groups = f"SELECT {q(change['group_key'])} FROM {q(change['group_table'])}"
            where = f"{column} IN ({groups} WHERE {q(change['group_name'])} = %s)"
            rows = query(f"SELECT COUNT(*) FROM {table} WHERE {where}", [change["role"]])
            out.append(dict(change, rows=rows[0][0] if rows else 0))
            continue
        if change["change"] == "remove_field":
            blank = f" AND {column} <> ''" if change.get("text") else ""
            rows = query(f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL{blank}")
            out.append(dict(change, rows=rows[0][0] if rows else 0))
            continue
        holder = _holder(change["holder"])
        values = [v for (v,) in query(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")]
        lost = [v for v in values if not _keeps(holder, v)]
        out.append(dict(change, rows=len(lost), example=repr(lost[0]) if lost else None))
    return {"changes": out}


def _holder(spec):
    import importlib

    module, _, name = spec["class"].rpartition(".")
    field = getattr(importlib.import_module(module), name)(**spec["options"])
    field.set_attributes_from_name("value")
    return field


def _keeps(field, value):
    """Can ``field`` hold the stored ``value``?"""
    from django.core.exceptions import ValidationError
    from django.core.validators import DecimalValidator, MaxLengthValidator

    try:
        python = field.to_python(value)
        for validator in field.validators:
            if isinstance(validator, (MaxLengthValidator, DecimalValidator)):
                validator(python)
    except (ValidationError, TypeError, ValueError, ArithmeticError):
        return False
    return True


if __name__ == "__main__":
    project, changes_json = sys.argv[1:3]
    try:
        result = main(os.path.abspath(project), json.loads(changes_json))
    except Exception as exc:  # the database cannot be read: the caller must not assume it is empty
        result = {"database_error": f"{type(exc).__name__}: {exc}".strip()}
    print(json.dumps(result))
