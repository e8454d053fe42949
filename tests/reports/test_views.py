"""The staff report centre: permissions on every URL, requesting, progress, download and retry."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, ReportStatus
from reports.services import report_build
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def report_urls(report_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("reports:report_list")),
        ("post", reverse("reports:report_create")),
        ("get", reverse("reports:report_progress", args=[report_id])),
        ("get", reverse("reports:report_download", args=[report_id])),
        ("post", reverse("reports:report_retry", args=[report_id])),
    ]


@pytest.fixture
def built_report(known_data):
    report = ReportFactory()
    report_build(report_id=report.pk)
    report.refresh_from_db()
    return report


def test_anonymous_visitors_are_sent_to_login_on_every_report_url(client, built_report):
    for method, url in report_urls(built_report.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_clinicians_get_403_on_every_report_url(client, clinician_user, built_report):
    client.force_login(clinician_user)
    for method, url in report_urls(built_report.pk):
        assert getattr(client, method)(url).status_code == 403, url
    assert Report.objects.count() == 1


def test_staff_see_the_request_form_and_the_history(client, staff_user, built_report):
    client.force_login(staff_user)
    response = client.get(reverse("reports:report_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="kind"' in html and 'name="format"' in html and 'name="campaign"' in html
    assert f'id="report-{built_report.pk}"' in html
    assert reverse("reports:report_download", args=[built_report.pk]) in html


def test_staff_request_a_report_and_it_is_built(client, staff_user, known_data, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_create"),
            {
                "kind": "activity_export",
                "format": "csv",
                "period": "custom",
                "start": "2026-10-01",
                "end": "2026-10-31",
                "state": "il",
            },
        )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#report-{report.pk}")
    assert report.requested_by == staff_user
    assert report.parameters == {"preset": "custom", "start": "2026-10-01", "end": "2026-10-31", "state": "IL"}
    assert report.status == ReportStatus.SUCCEEDED and report.row_count == 3


def test_campaign_dates_preset_uses_the_campaign(client, staff_user, known_data):
    client.force_login(staff_user)
    client.post(
        reverse("reports:report_create"),
        {"kind": "campaign", "format": "pdf", "period": "campaign_dates", "campaign": "measles-facts"},
    )
    report = Report.objects.get()
    assert report.parameters["start"] == "2026-10-01" and report.parameters["end"] == "2026-11-15"
    assert report.parameters["campaign"] == "measles-facts"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "points_roster", "format": "pdf", "period": "last_month"},
            "format",
            "available as CSV, Excel (XLSX) only",
        ),
        ({"kind": "campaign", "format": "pdf", "period": "last_month"}, "campaign", "Choose the campaign"),
        (
            {
                "kind": "activity_export",
                "format": "csv",
                "period": "custom",
                "start": "2026-10-05",
                "end": "2026-10-01",
            },
            "end",
            "on or after",
        ),
        ({"kind": "activity_export", "format": "csv", "period": "custom"}, "start", "first day"),
        (
            # Once reached the worker, which failed with a raw OverflowError next to a useless Retry.
            {
                "kind": "activity_export",
                "format": "csv",
                "period": "custom",
                "start": "0001-01-01",
                "end": "9999-12-31",
            },
            "start",
            "between 1 January 2000 and",
        ),
        (
            {
                "kind": "advocacy_summary",
                "format": "pdf",
                "period": "custom",
                "start": "2024-01-01",
                "end": "9999-12-31",
            },
            "end",
            "between 1 January 2000 and",
        ),
        (
            {"kind": "activity_export", "format": "csv", "period": "last_month", "state": "1L"},
            "state",
            "not a US state code",
        ),
    ],
)
def test_bad_requests_are_answered_with_a_message_and_store_nothing(client, staff_user, data, field, message):
    client.force_login(staff_user)
    response = client.post(reverse("reports:report_create"), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_progress_partial_polls_while_running_and_stops_when_done(client, staff_user):
    client.force_login(staff_user)
    report = ReportFactory(status=ReportStatus.RUNNING, progress=42, stage="Writing activities")
    html = client.get(reverse("reports:report_progress", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert '<progress value="42" max="100"' in html and "42% · Writing activities" in html
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error="Boom: broken")
    html = client.get(reverse("reports:report_progress", args=[report.pk])).content.decode()
    assert "hx-trigger" not in html and "<progress" not in html
    assert "Boom: broken" in html and reverse("reports:report_retry", args=[report.pk]) in html


def test_download_streams_the_file_as_an_attachment(client, staff_user, built_report):
    client.force_login(staff_user)
    response = client.get(reverse("reports:report_download", args=[built_report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="activity-export-2026-10-01_2026-10-31-{built_report.pk}.csv"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 6


def test_download_of_an_unfinished_or_missing_report_is_404(client, staff_user):
    client.force_login(staff_user)
    queued = ReportFactory()
    assert client.get(reverse("reports:report_download", args=[queued.pk])).status_code == 404
    assert client.get(reverse("reports:report_download", args=[queued.pk + 100])).status_code == 404


def test_retry_requeues_a_failed_report(client, staff_user, known_data, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    failed = ReportFactory(status=ReportStatus.FAILED, error="worker lost")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == ReportStatus.SUCCEEDED


def test_retry_of_a_report_that_did_not_fail_changes_nothing(client, staff_user, built_report):
    client.force_login(staff_user)
    response = client.post(reverse("reports:report_retry", args=[built_report.pk]), follow=True)
    assert "Only a failed report can be retried." in response.content.decode()
    built_report.refresh_from_db()
    assert built_report.status == ReportStatus.SUCCEEDED


def test_report_list_query_count_does_not_grow_with_reports(client, staff_user, django_assert_num_queries):
    client.force_login(staff_user)
    ReportFactory.create_batch(2, requested_by=staff_user)
    client.get(reverse("reports:report_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reports:report_list"))
    ReportFactory.create_batch(10, requested_by=staff_user, status=ReportStatus.FAILED)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("reports:report_list"))


def test_admin_lists_reports_and_retries_failed_ones(
    client, admin_user, known_data, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    failed = ReportFactory(status=ReportStatus.FAILED, error="boom")
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:reports_report_changelist"),
            {"action": "retry_failed", "_selected_action": [failed.pk]},
        )
    failed.refresh_from_db()
    assert failed.status == ReportStatus.SUCCEEDED


def test_with_the_broker_down_a_report_request_answers_normally_and_is_built_once_it_is_back(
    client, staff_user, known_data, django_capture_on_commit_callbacks
):
    from core.models import OutboxMessage
    from core.services import outbox_relay_batch
    from tests.faults.outbox_processes import broker_unreachable

    client.force_login(staff_user)
    form = {
        "kind": "activity_export",
        "format": "csv",
        "period": "custom",
        "start": "2026-10-01",
        "end": "2026-10-31",
        "state": "il",
    }
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_create"), form)
    report = Report.objects.get()
    assert response.status_code == 302
    assert report.status == ReportStatus.QUEUED
    promise = OutboxMessage.objects.get(task="reports.tasks.build_report")
    assert promise.args == [report.pk] and promise.sent_at is None
    # The broker is back: the relay publishes the promise (eager Celery builds it at once).
    outbox_relay_batch(now=timezone.now() + dt.timedelta(hours=1))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUCCEEDED and report.row_count == 3
