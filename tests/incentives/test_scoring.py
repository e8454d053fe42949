"""Score periods and caps at their boundaries: a Monday 1 January just after midnight and a leap day
(UTC calendar month, quarter and year; rolling 30 days; ISO weeks for the weekly cap)."""

import datetime as dt

import pytest

from campaigns.models import Category
from incentives.models import LedgerEntry, Score
from incentives.scoring import period_starts
from incentives.services import activity_award, scores_recompute
from tests.factories import ActivityFactory, VerifiedClinicianFactory
from tests.incentives.factories import rule_set_next

pytestmark = pytest.mark.django_db

NEW_YEAR_MONDAY = dt.datetime(2029, 1, 1, 0, 5, tzinfo=dt.UTC)
LEAP_DAY = dt.datetime(2028, 2, 29, 0, 5, tzinfo=dt.UTC)


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_period_starts_on_new_years_monday_are_the_new_year():
    assert NEW_YEAR_MONDAY.weekday() == 0
    assert period_starts(NEW_YEAR_MONDAY) == {
        "last_30_days": _utc(2028, 12, 2, 0, 5),
        "this_month": _utc(2029, 1, 1),
        "this_quarter": _utc(2029, 1, 1),
        "this_year": _utc(2029, 1, 1),
    }


def test_period_starts_on_a_leap_day():
    assert period_starts(LEAP_DAY) == {
        "last_30_days": _utc(2028, 1, 30, 0, 5),
        "this_month": _utc(2028, 2, 1),
        "this_quarter": _utc(2028, 1, 1),
        "this_year": _utc(2028, 1, 1),
    }


def test_a_post_just_after_midnight_counts_for_the_new_periods_and_one_just_before_only_for_30_days(time_machine):
    time_machine.move_to(NEW_YEAR_MONDAY, tick=False)
    clinician = VerifiedClinicianFactory()
    ActivityFactory(
        clinician=clinician, category=Category.PUBLIC_EDUCATION, impressions=0, posted_at=_utc(2028, 12, 31, 23, 59)
    )
    ActivityFactory(
        clinician=clinician,
        category=Category.MISINFORMATION_CORRECTION,
        impressions=0,
        posted_at=NEW_YEAR_MONDAY - dt.timedelta(minutes=1),
    )
    scores_recompute()
    score = Score.objects.get(clinician=clinician)
    # Public education is worth 20 and a correction 25 under rule set v1.
    assert (score.lifetime, score.last_30_days) == (45, 45)
    assert (score.this_month, score.this_quarter, score.this_year) == (25, 25, 25)


def test_the_weekly_cap_starts_again_on_the_monday_that_opens_the_year():
    rule_set_next(weekly_category_cap=30)
    clinician = VerifiedClinicianFactory()

    def priced(posted_at: dt.datetime) -> int:
        activity = ActivityFactory(
            clinician=clinician, category=Category.PUBLIC_EDUCATION, impressions=0, posted_at=posted_at
        )
        activity_award(activity_id=activity.pk)
        return sum(LedgerEntry.objects.filter(activity=activity).values_list("amount", flat=True))

    # Sunday 31 December closes ISO week 2028-W52; Monday 1 January opens 2029-W01.
    assert priced(_utc(2028, 12, 31, 23, 59)) == 20
    assert priced(_utc(2029, 1, 1, 0, 4)) == 20
    assert priced(_utc(2029, 1, 1, 0, 10)) == 10
