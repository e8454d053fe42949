"""A verified clinician's accepted post is priced (eager Celery, as on commit), and the clinician
sees the points on the statement and the leaderboard, redeems a reward and sees the balance drop."""

import pytest
from django.db import transaction

from campaigns.models import Activity
from campaigns.signals import activity_status_changed
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import DEFAULT_PASSWORD, ActivityFactory, VerifiedClinicianFactory
from tests.incentives.factories import RewardFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_points_on_statement_and_leaderboard_and_redeems_a_reward(page):
    clinician = VerifiedClinicianFactory(
        user__email="points@example.org", display_name="Dr Points", leaderboard_opt_in=True
    )
    activity = ActivityFactory(clinician=clinician, category="misinformation_correction", citation_count=1)
    with transaction.atomic():
        activity_status_changed.send(
            sender=Activity, activity_id=activity.pk, old_status="submitted", new_status="accepted"
        )
    RewardFactory(name="Continuing-education voucher", cost=30, stock=3)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("points@example.org")
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/**")

    page.goto("/points/")
    # 25 base + 10 evidence bonus + 6 for 1,000 impressions = 41
    assert page.get_by_test_id("balance").inner_text() == "41"
    assert "Award" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "points-statement")

    page.goto("/leaderboard/")
    assert "Dr Points" in page.inner_text("table")
    assert "Your rank: #1 with 41 points" in page.get_by_test_id("your-rank").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "leaderboard")

    page.goto("/rewards/")
    assert page.get_by_test_id("balance").inner_text() == "41"
    page.get_by_role("button", name="Redeem Continuing-education voucher").click()
    assert page.get_by_test_id("balance-after").inner_text() == "11 points"
    screenshot(page, "reward-confirm")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm: redeem for 30 points").click()
    page.wait_for_url("**/rewards/")
    assert page.get_by_test_id("balance").inner_text() == "11"
    assert "Requested" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "rewards")

    page.goto("/points/")
    assert page.get_by_test_id("balance").inner_text() == "11"
