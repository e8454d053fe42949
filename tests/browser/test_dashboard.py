"""A clinician with points, activities and a campaign sees the dashboard and its charts; staff see
the association's dashboard; both pass axe at phone and desktop widths."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Category
from clinicians.models import Platform
from tests.browser.conftest import axe_violations, screenshot, sign_in_code_if_asked
from tests.dashboard.factories import (
    AwardFactory,
    LedgerEntryFactory,
    NotificationFactory,
    ReportFactory,
    ScoreFactory,
)
from tests.factories import DEFAULT_PASSWORD, ActivityFactory, CampaignFactory, ParticipationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    sign_in_code_if_asked(page, email)
    page.wait_for_url("**/dashboard/**")


def _check_axe_at_both_widths(page) -> None:
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width


def test_a_clinician_sees_points_and_charts(page, clinician_user):
    clinician = clinician_user.clinician
    ScoreFactory(clinician=clinician, balance=180, lifetime=340, last_30_days=95, rank_overall=4, tier="bronze")
    AwardFactory(clinician=clinician, badge__name="First voice")
    campaign = CampaignFactory(title="Flu shots now", goal_target=12)
    ParticipationFactory(clinician=clinician, campaign=campaign)
    now = timezone.now()
    for index in range(18):
        activity = ActivityFactory(
            clinician=clinician,
            campaign=campaign if index % 3 == 0 else None,
            category=Category.values[index % 4],
            platform=Platform.values[index % 5],
            posted_at=now - dt.timedelta(days=index * 7),
        )
        LedgerEntryFactory(
            clinician=clinician, activity=activity, amount=10 + index, created_at=now - dt.timedelta(days=index * 7)
        )
    NotificationFactory(user=clinician_user, title="You earned a badge")

    _log_in(page, clinician_user.email)
    assert "340" in page.inner_text("main")
    canvas = page.locator("#chart-points-weekly")
    page.wait_for_selector("#chart-points-weekly[data-rendered='true']", state="attached")
    assert canvas.get_attribute("role") == "img"
    assert canvas.bounding_box()["height"] > 100
    screenshot(page, "dashboard")
    _check_axe_at_both_widths(page)

    page.goto("/notifications/")
    screenshot(page, "notifications")
    _check_axe_at_both_widths(page)
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_url("**/notifications/")
    assert page.locator(".is-unread").count() == 0

    page.goto("/notifications/settings/")
    screenshot(page, "notification-settings")
    _check_axe_at_both_widths(page)

    page.goto("/my-data/")
    page.wait_for_url("**/reauthenticate/**")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/my-data/")
    screenshot(page, "my-data")
    _check_axe_at_both_widths(page)


def test_staff_see_the_association_dashboard(page, staff_user):
    campaign = CampaignFactory(title="Sun safety", goal_target=20)
    for index in range(12):
        ActivityFactory(
            campaign=campaign if index % 2 else None,
            category=Category.values[index % 5],
            platform=Platform.values[index % 3],
            posted_at=timezone.now() - dt.timedelta(days=index * 9),
        )
    ReportFactory()
    _log_in(page, staff_user.email)
    assert page.get_by_role("heading", level=1).inner_text() == "Association dashboard"
    page.wait_for_selector("#chart-activities-weekly[data-rendered='true']", state="attached")
    screenshot(page, "dashboard-staff")
    _check_axe_at_both_widths(page)
