"""Each report kind built on known data; the file is opened and its contents checked."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.builders import ReportBuildError, report_file_write
from reports.selectors import ScopeError
from tests.reports.conftest import PERIOD

pytestmark = pytest.mark.django_db


def build(tmp_path, kind, fmt, parameters=None, stages=None, progress=None):
    path = tmp_path / f"out.{fmt}"
    rows = report_file_write(
        kind=kind,
        format=fmt,
        parameters=parameters or PERIOD,
        path=path,
        on_stage=(stages.append if stages is not None else lambda s: None),
        on_progress=(lambda w, e: progress.append((w, e))) if progress is not None else (lambda w, e: None),
    )
    return path, rows


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def sheet_rows(workbook, name):
    return [list(row) for row in workbook[name].iter_rows(values_only=True)]


def test_activity_export_csv_has_one_row_per_activity_in_the_period(tmp_path, known_data):
    progress = []
    path, rows = build(tmp_path, "activity_export", "csv", progress=progress)
    table = list(csv.reader(io.StringIO(path.read_text())))
    header, body = table[0], table[1:]
    assert rows == len(body) == 5
    assert header[17] == "Points" and header[3] == "Clinician" and header[-1] == "Status code"
    by_impressions = {int(r[header.index("Impressions")]): r for r in body}
    assert 7777 not in by_impressions  # posted on 30 September
    assert by_impressions[1000][header.index("Campaign")] == "Measles Facts Now"
    assert by_impressions[1000][header.index("Points")] == "10"
    assert by_impressions[9999][header.index("Status")] == "Rejected"
    assert by_impressions[9999][header.index("Status code")] == "rejected"
    assert by_impressions[9999][header.index("Points")] == "0"
    assert progress[-1] == (5, 5)


def test_activity_export_filters_by_campaign_specialty_and_state(tmp_path, known_data):
    _, rows = build(tmp_path, "activity_export", "csv", {**PERIOD, "campaign": "measles-facts"})
    assert rows == 2
    _, rows = build(tmp_path, "activity_export", "csv", {**PERIOD, "specialty": "pediatrics"})
    assert rows == 2
    _, rows = build(tmp_path, "activity_export", "csv", {**PERIOD, "state": "IL"})
    assert rows == 3


def test_activity_export_xlsx_streams_the_same_rows(tmp_path, known_data):
    path, rows = build(tmp_path, "activity_export", "xlsx")
    workbook = load_workbook(path, read_only=True)
    table = sheet_rows(workbook, "Activities")
    assert rows == len(table) - 1 == 5
    assert table[0][0] == "Activity ID"
    points = table[0].index("Points")
    assert sorted(r[points] for r in table[1:]) == [0, 10, 12, 15, 20]


def test_points_roster_lists_every_clinician_with_points_balance_and_redemptions(tmp_path, known_data):
    path, rows = build(tmp_path, "points_roster", "csv")
    table = list(csv.DictReader(io.StringIO(path.read_text())))
    assert rows == len(table) == 3
    by_name = {r["Clinician"]: r for r in table}
    assert by_name["Ada Lovelace"]["Points in period"] == "42"
    assert by_name["Ada Lovelace"]["Balance"] == "12"
    assert by_name["Ada Lovelace"]["Redemptions in period"] == "1"
    assert by_name["Ada Lovelace"]["Points redeemed in period"] == "30"
    assert by_name["Ben Hidden"]["Points in period"] == "15"
    assert by_name["Cal Pending"]["Verification status"] == "Unverified"
    assert by_name["Cal Pending"]["Verification status code"] == "unverified"
    assert by_name["Cal Pending"]["Balance"] == "0"


def test_points_roster_xlsx(tmp_path, known_data):
    path, rows = build(tmp_path, "points_roster", "xlsx", {**PERIOD, "state": "IL"})
    table = sheet_rows(load_workbook(path), "Points roster")
    assert rows == 2
    assert {r[1] for r in table[1:]} == {"Ada Lovelace", "Cal Pending"}


def test_verification_report_has_queue_decisions_and_expiring_credentials(tmp_path, known_data):
    path, rows = build(tmp_path, "verification", "xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Verification queue", "Decisions", "Expiring soon"]
    queue = sheet_rows(workbook, "Verification queue")
    assert queue[1][0] == "Submitted" and queue[1][1] == 1
    decisions = dict(sheet_rows(workbook, "Decisions")[1:])
    assert decisions == {"Needs review": 1, "Verified": 1}
    expiring = sheet_rows(workbook, "Expiring soon")
    assert expiring[1][1] == "Ada Lovelace" and expiring[1][6] == 20
    assert rows == 4


def test_verification_report_csv_and_pdf(tmp_path, known_data):
    path, _ = build(tmp_path, "verification", "csv")
    with zipfile.ZipFile(path) as archive:
        text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    assert "Submitted" in text and "Ada Lovelace" in text and "036-123456" not in text
    path, _ = build(tmp_path, "verification", "pdf")
    assert "Credentials expiring soon" in pdf_text(path)


def test_advocacy_summary_xlsx_has_a_sheet_per_section_with_known_figures(tmp_path, known_data):
    path, _ = build(tmp_path, "advocacy_summary", "xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "Overview",
        "By category",
        "By platform",
        "Campaigns",
        "By specialty",
        "By state",
        "Top contributors",
        "Weekly trend",
    ]
    overview = dict(sheet_rows(workbook, "Overview")[1:])
    assert overview["Verified clinicians"] == 2
    assert overview["Active clinicians (an accepted post in the period)"] == 2
    assert overview["Accepted activities"] == 4
    assert overview["Estimated reach (impressions)"] == 2000
    assert overview["Misinformation corrections"] == 2
    assert overview["Corrections citing evidence"] == 1
    assert overview["Points awarded for these activities"] == 57
    categories = {r[0]: r[1] for r in sheet_rows(workbook, "By category")[1:]}
    assert categories == {"Public education": 2, "Misinformation correction": 2}
    platforms = {r[0]: r[1] for r in sheet_rows(workbook, "By platform")[1:]}
    assert platforms == {"X (Twitter)": 2, "LinkedIn": 1, "Instagram": 1}
    campaigns = sheet_rows(workbook, "Campaigns")
    assert campaigns[1][0] == "Measles Facts Now" and campaigns[1][5] == 2 and campaigns[1][6] == 50
    states = {r[0]: r[2] for r in sheet_rows(workbook, "By state")[1:]}
    assert states == {"IL": 3, "CA": 1}
    top = sheet_rows(workbook, "Top contributors")
    names = [r[2] for r in top[1:]]
    assert names == ["Ada Lovelace"]  # Ben did not opt in: not named anywhere
    assert top[1][7] == 42
    weeks = sheet_rows(workbook, "Weekly trend")[1:]
    assert sum(r[1] for r in weeks) == 4 and len(weeks) == 4
    assert all(
        "Ben Hidden" not in str(cell)
        for name in workbook.sheetnames
        for row in sheet_rows(workbook, name)
        for cell in row
    )


def test_advocacy_summary_pdf_mentions_campaign_and_sections_with_charts(tmp_path, known_data):
    path, _ = build(tmp_path, "advocacy_summary", "pdf")
    assert path.read_bytes().startswith(b"%PDF")
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Advocacy summary",
        "Measles Facts Now",
        "Activities by category",
        "Top contributors",
        "Ada Lovelace",
    ):
        assert expected in text
    assert "Ben Hidden" not in text
    # The charts are drawn by reportlab's graphics: their titles and labels are text in the PDF.
    for chart_title in (
        "Accepted activities by category",
        "Accepted activities by platform",
        "Accepted activities per week",
    ):
        assert chart_title in text
    assert sum(len(page.images) for page in reader.pages) == 0


def test_campaign_report_covers_one_campaign_with_goal_progress(tmp_path, known_data):
    params = {"start": "2026-10-01", "end": "2026-11-15", "campaign": "measles-facts"}
    path, _ = build(tmp_path, "campaign", "pdf", params)
    text = pdf_text(path)
    assert "Campaign report: Measles Facts Now" in text and "Goal progress" in text
    path, _ = build(tmp_path, "campaign", "xlsx", params)
    workbook = load_workbook(path)
    assert workbook.sheetnames[1:3] == ["Goal progress", "Tracked links"]
    goal = sheet_rows(workbook, "Goal progress")
    assert goal[1][0] == "Measles Facts Now" and goal[1][4:7] == [4, 2, 50]
    overview = dict(sheet_rows(workbook, "Overview")[1:])
    assert overview["Accepted activities"] == 2 and overview["Estimated reach (impressions)"] == 1500


def test_a_campaign_report_without_a_campaign_is_refused(tmp_path, known_data):
    with pytest.raises(ReportBuildError):
        build(tmp_path, "campaign", "pdf")


def test_unsupported_format_and_bad_parameters_are_refused(tmp_path, known_data):
    with pytest.raises(ReportBuildError):
        build(tmp_path, "activity_export", "pdf")
    with pytest.raises(ScopeError):
        build(tmp_path, "activity_export", "csv", {"start": "2026-10-31", "end": "2026-10-01"})
    with pytest.raises(ScopeError):
        build(tmp_path, "activity_export", "csv", {**PERIOD, "campaign": "no-such-campaign"})


def test_an_empty_period_still_builds_every_pdf_section(tmp_path, db):
    path, _ = build(tmp_path, "advocacy_summary", "pdf", {"start": "2020-01-01", "end": "2020-01-31"})
    assert "No data in this period." in pdf_text(path)


def test_xlsx_sheets_keep_the_header_in_view_with_filters_and_readable_widths(tmp_path, known_data):
    path, rows = build(tmp_path, "activity_export", "xlsx")
    workbook = load_workbook(path)
    sheet = workbook["Activities"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{rows + 1}"
    assert sheet.cell(1, 1).font.bold
    assert all(sheet.column_dimensions[column].width >= 12 for column in ("A", "B", "C"))
