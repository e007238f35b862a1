"""What Python, the standard library, the generated app's packages and Django already use: the
names ``naming`` keeps the generated names away from.

Plain data, frozen here rather than read from the running interpreter, so that a build gives
the same names on every Python and with whatever else happens to be installed.
"""

from __future__ import annotations

import builtins
import keyword

# The top-level modules of the standard library of Python 3.10 to 3.14 (``sys.stdlib_module_names``
# without the private ones), plus ``test``, which that list leaves out. An app package of one of
# these names would shadow it for everything the app imports.
STDLIB_MODULES = frozenset(
    """
    abc aifc annotationlib antigravity argparse array ast asynchat asyncio asyncore atexit audioop
    base64 bdb binascii binhex bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code
    codecs codeop collections colorsys compileall compression concurrent configparser contextlib
    contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis
    distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput
    fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip
    hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools
    json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap
    modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode
    operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib
    poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat
    queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select
    selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3
    sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess
    sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios test textwrap
    this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle
    turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref
    webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo
    """.split()
)

# Import names of the packages the generated app installs (requirements*.txt) and of what they
# depend on, and of the tools that put them there.
INSTALLED_PACKAGES = frozenset(
    """
    django asgiref sqlparse tzdata gunicorn packaging whitenoise psycopg psycopg_binary psycopg_c
    psycopg_pool typing_extensions pip setuptools pkg_resources wheel _distutils_hack
    django_filters rest_framework drf_spectacular drf_spectacular_sidecar yaml uritemplate
    jsonschema jsonschema_specifications referencing rpds attrs inflection
    """.split()
)

# Labels of the apps the generated settings install: a second app with one of them is an error.
DJANGO_APP_LABELS = frozenset(
    {
        "admin",
        "auth",
        "contenttypes",
        "sessions",
        "messages",
        "staticfiles",
        "runserver_nostatic",
        "whitenoise",
    }
)

# Folders and modules next to the app package in the output folder.
PROJECT_NAMES = frozenset(
    {"config", "manage", "static", "staticfiles", "templates", "media", "specs", "migrations", "tests"}
)

# The admin's own paths below ``admin/``: an app label of one of these names would have its
# admin pages under a path the admin routes elsewhere first (``admin/r/...`` is "view on site").
ADMIN_PATHS = frozenset({"r", "login", "logout", "password_change", "autocomplete", "jsi18n"})

APP_PACKAGE_RESERVED = STDLIB_MODULES | INSTALLED_PACKAGES | DJANGO_APP_LABELS | PROJECT_NAMES | ADMIN_PATHS
"""Names an app package must not take."""

PYTHON_NAMES = frozenset(keyword.kwlist) | frozenset(dir(builtins))

# Attributes of ``django.db.models.Model`` (Django 5.2) and what a model class body names: a field
# of one of these names would hide them.
MODEL_ATTRIBUTES = frozenset(
    """
    pk objects save delete clean check full_clean clean_fields Meta DoesNotExist
    MultipleObjectsReturned refresh_from_db validate_unique validate_constraints serializable_value
    get_deferred_fields from_db save_base get_absolute_url unique_error_message date_error_message
    prepare_database_save adelete asave arefresh_from_db get_constraints _meta _state
    """.split()
)
# What Django's user model (``auth.User``, and what ``AbstractUser`` gives a custom one) holds
# already: the reverse name of a ``user`` field must be none of these.
USER_MODEL_ATTRIBUTES = MODEL_ATTRIBUTES | frozenset(
    """
    id username password first_name last_name email is_staff is_active is_superuser last_login
    date_joined groups user_permissions logentry logentry_set get_username get_full_name
    get_short_name has_perm has_perms has_module_perms get_all_permissions get_group_permissions
    get_user_permissions is_anonymous is_authenticated set_password check_password natural_key
    email_user set_unusable_password has_usable_password
    """.split()
)
# Keyword arguments of the model and queryset methods that take field values as keywords
# (``Model(**values)``, ``objects.create(**values)``, ``update_or_create(defaults=...)``).
FIELD_KEYWORD_CLASHES = frozenset({"self", "cls", "defaults", "create_defaults"})
# Modules that generated class bodies read (``models.CharField``, ``forms.DateInput``,
# ``decimal.Decimal``, ``uuid.uuid4``): a field of that name would shadow them there.
CLASS_BODY_MODULES = frozenset({"models", "forms", "decimal", "uuid"})

FIELD_RESERVED = MODEL_ATTRIBUTES | FIELD_KEYWORD_CLASHES | CLASS_BODY_MODULES
"""Names a model attribute must not take (besides Python keywords)."""

MODELS_MODULE = frozenset({"models", "decimal", "uuid", "super"})
"""Module-level names of models.py other than the models and choices classes."""
FORMS_MODULE = frozenset({"forms", "models"})
VIEWS_MODULE = frozenset(
    """
    messages Q deletion redirect reverse reverse_lazy capfirst generic flows forms integrations
    models lists access mixin NoMixin HomeView SavedMessageMixin ProtectedDeleteMixin
    """.split()
)
SERVICES_MODULE = frozenset(
    """
    BASE_DIR SPECS_DIR USER_AGENT BODY_METHODS HTTP_METHODS timeout_seconds ServiceError
    ServiceClient text_value CLIENTS
    """.split()
)
FOREIGN_MODULE = frozenset(
    """
    LIST_KEYS ForeignRecordError parse_datetime parse_bool CONVERTERS ForeignRecord items_of
    records dataclasses datetime decimal ServiceError services
    """.split()
)

# Variables the generated views' templates read from their context: a detail or form page
# would put its record under the model's own name (``user``, ``form``...) and hide them.
TEMPLATE_CONTEXT = frozenset(
    """
    user request perms messages form view csrf_token debug sql_queries page_obj paginator
    is_paginated object_list object query results action_results flow step
    DEFAULT_MESSAGE_LEVELS LANGUAGES LANGUAGE_CODE LANGUAGE_BIDI TIME_ZONE
    """.split()
)

# First path segments of the site that the app's pages must leave alone.
SITE_SEGMENTS = frozenset({"admin", "accounts", "static", "media"})

# URL names of the sign-in pages (``django.contrib.auth.urls``).
AUTH_URL_NAMES = frozenset(
    """
    login logout password_change password_change_done password_reset password_reset_done
    password_reset_confirm password_reset_complete
    """.split()
)

# Django's limits: a model name (``contenttypes.E005``: 100; permission codenames such as
# ``delete_<model>``, ``auth.E011``: 100 in all), a verbose name (``auth.E007``: the permission
# name ``Can delete <verbose name>`` is at most 255 characters), an app label (a
# ``ContentType.app_label`` of at most 100 characters).
MODEL_NAME_MAX = 93
VERBOSE_NAME_MAX = 244
APP_LABEL_MAX = 60

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
POSTGRES_VARCHAR_MAX = 10_485_760
POSTGRES_NUMERIC_MAX = 1000
