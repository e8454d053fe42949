"""The "Learning" report: completions by module, version, specialty and month, pass rates and the
most-missed questions, in CSV, XLSX and PDF through the shared builders."""

import csv
import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from clinicians.models import Specialty
from learning import services
from tests.factories import VerifiedClinicianFactory
from tests.learning.factories import ModuleFactory, answers
from tests.reports.test_builders import build, pdf_text, sheet_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def learning_data():
    """Module "Privacy" (pass mark 100): two passes in two months by two specialties, one miss."""
    module = ModuleFactory(title="Privacy", pass_mark_percent=100)
    multiple = module.questions.get(position=2)
    now = timezone.now()
    cardiology = VerifiedClinicianFactory(specialty=Specialty.CARDIOLOGY)
    internal = VerifiedClinicianFactory(specialty=Specialty.INTERNAL)
    with time_machine.travel(now - dt.timedelta(days=35), tick=False):
        services.quiz_submit(clinician=cardiology, module=module, answers=answers(module))
    wrong = {**answers(module), multiple.pk: {multiple.choices.filter(is_correct=False).first().pk}}
    services.quiz_submit(clinician=internal, module=module, answers=wrong)
    services.quiz_submit(clinician=internal, module=module, answers=answers(module))
    return module, now


def test_the_learning_csv_counts_completions_pass_rates_and_missed_questions(tmp_path, learning_data):
    _, now = learning_data
    start = (now - dt.timedelta(days=60)).date().isoformat()
    path, rows = build(tmp_path, "learning", "csv", parameters={"start": start, "end": now.date().isoformat()})
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["01-completions.csv", "02-pass-rates.csv", "03-most-missed-questions.csv"]
        tables = [list(csv.reader(io.StringIO(archive.read(name).decode()))) for name in archive.namelist()]
    text = "\n".join(",".join(row) for table in tables for row in table)
    earlier = (now - dt.timedelta(days=35)).strftime("%Y-%m")
    assert f"Privacy,1,Cardiology,{earlier},1" in text
    assert f"Privacy,1,Internal medicine,{now:%Y-%m},1" in text
    assert "Privacy,3,2,66.7" in text
    assert "Privacy,Pick both,3,1,33.3" in text
    assert rows == 4


def test_the_learning_report_is_available_as_xlsx_and_pdf(tmp_path, learning_data):
    _, now = learning_data
    parameters = {"start": (now - dt.timedelta(days=60)).date().isoformat(), "end": now.date().isoformat()}
    path, _ = build(tmp_path, "learning", "xlsx", parameters=parameters)
    workbook = load_workbook(path)
    assert ["Privacy", 3, 2, 66.7] in sheet_rows(workbook, "Pass rates")
    path, _ = build(tmp_path, "learning", "pdf", parameters=parameters)
    assert "Most-missed questions" in pdf_text(path) and "Pick both" in pdf_text(path)
