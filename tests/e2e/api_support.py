"""Schemathesis against a generated project's REST API, in that project's own process: run as
a script, ``python api_support.py REQUEST.json``, in the project folder (by
``test_api_schemathesis.py``: each generated project is its own Django, one to a process).

The app is called in process through its WSGI handler (``schemathesis.openapi.from_wsgi``): no
server, no port. The script loads the app's own document (``/api/schema/``), seeds rows with the
project's generated ``make_<entity>()`` helpers, asks ``POST /api/token/`` for the superuser's
token (that answer is checked against the document too), then, as the superuser and again
without credentials:

- fuzzes every operation, with valid data and with invalid data (``GenerationMode``); half the
  cases carry seeded keys in the path and, with valid data, in the body's references (a random
  key is only ever "not found", a random reference only ever a 400);
- runs schemathesis's stateful test: links inferred from the document create a record, then
  read, change and delete it.

Every response is held to ``CHECKS``. Every request (every stateful scenario) runs in a
transaction rolled back after it, so each meets the database as seeded, and Hypothesis draws
the same cases each run (fixed seeds, no example database): the run cannot flake. Each distinct
failure (who, operation, check, status) is reported once, with how many requests had it, its
request, its response and the server's traceback of a 500. The report (JSON) goes to the file
the request names; see ``main``.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import os
import sys
import traceback
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import hypothesis
from hypothesis import strategies as st

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
"""What every response is held to: no 5xx, a documented status, its documented content type, a
body that matches the documented schema."""
SCHEMA_PATH = "/api/schema/"
TOKEN_PATH = "/api/token/"
SHOWN = 1500  # characters of a request or response body in the report


class Run:
    """What a run found: failures by (who, operation, check, status), the statuses each
    operation answered, and the traceback of the request under way if the app raised."""

    def __init__(self, token: str = "") -> None:
        self.failures: dict[str, dict] = {}
        self.statuses: dict[str, Counter] = {}
        self.token = token
        self.server_error: str | None = None
        self.no_cases: list[str] = []  # "who mode operation" where no case of the mode exists

    def calling(self) -> None:
        self.server_error = None

    def answered(self, who: str, label: str, status: int) -> None:
        self.statuses.setdefault(f"{who} {label}", Counter())[str(status)] += 1

    def failed(self, who: str, phase: str, case, response, failure: BaseException) -> None:
        title = getattr(failure, "title", None) or type(failure).__name__
        status = response.status_code if response is not None else None
        key = f"{who} | {case.operation.label} | {title} | {status}"
        if key in self.failures:
            self.failures[key]["count"] += 1
            return
        message = getattr(failure, "message", None) or "".join(traceback.format_exception(failure))
        self.failures[key] = {
            "who": who,
            "phase": phase,
            "operation": case.operation.label,
            "check": title,
            "message": message,
            "request": self.request_of(case, response),
            "response": response_of(response),
            "server_traceback": self.server_error,
            "count": 1,
        }

    def request_of(self, case, response) -> dict:
        if response is None:  # not sent: what the case holds
            return {
                "method": case.method,
                "url": case.formatted_path,
                "query": case.query,
                "body": shown(case.body),
            }
        sent = response.request
        body = sent.body.decode(errors="replace") if isinstance(sent.body, bytes) else sent.body
        headers = {name: value.replace(self.token, "<token>") for name, value in sent.headers.items()}
        return {"method": sent.method, "url": sent.url, "headers": headers, "body": shown(body)}

    def report(self) -> dict:
        return {
            "failures": list(self.failures.values()),
            "statuses": {
                label: dict(sorted(counts.items())) for label, counts in sorted(self.statuses.items())
            },
            "no_cases": self.no_cases,
        }


def shown(data: Any) -> str:
    text = data if isinstance(data, str) else repr(data)
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}... ({len(text) - SHOWN} more characters)"


def response_of(response) -> dict | None:
    if response is None:
        return None
    return {
        "status": response.status_code,
        "content_type": ", ".join(response.headers.get("content-type", [])),
        "body": shown(response.content.decode(errors="replace")),
    }


# ---- the project


def start_django(project: Path):
    """Django for the project in ``project`` (its settings, its database); its WSGI handler."""
    sys.path.insert(0, str(project))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    handler = get_wsgi_application()
    # As Django's test client does: a request must not close the connection, whose transaction
    # (rolled back after the request) holds what the request did.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    return handler


def keep_server_errors(run: Run) -> None:
    """Keep the traceback of an exception the app does not handle (a 500) in ``run``."""
    from django.core.signals import got_request_exception

    def caught(sender, **kwargs):
        run.server_error = traceback.format_exc()

    got_request_exception.connect(caught, weak=False)


def seed(project: Path) -> dict[type, list]:
    """Rows of every entity, made by the project's ``make_<entity>()`` helpers (each twice, in
    the order the helpers are written): model → the keys of its rows in the order they were
    made (a run draws a key's place, the same each run, not its value)."""
    from django.apps import apps
    from django.db.models.signals import post_save

    [app] = [a for a in apps.get_app_configs() if Path(a.path).parent == project]
    support = importlib.import_module(f"{app.name}.tests.support")
    makers = [f for name, f in vars(support).items() if name.startswith("make_") and inspect.isfunction(f)]
    assert makers, f"{support.__name__} has no make_<entity>() helpers"
    made: dict[type, list] = {}

    def record(sender, instance, created, **kwargs):
        if created:
            made.setdefault(sender, []).append(instance.pk)

    post_save.connect(record, weak=False)
    try:
        for make in makers * 2:
            make()
    finally:
        post_save.disconnect(record)
    return made


def as_json(value):
    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@contextlib.contextmanager
def rolled_back():
    """A transaction for the block, rolled back after it."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def endpoint(operation):
    """(the generated viewset, its action) that serve a documented operation; None for another
    view (the token's)."""
    from django.urls import Resolver404, resolve

    path = operation.path
    for parameter in operation.path_parameters:
        path = path.replace("{" + parameter.name + "}", "0")
    try:
        match = resolve(path)
    except Resolver404:
        return None
    viewset = getattr(match.func, "cls", None)
    action = (getattr(match.func, "actions", None) or {}).get(operation.method.lower())
    if action is None or getattr(viewset, "model", None) is None:
        return None
    return viewset, action


def references(viewset, action: str) -> dict[str, tuple[type, bool]]:
    """The writable fields of ``action``'s serializer that refer to records: name → (the model
    they refer to, many)."""
    from rest_framework import serializers

    serializer_class = viewset.action_serializers.get(action)
    if serializer_class is None or action not in ("create", "partial_update"):
        return {}
    found = {}
    for name, field in serializer_class().get_fields().items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField) and field.child_relation.queryset is not None:
            found[name] = (field.child_relation.queryset.model, True)
        elif isinstance(field, serializers.PrimaryKeyRelatedField) and field.queryset is not None:
            found[name] = (field.queryset.model, False)
    return found


def with_seeded_keys(operation, strategy, made, bodies: bool):
    """``strategy``, or (half the time) its cases with seeded keys in the path parameter and, if
    ``bodies``, in the body's references."""
    served = endpoint(operation)
    if served is None:
        return strategy
    viewset, action = served
    names = [p.name for p in operation.path_parameters]
    path_keys = [as_json(k) for k in made.get(viewset.model, [])] if names else []
    fields = references(viewset, action) if bodies else {}
    refs = {name: [as_json(k) for k in made.get(model, [])] for name, (model, _many) in fields.items()}
    refs = {name: keys for name, keys in refs.items() if keys}
    if not path_keys and not refs:
        return strategy

    def filled(case, path_key, ref_keys):
        if path_keys:
            case.path_parameters = {**(case.path_parameters or {}), names[0]: path_key}
        if ref_keys and isinstance(case.body, dict):
            case.body = {**case.body, **{n: [k] if fields[n][1] else k for n, k in ref_keys.items()}}
        return case

    seeded = st.builds(
        filled,
        strategy,
        st.sampled_from(path_keys) if path_keys else st.none(),
        st.fixed_dictionaries({name: st.sampled_from(keys) for name, keys in refs.items()}),
    )
    return st.one_of(strategy, seeded)


# ---- the runs


def fuzz(schema, who: str, headers: dict, made, run: Run, settings, checks, mode) -> None:
    """Every operation, ``settings.max_examples`` cases of ``mode``."""
    from schemathesis import GenerationMode
    from schemathesis.core.failures import FailureGroup
    from schemathesis.core.result import Ok

    phase = f"fuzzing, {mode.value} data"
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            raise result.err()
        operation = result.ok()
        strategy = operation.as_strategy(generation_mode=mode)
        strategy = with_seeded_keys(operation, strategy, made, bodies=mode is GenerationMode.POSITIVE)

        # A seed of its own (fixed: the run is the same each time) to each operation, person and mode.
        @hypothesis.seed(zlib.crc32(f"{who} {mode.value} {operation.label}".encode()))
        @settings
        @hypothesis.given(case=strategy)
        def example(case):
            response = None
            run.calling()
            with rolled_back():
                try:
                    response = case.call(headers=headers)
                    run.answered(who, case.operation.label, response.status_code)
                    case.validate_response(response, checks=checks, headers=headers)
                except FailureGroup as group:
                    for failure in group.exceptions:
                        run.failed(who, phase, case, response, failure)
                except Exception as exc:  # the call or a check broke: a failure too
                    run.failed(who, phase, case, response, exc)

        try:
            example()
        except hypothesis.errors.Unsatisfiable:
            # Invalid data only: an operation whose every input is a plain string in its path
            # (``GET /api/books/{isbn}/``) has no invalid request to send. Anything else is a
            # broken run.
            if mode is not GenerationMode.NEGATIVE or operation.body or operation.query:
                raise
            run.no_cases.append(f"{who} {mode.value} {operation.label}")


def stateful(schema, who: str, headers: dict, run: Run, settings, checks) -> None:
    """Schemathesis's state machine over the document's inferred links."""
    from django.db import transaction
    from schemathesis.core.errors import NoLinksFound
    from schemathesis.core.failures import FailureGroup

    class Machine(schema.as_state_machine()):
        def setup(self):
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def before_call(self, case):
            run.calling()

        def after_call(self, response, case):
            super().after_call(response, case)
            run.answered(who, f"{case.operation.label} (stateful)", response.status_code)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    run.failed(who, "stateful", case, response, failure)

    try:
        Machine.run(settings=settings)
    except NoLinksFound:  # no operation's answer feeds another: nothing to chain
        return


def get_token(schema, run: Run, checks, username: str, password: str) -> str:
    """The superuser's token, from ``POST /api/token/``; its answer checked too."""
    from schemathesis.core.failures import FailureGroup

    case = schema[TOKEN_PATH]["POST"].Case(
        body={"username": username, "password": password}, media_type="application/json"
    )
    response = case.call()
    run.answered("superuser", case.operation.label, response.status_code)
    try:
        case.validate_response(response, checks=checks)
    except FailureGroup as group:
        for failure in group.exceptions:
            run.failed("superuser", "token", case, response, failure)
    assert response.status_code == 200, f"POST {TOKEN_PATH}: {response.status_code} {response.text}"
    return response.json()["token"]


def main(request_file: str) -> None:
    """``REQUEST.json``: ``username`` and ``password`` (the superuser's), ``max_examples`` (cases of
    each mode for each operation and person), ``scenarios`` and ``steps`` (of the stateful test),
    ``report`` (where the report goes: ``failures``, and ``statuses``, per person and operation
    the statuses answered and how often)."""
    request = json.loads(Path(request_file).read_text())
    project = Path.cwd().resolve()
    handler = start_django(project)

    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis import checks as builtin_checks

    checks = [getattr(builtin_checks, name) for name in CHECKS]
    run = Run()
    keep_server_errors(run)
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, handler, config=schemathesis.Config())
    made = seed(project)
    run.token = get_token(schema, run, checks, request["username"], request["password"])

    settings = hypothesis.settings(
        max_examples=request["max_examples"],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],  # a failure is kept, not shrunk
        suppress_health_check=list(hypothesis.HealthCheck),
        print_blob=False,
    )
    scenarios = hypothesis.settings(
        settings, max_examples=request["scenarios"], stateful_step_count=request["steps"]
    )
    for who, headers in (("superuser", {"Authorization": f"Token {run.token}"}), ("anonymous", {})):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(schema, who, headers, made, run, settings, checks, mode)
        stateful(schema, who, headers, run, scenarios, checks)
    Path(request["report"]).write_text(json.dumps(run.report(), indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
