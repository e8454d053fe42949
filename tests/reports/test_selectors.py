"""Report figures that share a rule with the rest of the portal: points in a period (by post date,
as the scores count them) and campaign goal progress."""

import datetime as dt

import pytest

from incentives.models import LedgerKind, Score
from incentives.services import score_refresh
from reports.selectors import ReportScope, points_roster_rows, summary_campaign_outcomes
from tests.factories import ActivityFactory, CampaignFactory, LedgerEntryFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db

OCTOBER = ReportScope(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def _entry(clinician, amount: int, *, posted_at: dt.datetime | None, created_at: dt.datetime) -> None:
    activity = ActivityFactory(clinician=clinician, posted_at=posted_at) if posted_at else None
    kind = LedgerKind.AWARD if activity else LedgerKind.ADJUSTMENT
    LedgerEntryFactory(clinician=clinician, activity=activity, amount=amount, kind=kind, created_at=created_at)


def test_points_in_a_period_count_by_post_date_at_both_boundaries():
    clinician = VerifiedClinicianFactory()
    # Posted in the last second of September, priced in October: September's points.
    _entry(clinician, 1, posted_at=_utc(2026, 9, 30, 23, 59, 59), created_at=_utc(2026, 10, 1, 0, 0, 1))
    # Posted at the first instant of October: October's.
    _entry(clinician, 10, posted_at=_utc(2026, 10, 1), created_at=_utc(2026, 10, 1, 0, 5))
    # Posted in the last second of October, priced in November: still October's.
    _entry(clinician, 100, posted_at=_utc(2026, 10, 31, 23, 59, 59), created_at=_utc(2026, 11, 1, 0, 30))
    # An adjustment has no post: its own time counts.
    _entry(clinician, 1000, posted_at=None, created_at=_utc(2026, 10, 15))
    # Redeemed points are not points earned.
    LedgerEntryFactory(clinician=clinician, amount=-5000, kind=LedgerKind.REDEMPTION, created_at=_utc(2026, 10, 20))

    (row,) = [row for row in points_roster_rows(scope=OCTOBER) if row[0] == clinician.public_id]
    assert row[7] == 1110

    # The scores' "this month", taken on the last second of October, count the same entries.
    score_refresh(clinician_id=clinician.pk, now=_utc(2026, 10, 31, 23, 59, 59))
    assert Score.objects.get(clinician=clinician).this_month == 1110


def test_campaign_outcomes_use_the_campaign_goal_rule():
    campaign = CampaignFactory(
        starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 31), goal_kind="posts", goal_target=3
    )
    for _ in range(2):
        ActivityFactory(campaign=campaign, posted_at=_utc(2026, 10, 10), status="accepted")
    (row,) = summary_campaign_outcomes(scope=OCTOBER)
    assert (row[5], row[6]) == (2, 66)  # 2 of 3: floored (it printed 67)
