"""A staff member's share of "My data" held by reports: the reports they requested, never the files."""

import pytest

from reports.personal_data import reports_personal_data
from tests.factories import UserFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_reports_the_user_requested_and_nothing_for_others(staff_user):
    report = ReportFactory(requested_by=staff_user)
    ReportFactory(requested_by=UserFactory())

    [row] = reports_personal_data(user=staff_user)["reports_requested"]

    assert row == {
        "kind": report.kind,
        "format": report.format,
        "parameters": report.parameters,
        "status": report.status,
        "created_at": report.created_at,
        "finished_at": None,
    }
    assert reports_personal_data(user=UserFactory()) == {}
