"""`manage.py generate_report` writes the same file as the worker, synchronously."""

import csv

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_it_writes_a_csv_export_for_a_period(tmp_path, known_data, capsys):
    output = tmp_path / "activities.csv"
    call_command(
        "generate_report",
        "activity_export",
        "--format",
        "csv",
        "--start",
        "2026-10-01",
        "--end",
        "2026-10-31",
        "--state",
        "IL",
        "--output",
        str(output),
    )
    with output.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 4
    assert "Wrote 3 rows" in capsys.readouterr().out


def test_it_writes_a_campaign_pdf_and_a_roster_xlsx(tmp_path, known_data):
    pdf = tmp_path / "campaign.pdf"
    call_command(
        "generate_report",
        "campaign",
        "--format",
        "pdf",
        "--start",
        "2026-10-01",
        "--end",
        "2026-11-15",
        "--campaign",
        "measles-facts",
        "--output",
        str(pdf),
    )
    assert "Measles Facts Now" in PdfReader(pdf).pages[0].extract_text()
    xlsx = tmp_path / "roster.xlsx"
    call_command(
        "generate_report",
        "points_roster",
        "--format",
        "xlsx",
        "--period",
        "last-month",
        "--specialty",
        "cardiology",
        "--output",
        str(xlsx),
    )
    assert load_workbook(xlsx).sheetnames == ["Points roster"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["points_roster", "--format", "pdf"], "available as"),
        (["activity_export", "--format", "csv", "--start", "2026-10-01"], "go together"),
        (["activity_export", "--format", "csv", "--period", "last-month", "--start", "2026-10-01"], "not both"),
        (["activity_export", "--format", "csv", "--campaign", "nope"], "No campaign"),
        (["campaign", "--format", "pdf"], "needs a campaign"),
    ],
)
def test_it_refuses_bad_arguments_with_a_message_and_writes_nothing(tmp_path, db, args, message):
    output = tmp_path / "out.file"
    with pytest.raises(CommandError, match=message):
        call_command("generate_report", *args, "--output", str(output))
    assert not output.exists()
