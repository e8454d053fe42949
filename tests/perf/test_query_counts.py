"""Query counts in the suite: every list page and admin changelist runs the same number of queries
whatever the number of rows it lists (issue 8). Each test renders the page at size A, adds rows of
several clinicians (size B), and asserts the same count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinicians.models import Clinician
from incentives.models import LedgerKind
from tests.dashboard.factories import (
    LedgerEntryFactory,
    NotificationFactory,
    RedemptionFactory,
    ReportFactory,
    RewardFactory,
    ScoreFactory,
    SocialAccountFactory,
)
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    ClinicianFactory,
    CredentialFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db

GROWTH = 6


def _queries(client, url: str) -> int:
    """Queries of one GET after a warm-up GET (sessions, caches and content types loaded)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _same_at_two_sizes(client, url: str, grow, django_assert_num_queries) -> int:
    grow(1)
    small = _queries(client, url)
    grow(GROWTH)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200
    return small


def _activities(n: int) -> None:
    campaign = CampaignFactory()
    for index in range(n):
        ActivityFactory(campaign=campaign, status="flagged" if index % 2 else "accepted")


def _ledger_entries(n: int) -> None:
    for _ in range(n):
        activity = ActivityFactory()
        LedgerEntryFactory(clinician=activity.clinician, activity=activity, kind=LedgerKind.AWARD)


ADMIN_CHANGELISTS = {
    "/admin/campaigns/activity/": _activities,
    "/admin/incentives/ledgerentry/": _ledger_entries,
    # The queue opens filtered on what awaits a decision (the bare URL redirects there).
    "/admin/clinicians/credential/?status=awaiting": lambda n: [CredentialFactory() for _ in range(n)],
    "/admin/clinicians/clinician/": lambda n: ClinicianFactory.create_batch(n),
    "/admin/clinicians/socialaccount/": lambda n: SocialAccountFactory.create_batch(n),
    "/admin/campaigns/campaign/": lambda n: CampaignFactory.create_batch(n),
    "/admin/incentives/redemption/": lambda n: RedemptionFactory.create_batch(n),
    "/admin/reports/report/": lambda n: ReportFactory.create_batch(n),
    "/admin/incentives/score/": lambda n: [ScoreFactory(rank_overall=i + 1) for i in range(n)],
}


@pytest.mark.parametrize("url", list(ADMIN_CHANGELISTS))
def test_admin_changelists_run_the_same_queries_at_two_sizes(client, admin_user, url, django_assert_num_queries):
    client.force_login(admin_user)
    _same_at_two_sizes(client, url, ADMIN_CHANGELISTS[url], django_assert_num_queries)


def _viewer(clinician_user) -> Clinician:
    clinician = clinician_user.clinician
    ScoreFactory(clinician=clinician, rank_overall=1)
    return clinician


def test_the_leaderboard_runs_the_same_queries_at_two_sizes(client, clinician_user, django_assert_num_queries):
    _viewer(clinician_user)
    client.force_login(clinician_user)

    def grow(n: int) -> None:
        for i in range(n):
            ScoreFactory(lifetime=100 + i, leaderboard_lifetime=100 + i, rank_overall=i + 2)

    _same_at_two_sizes(client, "/leaderboard/", grow, django_assert_num_queries)


def test_the_reward_list_runs_the_same_queries_at_two_sizes(client, clinician_user, django_assert_num_queries):
    clinician = _viewer(clinician_user)
    client.force_login(clinician_user)

    def grow(n: int) -> None:
        for _ in range(n):
            RedemptionFactory(clinician=clinician, reward=RewardFactory())

    _same_at_two_sizes(client, "/rewards/", grow, django_assert_num_queries)


def test_the_notification_list_runs_the_same_queries_at_two_sizes(client, clinician_user, django_assert_num_queries):
    client.force_login(clinician_user)
    _same_at_two_sizes(
        client,
        "/notifications/",
        lambda n: NotificationFactory.create_batch(n, user=clinician_user),
        django_assert_num_queries,
    )


def test_the_campaign_page_runs_the_same_queries_at_two_sizes(client, clinician_user, django_assert_num_queries):
    clinician = _viewer(clinician_user)
    campaign = CampaignFactory(is_published=True)
    ParticipationFactory(campaign=campaign, clinician=clinician)
    client.force_login(clinician_user)

    def grow(n: int) -> None:
        for _ in range(n):
            other = ParticipationFactory(campaign=campaign).clinician
            ActivityFactory(campaign=campaign, clinician=other)
            ActivityFactory(campaign=campaign, clinician=clinician)

    _same_at_two_sizes(client, f"/campaigns/{campaign.slug}/", grow, django_assert_num_queries)
