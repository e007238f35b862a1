"""Pickles (cloudpickle-compatible) that cross task boundaries (parsed modules, the linked IR, generator and hook
artifacts), each inside a versioned envelope.

File layout: a magic line, one JSON header line (format version, dazzle version, producer,
payload length and sha256), then the pickled payload (``dazzle.util.pickles``). The header is
checked before the payload is unpickled, so an envelope from another version, a truncated file
or a corrupt one raises ``StaleArtifact`` — the caller rebuilds it — and never crashes a
consumer.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from dazzle import __version__
from dazzle.util.files import read_bytes, sha256, write_atomic
from dazzle.util.pickles import dumps, loads

MAGIC = b"DAZZLE-ENVELOPE\n"
FORMAT_VERSION = 1


class StaleArtifact(Exception):
    """The pickle is missing, from another version, truncated or corrupt: rebuild it."""


def encode(producer: str, payload: Any) -> bytes:
    body = dumps(payload)
    header = {
        "format": FORMAT_VERSION,
        "dazzle": __version__,
        "producer": producer,
        "length": len(body),
        "sha256": sha256(body),
    }
    return MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + body


def write(path: Path, producer: str, payload: Any) -> bool:
    """Write the envelope (skipped when the bytes are unchanged). True if written."""
    return write_atomic(path, encode(producer, payload))


def read(path: Path, producer: str | None = None) -> Any:
    data = read_bytes(path)
    if data is None:
        raise StaleArtifact(f"{path} is missing")
    if not data.startswith(MAGIC):
        raise StaleArtifact(f"{path} is not a dazzle envelope")
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        raise StaleArtifact(f"{path} is truncated")
    try:
        header = json.loads(data[len(MAGIC) : end])
    except ValueError as exc:
        raise StaleArtifact(f"{path} has a corrupt header") from exc
    if not isinstance(header, dict):
        raise StaleArtifact(f"{path} has a corrupt header")
    if header.get("format") != FORMAT_VERSION or header.get("dazzle") != __version__:
        raise StaleArtifact(f"{path} was written by another version")
    if producer is not None and header.get("producer") != producer:
        raise StaleArtifact(f"{path} was written by {header.get('producer')!r}, not {producer!r}")
    body = data[end + 1 :]
    if len(body) != header.get("length") or sha256(body) != header.get("sha256"):
        raise StaleArtifact(f"{path} is truncated or corrupt")
    try:
        return loads(body)
    except Exception as exc:  # e.g. a class that no longer exists
        raise StaleArtifact(f"{path} cannot be unpickled: {exc}") from exc


# ---------------------------------------------------------------- pydantic models (the IR)


def _plain(value: Any) -> Any:
    """A pydantic model as nested dicts of *every* field, source locations included (which
    ``model_dump`` leaves out): pickling plain data is several times faster than pickling the
    models, and ``model_validate`` rebuilds them just as fast."""
    if isinstance(value, BaseModel):
        return {name: _plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def write_model(path: Path, producer: str, model: BaseModel) -> bool:
    kind = type(model)
    return write(path, producer, {"model": f"{kind.__module__}:{kind.__qualname__}", "data": _plain(model)})


def read_model(path: Path, producer: str | None = None) -> BaseModel:
    payload = read(path, producer)
    try:
        module, name = payload["model"].split(":")
        kind = getattr(importlib.import_module(module), name)
        return kind.model_validate(payload["data"])
    except Exception as exc:  # a renamed class, a changed field: rebuild it
        raise StaleArtifact(f"{path} no longer matches its model: {exc}") from exc
