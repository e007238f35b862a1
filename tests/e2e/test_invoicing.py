"""End to end (issue 7): build the ``invoicing`` example, point its service clients at a fake
OpenAPI service on a loopback port, and drive the generated app: the "Check VAT number" button,
the stand-alone ``vat_check`` page, "Fetch from bank", the sync command run three times, the
signed webhook, the ``billing`` flow, and the service being down.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dazzle.plugins import HookContext
from dazzle.semantics.frontend import load_project
from dazzle.testing import run_generators
from hooks.django.copy_specs import CopySpecsHook
from tests.django.fake_openapi import FakeService, dead_url, service_env
from tests.e2e.generated_app import PYTHON, app_env
from tests.support import EXAMPLES, REPO, write_tree

WEBHOOK_SECRET = "shared-webhook-secret"


@pytest.fixture(scope="module")
def fake():
    service = FakeService().start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def project(tmp_path_factory, fake):
    spec, _warnings = load_project(EXAMPLES / "invoicing")
    out = write_tree(run_generators(spec, "django"), tmp_path_factory.mktemp("invoicing"))
    ctx = HookContext(
        project_dir=EXAMPLES / "invoicing",
        output_dir=out,
        state_dir=out / ".dazzle",
        config=spec.config,
        spec=spec,
    )
    result = CopySpecsHook().run(ctx)
    assert result.severity == "info", result.message
    shutil.copy(REPO / "tests" / "e2e" / "invoicing_driver.py", out / "invoicing_driver.py")
    run(out, fake, "manage.py", "makemigrations", "--no-input")
    run(out, fake, "manage.py", "migrate", "--no-input")
    return out


def run(project: Path, fake: FakeService, *args: str, env: dict | None = None, ok: bool = True):
    full = {
        **app_env(),
        **service_env(fake),
        "BANK_IMPORT_LIVE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        **(env or {}),
    }
    done = subprocess.run(
        [str(PYTHON), *args], cwd=project, env=full, capture_output=True, text=True, timeout=120, check=False
    )
    if ok:
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def drive(project: Path, fake: FakeService, part: str, env: dict | None = None) -> dict:
    done = run(project, fake, "invoicing_driver.py", part, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_invoicing_runs_against_a_fake_service(project, fake):
    seen = drive(project, fake, "integrations")
    assert seen["edit_has_button"]
    assert seen["check_status"] == 302
    assert seen["vat_name"] == "Acme Trading Ltd"
    assert seen["name_after_check"] == "Acme"
    assert seen["vat_check_status"] == 200 and seen["vat_check_shows_answer"]
    assert seen["unknown_vrn_status"] == 200 and seen["unknown_vrn_message"]
    assert seen["fetch_status"] == 200 and seen["fetch_message"]
    assert seen["after_fetch"] == ["P-1", "P-2"]  # the first page of the answer
    assert seen["refetch_message"] and seen["after_refetch"] == 2
    assert fake.calls["/openapi.json"] == 1  # fetched once, then cached
    assert fake.calls["/token"] == 1
    assert fake.calls["/vat/records/GB123"] == 2

    # The sync reads every page: P-3 is new; then P-3 changes upstream; then nothing changes.
    first = run(project, fake, "manage.py", "sync_bank_import_nightly").stdout
    assert "created 1, updated 0, unchanged 2, failed 0" in first
    fake.payments[2] = {**fake.payments[2], "amount": "19.99", "memo": "corrected"}
    second = run(project, fake, "manage.py", "sync_bank_import_nightly").stdout
    assert "created 0, updated 1, unchanged 2, failed 0" in second
    third = run(project, fake, "manage.py", "sync_bank_import_nightly").stdout
    assert "created 0, updated 0, unchanged 3, failed 0" in third

    hook = drive(project, fake, "webhook")
    assert hook["unsigned"] == 403 and hook["bad"] == 403 and not hook["p9_after_bad"]
    assert hook["good"] == 200 and hook["good_counts"]["created"] == 1 and hook["p9_amount"] == "42.00"

    flow = drive(project, fake, "flow")
    assert flow["start"] == [302, "/flows/billing/capture/"]
    assert flow["capture_status"] == 200
    assert flow["early_review"] == [200, True]  # a review step without a record stays put
    assert flow["capture_to"] == "/flows/billing/review/" and flow["review_shows"]
    assert flow["failure_to"] == "/flows/billing/capture/"
    assert flow["invalid_stays"] == 200
    assert flow["review_now_shows"]
    assert flow["success_to"] == "/flows/billing/done/" and flow["done_lists"]
    assert flow["finish_to"] == "/"
    assert flow["create_to"] == "/flows/billing/review/" and flow["create_review_shows"]


@pytest.mark.slow
def test_service_down_is_a_message_not_a_500(project, fake):
    url = dead_url()
    down = drive(
        project,
        fake,
        "service_down",
        env={
            "VAT_API_SPEC_URL": f"{url}/openapi.json",
            "BANK_BASE_URL": f"{url}/bank",
            "BANK_TOKEN_URL": f"{url}/token",
        },
    )
    assert down == {
        "vat_check": 200,
        "vat_check_message": True,
        "edit": 200,
        "edit_message": True,
        "fetch": 200,
        "fetch_message": True,
    }


@pytest.mark.slow
def test_generated_checks_and_worker_files(project, fake):
    run(project, fake, "manage.py", "check")
    assert (project / "specs" / "bank-feed-v2.json").is_file()
    assert "worker: python manage.py run_syncs" in (project / "Procfile").read_text()
    readme = (project / "README.md").read_text()
    assert "30 1 * * * cd /path/to/this/project && python manage.py sync_bank_import_nightly" in readme
    assert "/webhooks/bank-import/live/" in readme and "VAT_API_BASE_URL" in readme
    once = run(project, fake, "manage.py", "run_syncs", "--once")
    assert once.returncode == 0
