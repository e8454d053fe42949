"""Browser: a staff member requests a report, sees its progress, and downloads the file."""

import csv
import datetime as dt

import pytest
from playwright.sync_api import expect

from reports.models import Report, ReportStatus
from tests.browser.conftest import axe_violations, screenshot, sign_in_code_if_asked
from tests.factories import DEFAULT_PASSWORD, ActivityFactory, CampaignFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    sign_in_code_if_asked(page, email)
    page.wait_for_url("**/dashboard/")


def test_staff_request_watch_and_download_a_report(page, staff_user, tmp_path):
    campaign = CampaignFactory(title="Measles Facts Now")
    clinician = VerifiedClinicianFactory(display_name="Ada Lovelace", state="IL")
    for day in (2, 9, 16):
        ActivityFactory(clinician=clinician, campaign=campaign, posted_at=dt.datetime(2026, 10, day, tzinfo=dt.UTC))
    # Another staff member's report that a worker is still building: its row polls for progress.
    running = Report.objects.create(
        kind="advocacy_summary",
        format="pdf",
        parameters={"start": "2026-10-01", "end": "2026-10-31"},
        status=ReportStatus.RUNNING,
        progress=40,
        stage="Computing the summary figures",
    )
    log_in(page, staff_user.email)
    page.goto("/reports/")
    expect(page.get_by_role("heading", name="Advocacy reports", level=1)).to_be_visible()
    row = page.locator(f"#report-{running.pk}")
    expect(row.locator("progress")).to_have_attribute("value", "40")
    expect(row).to_contain_text("40% · Computing the summary figures")
    screenshot(page, "reports-list")
    assert axe_violations(page) == []

    # The worker moves on; htmx polling shows the new percentage without a reload.
    Report.objects.filter(pk=running.pk).update(progress=80, stage="Writing PDF")
    expect(row).to_contain_text("80% · Writing PDF", timeout=5_000)

    page.get_by_label("Report", exact=True).select_option("activity_export")
    page.get_by_label("Format", exact=True).select_option("csv")
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From", exact=True).fill("2026-10-01")
    page.get_by_label("To (inclusive)", exact=True).fill("2026-10-31")
    page.get_by_label("Campaign", exact=True).select_option("Measles Facts Now")
    page.get_by_role("button", name="Request report").click()

    # Celery is eager in this suite, so the report is built by the time the page returns.
    report = Report.objects.exclude(pk=running.pk).get()
    mine = page.locator(f"#report-{report.pk}")
    expect(mine.locator(".status")).to_have_text("Succeeded")
    expect(mine).to_contain_text(staff_user.email)
    expect(mine.locator("progress")).to_have_count(0)
    screenshot(page, "reports-done")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        mine.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == f"activity-export-2026-10-01_2026-10-31-{report.pk}.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 4
    assert {r[8] for r in rows[1:]} == {"Measles Facts Now"}


def test_a_clinician_is_refused_the_report_centre(page, clinician_user):
    log_in(page, clinician_user.email)
    response = page.goto("/reports/")
    assert response.status == 403
