"""Cells that a spreadsheet would run as formulas are neutralised in CSV and XLSX."""

import csv

import pytest
from openpyxl import load_workbook

from core.spreadsheet import cell_safe
from reports.builders import report_file_write
from tests.factories import ActivityFactory, CampaignFactory, VerifiedClinicianFactory
from tests.reports.conftest import PERIOD, at

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cell_safe_prefixes_every_trigger_with_a_quote(payload):
    assert cell_safe(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Ada", "a=b", " =x", "", 42, -5, None, 1.5])
def test_cell_safe_leaves_other_values_alone(value):
    assert cell_safe(value) == value


@pytest.fixture
def hostile_rows(db):
    rows = []
    for n, payload in enumerate(PAYLOADS):
        clinician = VerifiedClinicianFactory(display_name=payload)
        campaign = CampaignFactory(title=payload, slug=f"hostile-{n}")
        rows.append(ActivityFactory(clinician=clinician, campaign=campaign, posted_at=at(3 + n)))
    return rows


def _export(tmp_path, fmt):
    path = tmp_path / f"export.{fmt}"
    report_file_write(
        kind="activity_export",
        format=fmt,
        parameters=PERIOD,
        path=path,
        on_stage=lambda s: None,
        on_progress=lambda w, e: None,
    )
    return path


def test_csv_export_neutralises_every_trigger(tmp_path, hostile_rows):
    with _export(tmp_path, "csv").open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert sorted(r["Clinician"] for r in table) == sorted("'" + p for p in PAYLOADS)
    assert sorted(r["Campaign"] for r in table) == sorted("'" + p for p in PAYLOADS)


def test_xlsx_export_neutralises_every_trigger(tmp_path, hostile_rows):
    workbook = load_workbook(_export(tmp_path, "xlsx"))
    rows = list(workbook["Activities"].iter_rows(values_only=True))[1:]
    # XML parsing turns a stored carriage return into a line feed; the quote is what matters.
    expected = sorted("'" + p.replace("\r", "\n") for p in PAYLOADS)
    assert sorted(r[3] for r in rows) == expected
    assert sorted(r[8] for r in rows) == expected
    # Stored as plain strings: openpyxl would mark a formula cell with data_type "f".
    assert all(cell.data_type == "s" for row in workbook["Activities"].iter_rows(min_row=2) for cell in row[3:4])
