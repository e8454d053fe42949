"""The whole journey in a real browser, on PostgreSQL, Redis and a real Celery worker, as CI's
services leg runs it: a visitor signs up, confirms the email, completes the profile and submits an
NPI with evidence; an admin verifies it in Django admin; the clinician joins a campaign and logs a
post for it; the worker prices it and the dashboard shows the points and the chart; a staff member
requests an advocacy summary, watches its progress, downloads it, and the PDF names the campaign.

Clinician, admin and staff each use their own browser context (their own cookies)."""

import datetime as dt
import io
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from clinicians.models import Credential, CredentialStatus
from tests.browser.conftest import (
    DESKTOP,
    axe_violations,
    email_link,
    reauthenticate,
    screenshot,
    sign_in_code_if_asked,
)
from tests.clinicians.factories import PDF_BYTES
from tests.factories import DEFAULT_PASSWORD, CampaignFactory, ProvenSocialAccountFactory

# The worker is one process per session, started with this process's environment. Point its NPPES
# look-ups at a closed local port (connection refused at once) unless the environment chose a
# registry: no test reaches the real registry, and an unreachable registry only queues the
# credential for review, which is the admin path this journey follows.
os.environ.setdefault("NPPES_BASE_URL", "http://127.0.0.1:9")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

PASSWORD = "a-long-and-unusual-passphrase"
NPI = "1234567893"
CAMPAIGN = "Measles Facts Now"
WORKER_WAIT_SECONDS = 60


def context_for(page, live_server):
    """A fresh browser context (own cookies) in the same browser as the page fixture."""
    context = page.context.browser.new_context(viewport=DESKTOP, base_url=live_server.url, ignore_https_errors=True)
    context.set_default_timeout(15_000)
    return context


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    sign_in_code_if_asked(page, email)
    page.wait_for_url("**/dashboard/**")


def test_the_whole_journey(page, live_server, live_worker, admin_user, staff_user, settings, tmp_path):
    settings.NPI_AUTO_VERIFY = False
    settings.NPPES_BASE_URL = os.environ["NPPES_BASE_URL"]
    campaign = CampaignFactory(title=CAMPAIGN, slug="measles-facts-now", hashtags=["measlesfactsnow"], goal_target=20)

    # A visitor signs up and confirms the email from the link that was sent.
    page.goto("/")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_label("Email").fill("journey@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.goto(email_link())
    page.get_by_role("button", name="Confirm").click()

    # Onboarding: the profile first, then the credential with its evidence.
    page.wait_for_url("**/profile/")
    page.get_by_label("Display name").fill("Dr Journey Okafor")
    page.get_by_label("Profession").select_option("md")
    page.get_by_label("Specialty", exact=True).select_option("gastroenterology")
    page.get_by_label("Organisation").fill("Springfield General Hospital")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("US state").select_option("IL")
    page.get_by_role("button", name="Complete profile").click()
    page.wait_for_url("**/credentials/new/")
    page.get_by_label("Credential", exact=True).select_option("npi")
    page.get_by_label("Number").fill(NPI)
    evidence = tmp_path / "npi-letter.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.get_by_label("Evidence document").set_input_files(str(evidence))
    page.get_by_role("button", name="Submit credential").click()
    page.wait_for_url("**/credentials/*/")
    assert axe_violations(page) == []
    screenshot(page, "journey-credential-submitted")
    credential = Credential.objects.get(identifier=NPI)
    assert credential.status in (CredentialStatus.SUBMITTED, CredentialStatus.NEEDS_REVIEW)
    assert credential.evidence_content_type == "application/pdf"

    # An admin signs in to Django admin and verifies it with the bulk action.
    admin_context = context_for(page, live_server)
    admin = admin_context.new_page()
    # /admin/ sends them to the portal login (one login for everyone), which asks for the code.
    admin.goto("/admin/")
    admin.wait_for_url("**/accounts/login/?next=**")
    admin.get_by_label("Email").fill(admin_user.email)
    admin.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    admin.locator("main").get_by_role("button", name="Sign In").click()
    sign_in_code_if_asked(admin, admin_user.email)
    admin.wait_for_url("**/admin/")
    admin.goto("/admin/clinicians/credential/")
    admin.get_by_role("row", name="Dr Journey Okafor").get_by_role("checkbox").check()
    admin.locator("select[name=action]").select_option("verify_selected")
    admin.get_by_role("button", name="Go").click()
    reauthenticate(admin)
    admin.get_by_text("Verified 1 credential(s).").wait_for()
    screenshot(admin, "journey-admin-verified")
    admin_context.close()
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.VERIFIED

    # The clinician's X account is proven (connecting it is tested in tests/browser/test_proofs.py).
    ProvenSocialAccountFactory(clinician=credential.clinician, handle="drjourney")

    # The clinician joins the campaign and logs a post for it.
    page.goto("/credentials/")
    assert "Verification status: Verified" in page.inner_text("main")
    page.goto("/campaigns/")
    page.get_by_role("link", name=CAMPAIGN).click()
    page.get_by_role("button", name="Join campaign").click()
    expect(page.get_by_text("You joined")).to_be_visible()
    page.get_by_role("button", name="Log a post for this campaign").click()
    page.wait_for_url("**/activities/new/**")
    page.get_by_label("Link to the post").fill("https://x.com/DrJourney/status/1790000000001")
    posted = timezone.localtime() - dt.timedelta(hours=2)
    page.get_by_label("Posted at").fill(posted.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Category").select_option("public_education")
    page.get_by_label("Text of the post (optional)").fill(
        "Measles is back. Two doses of MMR protect 97 in 100 people. #MeaslesFactsNow"
    )
    page.get_by_label("Evidence cited (optional)").fill("10.1056/NEJMoa2034577")
    page.get_by_label("Impressions").fill("1500")
    assert page.get_by_label("Campaign (optional)").input_value() == str(campaign.pk)
    page.get_by_role("button", name="Log post").click()
    expect(page.get_by_text("Activity logged: accepted.")).to_be_visible()

    # The worker prices it: reload the dashboard until the balance shows (bounded wait).
    balance = page.locator(".stat", has_text="Balance to spend").locator(".stat-value")
    for _ in range(WORKER_WAIT_SECONDS):
        page.goto("/dashboard/")
        if int(balance.inner_text()) > 0:
            break
        page.wait_for_timeout(1_000)
    assert int(balance.inner_text()) > 0, "the worker did not price the post:\n" + "".join(
        getattr(live_worker, "log", [])[-30:]
    )
    page.wait_for_selector("#chart-points-weekly[data-rendered='true']", state="attached")
    assert page.locator("#chart-points-weekly").bounding_box()["height"] > 100
    assert CAMPAIGN in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "journey-dashboard")

    # A staff member requests an advocacy summary, watches it progress and downloads it.
    staff_context = context_for(page, live_server)
    staff = staff_context.new_page()
    log_in(staff, staff_user.email)
    staff.goto("/reports/")
    staff.get_by_label("Report", exact=True).select_option("advocacy_summary")
    staff.get_by_label("Format", exact=True).select_option("pdf")
    staff.get_by_label("Period", exact=True).select_option("custom")
    today = timezone.localdate()
    staff.get_by_label("From", exact=True).fill((today - dt.timedelta(days=30)).isoformat())
    staff.get_by_label("To (inclusive)", exact=True).fill(today.isoformat())
    staff.get_by_role("button", name="Request report").click()
    row = staff.locator(".report-history tbody tr").first
    expect(row.locator(".status")).to_have_text(re.compile("Queued|Running|Succeeded"))
    expect(row.locator(".status")).to_have_text("Succeeded", timeout=WORKER_WAIT_SECONDS * 1_000)
    assert axe_violations(staff) == []
    screenshot(staff, "journey-report-ready")
    with staff.expect_download() as download_info:
        row.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert CAMPAIGN in text
    staff_context.close()
