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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start": "2026-02-30", "end": "2026-03-10"}, "start", "valid date"),
        ({"start": "2026-13-01", "end": "2026-03-10"}, "start", "valid date"),
        ({"start": "1999-12-31", "end": "2000-01-31"}, "start", "Choose a period between"),
        ({"start": "today-10", "end": "today-20"}, "end", "on or after the first day"),
        ({"start": "today-10", "end": "today+400"}, "end", "Choose a period between"),
        ({"start": "today-10"}, "end", "last day"),
    ],
)
def test_it_refuses_an_impossible_custom_period_before_any_worker_runs(fields, field, message):
    """Each impossible period is answered on its field, and nothing is stored or queued."""
    from django.utils import timezone

    from reports.models import Report

    today = timezone.localdate()

    def day(value: str) -> str:
        if value.startswith("today"):
            return (today + dt.timedelta(days=int(value.removeprefix("today") or 0))).isoformat()
        return value

    form = _form(period="custom", **{key: day(value) for key, value in fields.items()})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "no_such_report"}, "kind"),
        ({"format": "docx"}, "format"),
        ({"period": "last_century"}, "period"),
        ({"specialty": "astrology"}, "specialty"),
        ({"state": "XX"}, "state"),
        ({"campaign": "no-such-campaign"}, "campaign"),
    ],
)
def test_it_refuses_unknown_choices(fields, field):
    form = _form(**fields)
    assert not form.is_valid()
    assert field in form.errors
