"""Property: for any sequence of events, the event-driven ledger equals a full recompute."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Activity, ActivityStatus, Category
from clinicians.models import Clinician
from incentives.models import Score
from incentives.pricing import activity_totals_mismatched, activity_values
from incentives.services import activity_award, rule_set_current, scores_recompute
from tests.factories import ActivityFactory, CampaignFactory, VerifiedClinicianFactory
from tests.incentives.factories import rule_set_next

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
CATEGORIES = [Category.PUBLIC_EDUCATION, Category.MISINFORMATION_CORRECTION, Category.PRACTICE_MARKETING]

activity_specs = st.lists(
    st.tuples(
        st.integers(0, 1),  # clinician
        st.integers(0, 9),  # day offset (spans two ISO weeks)
        st.integers(0, 5),  # hour
        st.sampled_from(CATEGORIES),
        st.integers(0, 10**6),  # impressions
        st.integers(0, 2),  # citations
    ),
    min_size=1,
    max_size=6,
)
events = st.lists(
    st.one_of(
        st.tuples(st.just("accept"), st.integers(0, 5)),
        st.tuples(st.just("metrics"), st.integers(0, 5), st.integers(0, 10**7)),
        st.tuples(st.just("campaign"), st.integers(0, 5), st.integers(0, 2)),
        st.tuples(st.just("withdraw"), st.integers(0, 5)),
        st.tuples(st.just("reject"), st.integers(0, 5)),
        st.tuples(st.just("rules"), st.integers(1, 40), st.integers(10, 80), st.integers(10, 80)),
        st.tuples(st.just("lapse"), st.integers(0, 1)),
        st.tuples(st.just("share"), st.integers(0, 100)),
        st.tuples(st.just("source"), st.integers(0, 5), st.sampled_from(["imported", "self_reported"])),
    ),
    max_size=12,
)


STATUSES = {"accept": ActivityStatus.ACCEPTED, "withdraw": ActivityStatus.WITHDRAWN, "reject": ActivityStatus.REJECTED}


class Rollback(Exception):
    pass


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=activity_specs, steps=events)
def test_event_ledger_and_full_recompute_agree(specs, steps):
    try:
        with transaction.atomic():
            clinicians = [VerifiedClinicianFactory(), VerifiedClinicianFactory()]
            campaigns = [None, CampaignFactory(multiplier="1.25"), CampaignFactory(multiplier="2.50")]
            activities = [
                ActivityFactory(
                    clinician=clinicians[who],
                    posted_at=MONDAY + dt.timedelta(days=day, hours=hour),
                    category=category,
                    impressions=impressions,
                    citation_count=citations,
                    status=ActivityStatus.SUBMITTED,
                )
                for who, day, hour, category, impressions, citations in specs
            ]
            for step in steps:
                kind, *args = step
                if kind == "rules":
                    points, daily, weekly = args
                    rule_set_next(
                        category_points=dict(rule_set_current().category_points, public_education=points),
                        daily_cap=daily,
                        weekly_category_cap=weekly,
                    )
                    scores_recompute()
                    continue
                if kind == "share":
                    rule_set_next(self_reported_engagement_share=args[0])
                    scores_recompute()
                    continue
                if kind == "lapse":
                    clinician = clinicians[args[0]]
                    Clinician.objects.filter(pk=clinician.pk).update(
                        verification_status="lapsed", lapsed_at=MONDAY + dt.timedelta(days=4)
                    )
                    for activity in clinician.activities.all():
                        activity_award(activity_id=activity.pk)
                    continue
                activity = activities[args[0] % len(activities)]
                if kind == "metrics":
                    changes = {"impressions": args[1]}
                elif kind == "source":
                    changes = {"impressions_source": args[1]}
                elif kind == "campaign":
                    changes = {"campaign": campaigns[args[1]]}
                else:
                    changes = {"status": STATUSES[kind]}
                Activity.objects.filter(pk=activity.pk).update(**changes)
                activity_award(activity_id=activity.pk)
            event_scores = {s.clinician_id: (s.lifetime, s.balance) for s in Score.objects.all()}
            values = activity_values(rule_set=rule_set_current())
            assert all(value == total for value, total in values.values()), values
            assert activity_totals_mismatched() == []
            assert scores_recompute(full=True).entries_written == 0
            recomputed = {s.clinician_id: (s.lifetime, s.balance) for s in Score.objects.all()}
            assert {k: v for k, v in event_scores.items() if k in recomputed} == {
                k: v for k, v in recomputed.items() if k in event_scores
            }
            raise Rollback
    except Rollback:
        pass
