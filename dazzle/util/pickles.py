"""Pickling of what crosses a task boundary (parsed modules, the IR, artifacts): one place, so
the build engine and ``dazzle.testing`` pickle the same way.

``dumps`` uses the C pickler when it can (several times faster on a big IR) and cloudpickle for
what it cannot pickle (lambdas, classes defined in functions); ``loads`` reads both.
"""

from __future__ import annotations

import pickle
from typing import Any

import cloudpickle


def dumps(payload: Any) -> bytes:
    try:
        return pickle.dumps(payload, protocol=5)
    except (pickle.PicklingError, AttributeError, TypeError):
        return cloudpickle.dumps(payload, protocol=5)


def loads(data: bytes) -> Any:
    return cloudpickle.loads(data)
