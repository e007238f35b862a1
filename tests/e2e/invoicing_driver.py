"""Runs inside a generated ``invoicing`` project (``python invoicing_driver.py <step>``, cwd =
the project): drives its pages with Django's test client and prints what it saw as JSON, for
``tests/e2e/test_invoicing.py`` to check. Not collected by pytest (no ``test_`` prefix).
"""

import hashlib
import hmac
import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from invoicing import models

setup_test_environment()  # responses keep their context, ALLOWED_HOSTS admits "testserver"


def signed_in() -> Client:
    user, _ = get_user_model().objects.get_or_create(username="driver")
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def integrations() -> dict:
    seen = {}
    web = signed_in()
    acme = models.Client.objects.create(name="Acme", vat_number="GB123")
    edit = f"/clients/{acme.pk}/edit/"
    seen["edit_has_button"] = 'name="dazzle_action" value="check"' in text(web.get(edit))
    clicked = web.post(edit, {"name": "Acme", "email": "", "vat_number": "GB123", "dazzle_action": "check"})
    seen["check_status"] = clicked.status_code
    acme.refresh_from_db()
    seen["vat_name"] = acme.vat_name
    seen["name_after_check"] = acme.name

    answer = web.post("/vat-check/", {"vrn": "GB123"})
    seen["vat_check_status"] = answer.status_code
    seen["vat_check_shows_answer"] = "Acme Trading Ltd" in text(answer)
    unknown = web.post("/vat-check/", {"vrn": "XX000"})
    seen["unknown_vrn_status"] = unknown.status_code
    seen["unknown_vrn_message"] = "HTTP 404" in text(unknown)

    first = web.post("/payments/", {"dazzle_action": "refresh"}, follow=True)
    seen["fetch_status"] = first.status_code
    seen["after_fetch"] = sorted(models.Payment.objects.values_list("bank_ref", flat=True))
    seen["fetch_message"] = "created 2" in text(first)
    again = web.post("/payments/", {"dazzle_action": "refresh"}, follow=True)
    seen["refetch_message"] = "unchanged 2" in text(again)
    seen["after_refetch"] = models.Payment.objects.count()
    return seen


def webhook() -> dict:
    seen = {}
    hook = Client(enforce_csrf_checks=True)  # not signed in: the webhook is exempt from both
    url = "/webhooks/bank-import/live/"
    body = json.dumps(
        {"payment_id": "P-9", "amount": "42.00", "currency": "EUR", "booked_at": "2026-02-01T09:00:00Z"}
    ).encode()
    secret = os.environ["BANK_IMPORT_LIVE_WEBHOOK_SECRET"]
    good = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    bad = "sha256=" + hmac.new(b"wrong", body, hashlib.sha256).hexdigest()
    seen["unsigned"] = hook.post(url, body, content_type="application/json").status_code
    seen["bad"] = hook.post(
        url, body, content_type="application/json", headers={"X-Dazzle-Signature": bad}
    ).status_code
    seen["p9_after_bad"] = models.Payment.objects.filter(bank_ref="P-9").exists()
    ok = hook.post(url, body, content_type="application/json", headers={"X-Dazzle-Signature": good})
    seen["good"] = ok.status_code
    seen["good_counts"] = ok.json()
    seen["p9_amount"] = str(models.Payment.objects.get(bank_ref="P-9").amount)
    return seen


def flow() -> dict:
    seen = {}
    web = signed_in()
    acme = models.Client.objects.create(name="Flow client")
    start = web.get("/flows/billing/")
    seen["start"] = start.status_code, start.headers.get("Location")
    seen["capture_status"] = web.get("/flows/billing/capture/").status_code
    early = web.post("/flows/billing/review/", {"outcome": "success"})  # nothing captured yet
    seen["early_review"] = early.status_code, "no record to show" in text(early)
    posted = web.post("/flows/billing/capture/", {"number": "F-1", "client": acme.pk, "total": "10.00"})
    seen["capture_to"] = posted.headers.get("Location")
    review = web.get("/flows/billing/review/")
    seen["review_shows"] = "F-1" in text(review)
    back = web.post("/flows/billing/review/", {"outcome": "failure"})
    seen["failure_to"] = back.headers.get("Location")
    invalid = web.post("/flows/billing/capture/", {"number": "", "client": acme.pk, "total": "x"})
    seen["invalid_stays"] = invalid.status_code
    web.post("/flows/billing/capture/", {"number": "F-2", "client": acme.pk, "total": "20.00"})
    seen["review_now_shows"] = "F-2" in text(web.get("/flows/billing/review/"))
    onward = web.post("/flows/billing/review/", {"outcome": "success"})
    seen["success_to"] = onward.headers.get("Location")
    done = web.get("/flows/billing/done/")
    seen["done_lists"] = "F-1" in text(done) and "F-2" in text(done)
    finished = web.post("/flows/billing/done/", {"outcome": "success"})
    seen["finish_to"] = finished.headers.get("Location")
    created = web.post("/invoices/new/", {"number": "F-3", "client": acme.pk, "total": "30.00"})
    seen["create_to"] = created.headers.get("Location")
    seen["create_review_shows"] = "F-3" in text(web.get(created.headers["Location"]))
    return seen


def service_down() -> dict:
    web = signed_in()
    acme = models.Client.objects.create(name="Down Ltd", vat_number="GB999")
    page = web.post("/vat-check/", {"vrn": "GB123"})
    edit = web.post(
        f"/clients/{acme.pk}/edit/", {"name": "Down Ltd", "vat_number": "GB999", "dazzle_action": "check"}
    )
    fetch = web.post("/payments/", {"dazzle_action": "refresh"})
    return {
        "vat_check": page.status_code,
        "vat_check_message": "unreachable" in text(page),
        "edit": edit.status_code,
        "edit_message": "unreachable" in text(edit),
        "fetch": fetch.status_code,
        "fetch_message": "unreachable" in text(fetch),
    }


if __name__ == "__main__":
    print(
        json.dumps(
            {"integrations": integrations, "webhook": webhook, "flow": flow, "service_down": service_down}[
                sys.argv[1]
            ](),
            default=str,
        )
    )
