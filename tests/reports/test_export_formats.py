"""Exports join cleanly: one clinician id, one timestamp format, labels, real XLSX cells, one table per
CSV, and a PDF whose headings stay with their charts and whose numbers are right-aligned."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns.models import ToolkitItemKind
from campaigns.participation import tracked_links_ensure
from reports.renderers import Document, Section, render_pdf
from reports.selectors import TRACKED_CLICKS_MEASURE
from tests.reports.test_builders import build, sheet_rows

pytestmark = pytest.mark.django_db

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")
CAMPAIGN_PERIOD = {"start": "2026-10-01", "end": "2026-11-15", "campaign": "measles-facts"}


def csv_table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_it_names_every_clinician_by_the_public_id_the_portal_shows(tmp_path, known_data):
    ada_id = str(known_data.ada.public_id)
    path, _ = build(tmp_path, "activity_export", "csv")
    assert {r["Clinician ID"] for r in csv_table(path.read_text()) if r["Clinician"] == "Ada Lovelace"} == {ada_id}
    path, _ = build(tmp_path, "points_roster", "csv")
    assert {r["Clinician ID"] for r in csv_table(path.read_text()) if r["Clinician"] == "Ada Lovelace"} == {ada_id}
    path, _ = build(tmp_path, "advocacy_summary", "xlsx")
    top = sheet_rows(load_workbook(path), "Top contributors")
    assert top[0][1] == "Clinician ID" and top[1][1:3] == [ada_id, "Ada Lovelace"]
    path, _ = build(tmp_path, "verification", "xlsx")
    expiring = sheet_rows(load_workbook(path), "Expiring soon")
    assert expiring[0][0] == "Clinician ID" and expiring[1][0] == ada_id


def test_timestamps_are_iso_8601_in_utc_with_their_offset(tmp_path, known_data):
    path, _ = build(tmp_path, "activity_export", "csv")
    posted = [r["Posted at (UTC)"] for r in csv_table(path.read_text())]
    assert all(ISO_UTC.match(value) for value in posted)
    assert "2026-10-02T12:00:00+00:00" in posted
    path, _ = build(tmp_path, "verification", "csv")
    with zipfile.ZipFile(path) as archive:
        queue = csv_table(archive.read("01-verification-queue.csv").decode())
        expiring = csv_table(archive.read("03-credentials-expiring-soon.csv").decode())
    assert ISO_UTC.match(queue[0]["Oldest submitted (UTC)"])
    assert dt.datetime.fromisoformat(queue[0]["Oldest submitted (UTC)"]).utcoffset() == dt.timedelta(0)
    assert dt.date.fromisoformat(expiring[0]["Expires on"])


def test_choices_are_written_as_labels_with_their_codes_in_their_own_columns(tmp_path, known_data):
    path, _ = build(tmp_path, "activity_export", "csv")
    rows = {r["Impressions"]: r for r in csv_table(path.read_text())}
    first = rows["1000"]
    assert (first["Platform"], first["Platform code"]) == ("X (Twitter)", "x")
    assert (first["Category"], first["Category code"]) == ("Public education", "public_education")
    assert (first["Specialty"], first["Specialty code"]) == ("Cardiology", "cardiology")
    assert (first["Status"], first["Status code"]) == ("Accepted", "accepted")
    path, _ = build(tmp_path, "verification", "xlsx")
    expiring = sheet_rows(load_workbook(path), "Expiring soon")
    assert expiring[1][3] == "State medical licence" and expiring[1][-1] == "medical_licence"


def test_xlsx_has_real_date_cells_widths_a_frozen_header_and_filters(tmp_path, known_data):
    path, rows = build(tmp_path, "activity_export", "xlsx")
    sheet = load_workbook(path)["Activities"]
    headers = [cell.value for cell in sheet[1]]
    posted = sheet.cell(2, headers.index("Posted at (UTC)") + 1)
    assert posted.is_date and isinstance(posted.value, dt.datetime) and posted.number_format == "yyyy-mm-dd hh:mm:ss"
    assert posted.value == dt.datetime(2026, 10, 2, 12)  # UTC
    assert isinstance(sheet.cell(2, headers.index("Impressions") + 1).value, int)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers)).column_letter}{rows + 1}"
    widths = {
        header: sheet.column_dimensions[sheet.cell(1, i).column_letter].width for i, header in enumerate(headers, 1)
    }
    assert widths["Clinician ID"] >= 36  # a whole UUID shows
    assert widths["URL"] > widths["Likes"] >= 10

    path, _ = build(tmp_path, "advocacy_summary", "xlsx")
    workbook = load_workbook(path)
    week = workbook["Weekly trend"].cell(2, 1)
    assert week.is_date and week.value.weekday() == 0 and week.number_format == "yyyy-mm-dd"
    campaign = workbook["Campaigns"]
    assert [campaign.cell(2, 2).value, campaign.cell(2, 3).value] == [
        dt.datetime(2026, 10, 1),
        dt.datetime(2026, 11, 15),
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")


def test_a_csv_of_several_tables_is_a_zip_of_one_table_per_file(tmp_path, known_data):
    path, rows = build(tmp_path, "verification", "csv")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [
            "01-verification-queue.csv",
            "02-decisions-in-the-period.csv",
            "03-credentials-expiring-soon.csv",
        ]
        tables = [list(csv.reader(io.StringIO(archive.read(name).decode()))) for name in archive.namelist()]
    assert [table[0][0] for table in tables] == ["Status", "Decision", "Clinician ID"]
    assert all(len({len(row) for row in table}) == 1 for table in tables)  # one rectangle per file
    assert rows == sum(len(table) - 1 for table in tables) == 4
    assert "036-123456" not in str(tables)


def test_the_download_name_of_a_csv_zip_ends_in_zip(known_data):
    from reports.services import report_download_name
    from tests.reports.factories import ReportFactory

    report = ReportFactory(kind="verification", format="csv", parameters={"start": "2026-10-01", "end": "2026-10-31"})
    assert report_download_name(report=report).endswith(f"-{report.pk}.zip")
    report = ReportFactory(kind="activity_export", format="csv", parameters={})
    assert report_download_name(report=report).endswith(".csv")


def _clicks(client, link, times: int) -> None:
    for _ in range(times):
        assert client.get(f"/l/{link.code}").status_code == 302


def test_tracked_link_clicks_appear_in_the_campaign_report_and_the_roster(tmp_path, known_data, client):
    item = known_data.campaign.toolkit_items.create(
        kind=ToolkitItemKind.EVIDENCE_LINK, url="https://cdc.example/measles"
    )
    ada_link = tracked_links_ensure(clinician=known_data.ada, items=[item])[item.pk]
    ben_link = tracked_links_ensure(clinician=known_data.ben, items=[item])[item.pk]
    _clicks(client, ada_link, 3)
    _clicks(client, ben_link, 2)

    path, _ = build(tmp_path, "campaign", "xlsx", CAMPAIGN_PERIOD)
    workbook = load_workbook(path)
    goal = sheet_rows(workbook, "Goal progress")
    assert goal[0][-1] == "Tracked-link clicks" and goal[1][-1] == 5
    assert sheet_rows(workbook, "Tracked links")[1:] == [["https://cdc.example/measles", 2, 5]]
    assert dict(sheet_rows(workbook, "Overview")[1:])[TRACKED_CLICKS_MEASURE] == 5
    top = sheet_rows(workbook, "Top contributors")
    assert top[1][2] == "Ada Lovelace" and top[1][-1] == 3  # Ben did not opt in: not named

    path, _ = build(tmp_path, "points_roster", "csv")
    clicks = {r["Clinician"]: r["Tracked-link clicks (all time)"] for r in csv_table(path.read_text())}
    assert clicks == {"Ada Lovelace": "3", "Ben Hidden": "2", "Cal Pending": "0"}
    path, _ = build(tmp_path, "advocacy_summary", "pdf", CAMPAIGN_PERIOD)
    assert TRACKED_CLICKS_MEASURE in "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _page_of(reader: PdfReader, text: str) -> int:
    pages = [n for n, page in enumerate(reader.pages) if text in page.extract_text()]
    assert pages, text
    return pages[0]


@pytest.mark.parametrize("filler_rows", range(18, 34, 3))
def test_a_pdf_heading_stays_on_the_page_of_its_chart(tmp_path, filler_rows):
    """Whatever table comes before, the heading moves to the next page with its chart."""
    filler = Section("Filler", ["Row", "Value"], [(f"row {n}", n) for n in range(filler_rows)])
    charted = Section(
        "Charted section", ["Category", "Posts"], [("Alpha", 5), ("Beta", 3)], chart="bar", note="A note."
    )
    path = tmp_path / "out.pdf"
    with open(path, "wb") as out:
        render_pdf(Document("Title", "Subtitle", [filler, charted]), out, lambda written: None)
    reader = PdfReader(path)
    assert _page_of(reader, "Charted section") == _page_of(reader, "Posts by category") == _page_of(reader, "Alpha")


def _right_edges(path, texts: set[str]) -> dict[str, float]:
    """The right edge of each given text on the first page (its x plus its width in Helvetica 8)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    edges: dict[str, float] = {}

    def visit(text, cm, tm, font_dict, font_size):
        text = text.strip()
        if text in texts:
            edges[text] = round(tm[4] + stringWidth(text, "Helvetica", 8), 1)

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return edges


def test_pdf_tables_right_align_numbers(tmp_path):
    section = Section("Reach", ["Platform", "Reach", "Posts"], [("X (Twitter)", 1_234_567, 3), ("LinkedIn", 89, 12)])
    path = tmp_path / "out.pdf"
    with open(path, "wb") as out:
        render_pdf(Document("Title", "", [section]), out, lambda written: None)
    edges = _right_edges(path, {"1,234,567", "89", "3", "12", "X (Twitter)", "LinkedIn"})
    assert edges["1,234,567"] == edges["89"]
    assert edges["3"] == edges["12"]
    assert edges["X (Twitter)"] != edges["LinkedIn"]  # text stays left-aligned


def test_tracked_link_clicks_cost_the_same_queries_at_any_number_of_clinicians(tmp_path, known_data):
    """The clicks are a subquery or one grouping per section, never a query per clinician or campaign."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import VerifiedClinicianFactory

    item = known_data.campaign.toolkit_items.create(kind=ToolkitItemKind.EVIDENCE_LINK, url="https://cdc.example/a")

    def queries(kind: str, parameters: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            build(tmp_path, kind, "xlsx", parameters)
        return len(captured.captured_queries)

    tracked_links_ensure(clinician=known_data.ada, items=[item])
    few = (queries("campaign", CAMPAIGN_PERIOD), queries("points_roster", CAMPAIGN_PERIOD))
    for n in range(6):
        clinician = VerifiedClinicianFactory(display_name=f"Extra {n}", leaderboard_opt_in=True)
        tracked_links_ensure(clinician=clinician, items=[item])
    assert (queries("campaign", CAMPAIGN_PERIOD), queries("points_roster", CAMPAIGN_PERIOD)) == few
