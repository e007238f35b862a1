"""A fake external service for the integration tests: an OpenAPI document and its operations
served on a loopback port by a ``ThreadingHTTPServer`` in a daemon thread, counting calls.

It plays both services of the ``invoicing`` example: the VAT registry (``/openapi.json``,
``/vat/records/{vrn}``, API key in ``X-Api-Key``) and the bank feed (``/bank/payments`` in pages,
a bearer token from ``/token`` by client credentials).
"""

from __future__ import annotations

import dataclasses
import json
import threading
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "vat-key-1"
CLIENT_ID, CLIENT_SECRET, TOKEN = "bank-client", "bank-secret", "bank-token-7"

VAT_DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "VAT registry", "version": "1"},
    "servers": [{"url": "/vat"}],
    "paths": {
        "/records/{vrn}": {
            "parameters": [{"name": "vrn", "in": "path", "required": True}],
            "get": {"operationId": "get_record", "responses": {"200": {"description": "a record"}}},
        }
    },
}


class FakeServer:
    """A loopback HTTP server in a daemon thread that answers with ``answer(request)``, a
    function of a ``Request`` returning ``(status, JSON body)``. ``calls`` counts paths;
    ``requests`` keeps every request. Start with ``start()``, stop with ``stop()``."""

    def __init__(self, answer):
        self.answer = answer
        self.calls: Counter[str] = Counter()
        self.requests: list[Request] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def answer(self):
                parts = urllib.parse.urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                request = Request(
                    self.command,
                    parts.path,
                    dict(urllib.parse.parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                fake.calls[parts.path] += 1
                fake.requests.append(request)
                status, reply = fake.answer(request)
                data = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nobody to answer

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

        return Handler


@dataclasses.dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict  # lower-case names
    body: bytes

    @property
    def form(self) -> dict:
        return dict(urllib.parse.parse_qsl(self.body.decode()))

    @property
    def json(self):
        return json.loads(self.body) if self.body else None


class FakeService(FakeServer):
    """Both services of the ``invoicing`` example."""

    def __init__(self):
        super().__init__(self.route)
        self.vat_records = {
            "GB123": {"vrn": "GB123", "trading_name": "Acme Trading Ltd", "valid_from": "2020-01-01"}
        }
        self.payments = [
            {"payment_id": "P-1", "amount": "100.00", "currency": "EUR", "booked_at": "2026-01-02T10:00:00Z"},
            {
                "payment_id": "P-2",
                "amount": "250.50",
                "currency": "EUR",
                "booked_at": "2026-01-03T11:30:00Z",
                "memo": "invoice 7",
            },
            {
                "payment_id": "P-3",
                "amount": "9.99",
                "currency": "USD",
                "booked_at": "2026-01-04T08:15:00+00:00",
            },
        ]
        self.page_size = 2

    def route(self, request: Request):
        if request.method == "POST" and request.path == "/token":
            form = request.form
            if (form.get("client_id"), form.get("client_secret"), form.get("grant_type")) == (
                CLIENT_ID,
                CLIENT_SECRET,
                "client_credentials",
            ):
                return 200, {"access_token": TOKEN, "expires_in": 3600, "scope": form.get("scope")}
            return 400, {"error": "invalid_client"}
        if request.path == "/openapi.json":
            return 200, VAT_DOCUMENT
        if request.path.startswith("/vat/records/"):
            if request.headers.get("x-api-key") != API_KEY:
                return 401, {"error": "bad key"}
            record = self.vat_records.get(urllib.parse.unquote(request.path.rsplit("/", 1)[1]))
            return (200, record) if record else (404, {"error": "unknown"})
        if request.path == "/bank/payments":
            if request.headers.get("authorization") != f"Bearer {TOKEN}":
                return 401, {"error": "no token"}
            page = int(request.query.get("page", "1"))
            start = (page - 1) * self.page_size
            items = self.payments[start : start + self.page_size]
            more = start + self.page_size < len(self.payments)
            return 200, {"items": items, "next": f"/bank/payments?page={page + 1}" if more else None}
        return 404, {"error": "no such path"}


def service_env(fake: FakeService) -> dict[str, str]:
    """The environment that points the invoicing app's clients at ``fake``."""
    return {
        "VAT_API_SPEC_URL": f"{fake.url}/openapi.json",
        "VAT_API_API_KEY": API_KEY,
        "BANK_BASE_URL": f"{fake.url}/bank",
        "BANK_TOKEN_URL": f"{fake.url}/token",
        "BANK_CLIENT_ID": CLIENT_ID,
        "BANK_CLIENT_SECRET": CLIENT_SECRET,
        "SERVICE_TIMEOUT": "5",
    }


def dead_url() -> str:
    """A loopback URL where nothing listens (a port bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
