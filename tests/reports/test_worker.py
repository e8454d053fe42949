"""A real Celery worker on Redis builds a report while the test watches its progress rise to 100."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from campaigns.models import Activity, ActivityStatus, Category
from clinicians.models import Platform
from reports.models import Report, ReportStatus
from reports.services import report_request
from tests.conftest import wait_for
from tests.factories import CampaignFactory, UserFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.services

ROWS = 6000


def test_a_real_worker_builds_a_report_and_progress_rises_to_100(live_worker):
    clinicians = VerifiedClinicianFactory.create_batch(5)
    campaign = CampaignFactory(title="Flu Shot Friday")
    start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    Activity.objects.bulk_create(
        [
            Activity(
                clinician=clinicians[n % 5],
                platform=Platform.X,
                url=f"https://x.com/worker/status/{n}",
                posted_at=start + dt.timedelta(minutes=n),
                category=Category.PUBLIC_EDUCATION,
                campaign=campaign if n % 2 else None,
                status=ActivityStatus.ACCEPTED,
                impressions=n,
            )
            for n in range(ROWS)
        ],
        batch_size=1000,
    )
    report = report_request(
        user=UserFactory(),
        kind="activity_export",
        parameters={"start": "2026-10-01", "end": "2026-10-31"},
        format="xlsx",
    )
    seen: list[int] = []

    def finished() -> bool:
        progress, status = Report.objects.values_list("progress", "status").get(pk=report.pk)
        if not seen or seen[-1] != progress:
            seen.append(progress)
        return status in (ReportStatus.SUCCEEDED, ReportStatus.FAILED)

    wait_for(finished, timeout=120, interval=0.01, message="the worker to finish the report")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUCCEEDED, report.error
    assert report.row_count == ROWS and report.progress == 100
    assert seen == sorted(seen) and seen[-1] == 100
    assert any(0 < value < 100 for value in seen), seen
    assert any("reports.tasks.build_report" in line for line in live_worker.log)
    with report.file.open("rb") as handle:
        sheet = load_workbook(handle, read_only=True)["Activities"]
        assert sum(1 for _ in sheet.iter_rows(values_only=True)) == ROWS + 1
