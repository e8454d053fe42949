"""On PostgreSQL the activity export CSV is written by COPY: byte for byte the file csv.writer writes."""

import csv
import datetime as dt

import pytest
from django.db import connection

from campaigns.models import Activity
from core.spreadsheet import cell_safe
from incentives.models import LedgerKind
from reports import selectors
from reports.builders import report_file_write
from reports.renderers import Document, Section, render_csv
from tests.factories import ActivityFactory, CampaignFactory, LedgerEntryFactory, VerifiedClinicianFactory
from tests.reports.conftest import PERIOD, at
from tests.reports.factories import AwardFactory

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "Smith, Jane",
    'Dr "Quote" O\'Brien',
    "two\nlines",
    "windows\r\nline",
    "Zoë Ångström 王医生 🩺",
    "",
    "  spaced  ",
    "a=b",
]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; run with DATABASE_URL=postgres://...")


def _hostile_activities() -> None:
    """One activity per hostile name; campaigns, states and points vary, some are empty or negative."""
    campaign = CampaignFactory(title='-Flu, "shots" =now\nplease', slug="hostile-campaign")
    for n, name in enumerate(HOSTILE_NAMES):
        clinician = VerifiedClinicianFactory(display_name=name, state=["", "IL", "-1"][n % 3])
        activity = ActivityFactory(
            clinician=clinician,
            campaign=campaign if n % 2 else None,
            posted_at=at(2 + n, hour=n),
            url=f"=cmd|'/C calc'!A{n}" if n == 3 else f"https://x.com/hostile/status/{n}?a=1,b=2",
            impressions=n * 1000,
        )
        if n % 4:
            AwardFactory(activity=activity, clinician=clinician, amount=10 + n)
        if n == 5:
            LedgerEntryFactory(activity=activity, clinician=clinician, amount=-30, kind=LedgerKind.REVERSAL)


class _NotIterated:
    """Rows that fail the test if the renderer reads them instead of using COPY."""

    def __iter__(self):
        raise AssertionError("the COPY path must not iterate the rows")


def _render(path, *, copy: bool, progress) -> int:
    scope = selectors.report_scope(parameters=PERIOD)
    if copy:
        section = Section(
            "Activities",
            selectors.ACTIVITY_EXPORT_HEADERS,
            _NotIterated(),
            copy_query=selectors.activity_export_queryset(scope=scope),
        )
    else:
        section = Section("Activities", selectors.ACTIVITY_EXPORT_HEADERS, selectors.activity_export_rows(scope=scope))
    with open(path, "w", newline="", encoding="utf-8") as out:
        return render_csv(Document("Activity export", "", [section]), out, progress)


@pytest.mark.django_db
def test_copy_writes_the_same_file_as_csv_writer(tmp_path, postgresql):
    _hostile_activities()
    python_rows = _render(tmp_path / "python.csv", copy=False, progress=lambda written: None)
    progress: list[int] = []
    copy_rows = _render(tmp_path / "copy.csv", copy=True, progress=progress.append)
    assert copy_rows == python_rows == len(HOSTILE_NAMES)
    # Inside a transaction COPY runs on its connection, which is busy until it ends: progress comes once.
    assert progress == [len(HOSTILE_NAMES)]
    assert (tmp_path / "copy.csv").read_bytes() == (tmp_path / "python.csv").read_bytes()

    with (tmp_path / "copy.csv").open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    names = [row["Clinician"] for row in table]
    assert names == [cell_safe(n) for n in HOSTILE_NAMES]
    assert {row["Campaign"] for row in table} == {"", '\'-Flu, "shots" =now\nplease'}
    assert {row["State"] for row in table} == {"", "IL", "'-1"}
    assert table[3]["URL"] == "'=cmd|'/C calc'!A3"
    assert [row["Points"] for row in table][:6] == ["0", "11", "12", "13", "0", "-15"]
    assert table[0]["Posted at (UTC)"] == "2026-10-02T00:00:00+00:00"


@pytest.mark.django_db
def test_the_built_report_uses_copy_and_matches_the_python_path(tmp_path, postgresql):
    _hostile_activities()
    _render(tmp_path / "python.csv", copy=False, progress=lambda written: None)
    progress: list[tuple[int, int]] = []
    rows = report_file_write(
        kind="activity_export",
        format="csv",
        parameters=PERIOD,
        path=tmp_path / "report.csv",
        on_stage=lambda stage: None,
        on_progress=lambda written, expected: progress.append((written, expected)),
    )
    assert rows == len(HOSTILE_NAMES)
    assert progress[-1] == (rows, rows)
    assert (tmp_path / "report.csv").read_bytes() == (tmp_path / "python.csv").read_bytes()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_progress_may_query_the_database_during_copy(tmp_path, postgresql):
    """The worker's progress callback writes the percent; COPY streams on a connection of its own."""
    _hostile_activities()
    _render(tmp_path / "python.csv", copy=False, progress=lambda written: None)
    progress: list[tuple[int, int]] = []

    def record(written: int) -> None:
        progress.append(
            (written, Activity.objects.filter(posted_at__gte=dt.datetime(2026, 10, 1, tzinfo=dt.UTC)).count())
        )

    rows = _render(tmp_path / "copy.csv", copy=True, progress=record)
    assert rows == len(HOSTILE_NAMES)
    assert progress == [(n, len(HOSTILE_NAMES)) for n in range(1, rows + 1)]
    assert (tmp_path / "copy.csv").read_bytes() == (tmp_path / "python.csv").read_bytes()
