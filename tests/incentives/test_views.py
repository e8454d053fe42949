"""Points statement, leaderboard and rewards pages: access, content and constant query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Category
from incentives.models import Redemption
from incentives.services import activity_award, ledger_adjust, scores_recompute
from tests.factories import ActivityFactory, CampaignFactory, ClinicianFactory, UserFactory, VerifiedClinicianFactory
from tests.incentives.factories import RewardFactory, rule_set_next

pytestmark = pytest.mark.django_db

PAGES = ["incentives:statement", "incentives:leaderboard", "incentives:reward_list"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


@pytest.mark.parametrize("name", ["incentives:statement", "incentives:reward_list"])
def test_accounts_without_a_clinician_get_404(client, admin_user, name):
    client.force_login(admin_user)
    assert client.get(reverse(name)).status_code == 404


def test_the_statement_shows_each_entry_with_reason_capping_and_running_balance(client):
    rule_set_next(daily_cap=30)
    clinician = VerifiedClinicianFactory()
    posted = timezone.now() - dt.timedelta(days=1)
    for hours in (0, 1):
        activity = ActivityFactory(clinician=clinician, impressions=0, posted_at=posted + dt.timedelta(hours=hours))
        activity_award(activity_id=activity.pk)
    ledger_adjust(clinician=clinician, amount=-5, reason="Duplicate post", actor=UserFactory(is_staff=True))
    client.force_login(clinician.user)
    page = client.get(reverse("incentives:statement")).content.decode()
    assert "Capped from 20 points" in page
    assert "Rule set v2" in page
    assert "Duplicate post" in page
    # Newest first: -5 leaves 25 after 20 + 10.
    assert page.index("Duplicate post") < page.index("Capped from 20")
    assert ">25<" in page and ">30<" in page and ">20<" in page


def test_another_clinicians_entries_never_appear(client):
    other = ActivityFactory(impressions=0)
    activity_award(activity_id=other.pk)
    viewer = VerifiedClinicianFactory()
    client.force_login(viewer.user)
    assert "No points yet" in client.get(reverse("incentives:statement")).content.decode()


def _ledger(clinician, count: int) -> None:
    for index in range(count):
        activity = ActivityFactory(
            clinician=clinician, impressions=0, posted_at=timezone.now() - dt.timedelta(days=1 + index)
        )
        activity_award(activity_id=activity.pk)


def test_the_statement_runs_the_same_queries_at_two_sizes(client, django_assert_num_queries):
    small, large = VerifiedClinicianFactory(), VerifiedClinicianFactory()
    _ledger(small, 2)
    _ledger(large, 30)
    counts = []
    for clinician in (small, large):
        client.force_login(clinician.user)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("incentives:statement")).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]
    client.force_login(large.user)
    with django_assert_num_queries(counts[1]):
        client.get(reverse("incentives:statement"), {"page": 2})


def test_the_leaderboard_names_only_opted_in_clinicians_and_always_shows_the_viewer(client, settings):
    settings.INCENTIVES_LEADERBOARD_SIZE = 2
    named = VerifiedClinicianFactory(display_name="Dr Named", leaderboard_opt_in=True)
    hidden = VerifiedClinicianFactory(display_name="Dr Hidden", leaderboard_opt_in=False)
    viewer = VerifiedClinicianFactory(display_name="Dr Viewer")
    unverified = ClinicianFactory(display_name="Dr Unverified", leaderboard_opt_in=True)
    for clinician, category in (
        (named, Category.MISINFORMATION_CORRECTION),
        (hidden, Category.PUBLIC_EDUCATION),
        (viewer, Category.RECRUITMENT),
        (unverified, Category.MISINFORMATION_CORRECTION),
    ):
        ActivityFactory(clinician=clinician, category=category, impressions=0)
    ActivityFactory(clinician=viewer, category=Category.PRACTICE_MARKETING, impressions=10**6)
    scores_recompute()
    client.force_login(viewer.user)
    page = client.get(reverse("incentives:leaderboard")).content.decode()
    assert "Dr Named" in page and "Anonymous clinician" in page
    assert "Dr Hidden" not in page and "Dr Unverified" not in page
    # Practice marketing does not count: the viewer has 8 (recruitment) and ranks third.
    assert "Your rank: <strong>#3</strong> with 8 points" in page


def test_the_leaderboard_filters_by_period_specialty_and_campaign(client):
    campaign = CampaignFactory(slug="flu-season")
    viewer = VerifiedClinicianFactory(specialty="pediatrics", leaderboard_opt_in=True, display_name="Dr Kid")
    other = VerifiedClinicianFactory(specialty="cardiology", leaderboard_opt_in=True, display_name="Dr Heart")
    ActivityFactory(clinician=viewer, campaign=campaign, impressions=0)
    ActivityFactory(clinician=other, impressions=0, posted_at=timezone.now() - dt.timedelta(days=60))
    scores_recompute()
    client.force_login(viewer.user)
    url = reverse("incentives:leaderboard")
    page = client.get(url, {"campaign": "flu-season"}).content.decode()
    assert "Dr Kid" in page and "Dr Heart" not in page
    page = client.get(url, {"period": "30d"}).content.decode()
    assert "Dr Kid" in page and "Dr Heart" not in page
    page = client.get(url, {"specialty": "cardiology"}).content.decode()
    assert "Dr Heart" in page and "Dr Kid" not in page
    assert client.get(url, {"period": "decade"}).status_code == 200


@pytest.mark.parametrize("params", [{}, {"campaign": "flu-season", "period": "month"}])
def test_the_leaderboard_runs_the_same_queries_at_two_sizes(client, settings, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.INCENTIVES_LEADERBOARD_SIZE = 3
    campaign = CampaignFactory(slug="flu-season")
    viewer = VerifiedClinicianFactory()
    ActivityFactory(clinician=viewer, campaign=campaign, impressions=0, category=Category.RECRUITMENT)
    counts = []
    for extra in (2, 12):
        for _ in range(extra):
            ActivityFactory(
                campaign=campaign, impressions=0, clinician=VerifiedClinicianFactory(leaderboard_opt_in=True)
            )
        scores_recompute()
        client.force_login(viewer.user)
        with CaptureQueriesContext(connection) as context:
            page = client.get(reverse("incentives:leaderboard"), params).content.decode()
        assert "Your rank" in page
        counts.append(len(context))
    assert counts[0] == counts[1]


def test_rewards_page_redeems_and_shows_the_redemption(client):
    clinician = VerifiedClinicianFactory()
    ledger_adjust(clinician=clinician, amount=80, reason="Welcome", actor=UserFactory(is_staff=True))
    reward = RewardFactory(name="Textbook voucher", cost=50)
    RewardFactory(name="Expired perk", available_until=timezone.now() - dt.timedelta(days=1))
    client.force_login(clinician.user)
    page = client.get(reverse("incentives:reward_list")).content.decode()
    assert "Textbook voucher" in page and "Expired perk" not in page
    response = client.post(reverse("incentives:reward_redeem", args=[reward.pk]), follow=True)
    page = response.content.decode()
    assert "50 points were deducted" in page
    assert 'data-testid="balance">30<' in page
    response = client.post(reverse("incentives:reward_redeem", args=[reward.pk]), follow=True)
    assert "costs 50 points; your balance is 30" in response.content.decode()
    assert Redemption.objects.count() == 1
    page = client.get(reverse("incentives:reward_list")).content.decode()
    assert f'data-testid="need-{reward.pk}">You need <strong>20</strong> more points.' in page


def test_redeeming_asks_for_confirmation_first_and_changes_nothing_until_then(client):
    clinician = VerifiedClinicianFactory()
    ledger_adjust(clinician=clinician, amount=80, reason="Welcome", actor=UserFactory(is_staff=True))
    reward = RewardFactory(name="Textbook voucher", cost=50)
    client.force_login(clinician.user)
    page = client.get(reverse("incentives:reward_list")).content.decode()
    assert f'href="{reverse("incentives:reward_redeem", args=[reward.pk])}">Redeem Textbook voucher</a>' in page
    confirm = client.get(reverse("incentives:reward_redeem", args=[reward.pk])).content.decode()
    assert "Redeem Textbook voucher?" in confirm
    assert 'data-testid="balance-after">30 points<' in confirm
    assert Redemption.objects.count() == 0
