"""Report periods at calendar boundaries: the named presets on 1 January, a leap day and 1 March."""

import datetime as dt

import pytest

from reports.forms import preset_period

D = dt.date


@pytest.mark.parametrize(
    ("preset", "today", "period"),
    [
        ("last_month", D(2029, 1, 1), (D(2028, 12, 1), D(2028, 12, 31))),
        ("this_month", D(2029, 1, 1), (D(2029, 1, 1), D(2029, 1, 1))),
        ("year_to_date", D(2029, 1, 1), (D(2029, 1, 1), D(2029, 1, 1))),
        ("last_30_days", D(2029, 1, 1), (D(2028, 12, 3), D(2029, 1, 1))),
        ("this_month", D(2028, 2, 29), (D(2028, 2, 1), D(2028, 2, 29))),
        ("last_month", D(2028, 3, 1), (D(2028, 2, 1), D(2028, 2, 29))),
        ("last_30_days", D(2028, 3, 1), (D(2028, 2, 1), D(2028, 3, 1))),
        ("last_month", D(2027, 3, 1), (D(2027, 2, 1), D(2027, 2, 28))),
    ],
)
def test_a_preset_gives_whole_inclusive_days_across_year_and_leap_boundaries(preset, today, period):
    assert preset_period(preset, today) == period


def _form(**fields):
    from reports.forms import ReportRequestForm

    return ReportRequestForm({"kind": "activity_export", "format": "csv", "period": "last_month", **fields})


@pytest.mark.django_db
def test_it_refuses_a_state_code_that_is_no_us_state():
    form = _form(state="ZZ")
    assert not form.is_valid()
    assert "not a US state code" in form.errors["state"][0]
    assert _form(state="il").is_valid()


@pytest.mark.django_db
def test_it_refuses_a_custom_period_that_starts_after_today():
    from django.utils import timezone

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = _form(period="custom", start=tomorrow.isoformat(), end=(tomorrow + dt.timedelta(days=30)).isoformat())
    assert not form.is_valid()
    assert "starts after today" in form.errors["start"][0]
