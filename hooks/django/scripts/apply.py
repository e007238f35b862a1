"""Apply the migrations, then create the admin superuser unless that user exists (idempotent).

Run with the generated project's interpreter: ``python apply.py PROJECT_DIR``. The login comes
in the environment (``DAZZLE_ADMIN_USERNAME``, ``DAZZLE_ADMIN_PASSWORD``, ``DAZZLE_ADMIN_EMAIL``),
never on the command line where other users could read it; without it no user is created.
Prints one JSON object: ``applied`` (migration names) and ``superuser`` (``created``,
``exists`` or null). One process for both steps: each start of Django costs a second.
Only Django and the standard library are imported.
"""

import io
import json
import os
import sys


def main(project_dir):
    sys.path[0] = project_dir
    os.chdir(project_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    log = io.StringIO()
    call_command("migrate", interactive=False, stdout=log)
    applied = [
        line.split()[1].rstrip(".")
        for line in log.getvalue().splitlines()
        if line.strip().startswith("Applying ")
    ]

    username = os.environ.get("DAZZLE_ADMIN_USERNAME")
    if not username:
        return {"applied": applied, "superuser": None}
    user_model = get_user_model()
    users = user_model._default_manager
    if users.filter(**{user_model.USERNAME_FIELD: username}).exists():
        return {"applied": applied, "superuser": "exists"}
    users.create_superuser(
        **{user_model.USERNAME_FIELD: username},
        email=os.environ.get("DAZZLE_ADMIN_EMAIL", ""),
        password=os.environ["DAZZLE_ADMIN_PASSWORD"],
    )
    return {"applied": applied, "superuser": "created"}


if __name__ == "__main__":
    print(json.dumps(main(os.path.abspath(sys.argv[1]))))
