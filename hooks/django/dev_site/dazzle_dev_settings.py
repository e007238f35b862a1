"""The settings ``dazzle dev`` runs the app with (copied into ``.dazzle/dev/django/``, never into
the output folder): the project's own settings (``DAZZLE_DEV_BASE_SETTINGS``), then

- ``dazzle_dev_live.LiveReload`` first among the middleware: open pages reload after a build;
- templates read afresh on every request (no cached loader): a rebuilt page shows without a
  restart of the server.
"""

import os
from importlib import import_module

_base = import_module(os.environ["DAZZLE_DEV_BASE_SETTINGS"])
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

MIDDLEWARE = ["dazzle_dev_live.LiveReload", *MIDDLEWARE]  # noqa: F821 (from the project's settings)

for _engine in TEMPLATES:  # noqa: F821
    if _engine["BACKEND"].endswith("DjangoTemplates") and "loaders" not in _engine.get("OPTIONS", {}):
        _loaders = ["django.template.loaders.filesystem.Loader"]
        if _engine.get("APP_DIRS"):
            _loaders.append("django.template.loaders.app_directories.Loader")
        _engine["APP_DIRS"] = False
        _engine.setdefault("OPTIONS", {})["loaders"] = _loaders
