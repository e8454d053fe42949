"""Accessibility and visual sweep: every main page, filled with realistic data, passes axe (no serious
or critical violations) at 375 px and 1280 px, is keyboard reachable (the first Tab lands on "Skip
to content"; the main navigation links take focus), and leaves full-page screenshots under
artifacts/screenshots/a11y-<page>-375.png and -1280.png."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import ActivityStatus, Category, ToolkitItem, ToolkitItemKind
from campaigns.participation import campaign_join
from campaigns.services import activity_accept
from clinicians.models import CredentialStatus, Platform, SocialAccount
from learning.seed import modules_seed
from reports.models import Report, ReportStatus
from reports.services import report_request
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, screenshot, sign_in_code_if_asked
from tests.core.test_images import image_bytes
from tests.dashboard.factories import NotificationFactory
from tests.factories import (
    DEFAULT_PASSWORD,
    ActivityFactory,
    CampaignFactory,
    CredentialFactory,
    VerifiedClinicianFactory,
)
from tests.incentives.factories import RewardFactory

pytestmark = pytest.mark.django_db(transaction=True)

CLINICIAN_PAGES = {
    "dashboard": "/dashboard/",
    "activity-form": "/activities/new/",
    "activity-list": "/activities/",
    "campaign": "/campaigns/measles-facts-now/",
    "learning": "/learn/",
    "leaderboard": "/leaderboard/",
    "statement": "/points/",
    "rewards": "/rewards/",
    "profile": "/profile/",
    "credentials": "/credentials/",
    "notifications": "/notifications/",
    "notification-settings": "/notifications/settings/",
    "account-email": "/accounts/email/",
}
STAFF_PAGES = {
    "dashboard-staff": "/dashboard/",
    "reports": "/reports/",
    "campaigns-staff": "/campaigns/",
    "campaign-staff": "/campaigns/measles-facts-now/",
    "leaderboard-staff": "/leaderboard/",
}
PUBLIC_PAGES = {"landing": "/", "signup": "/accounts/signup/", "login": "/accounts/login/"}


def clinician_with_history():
    """A verified clinician whose accepted activities were priced by the real incentives services."""
    clinician = VerifiedClinicianFactory(
        user__email="a11y@example.org", display_name="Dr Amara Okafor", leaderboard_opt_in=True
    )
    SocialAccount.objects.create(clinician=clinician, platform=Platform.X, handle="dramara")
    CredentialFactory(clinician=clinician, status=CredentialStatus.VERIFIED, decided_at=timezone.now())
    campaign = CampaignFactory(title="Measles facts now", slug="measles-facts-now", goal_target=40)
    post = ToolkitItem.objects.create(
        campaign=campaign,
        kind=ToolkitItemKind.SUGGESTED_POST,
        text="Two doses of MMR protect 97 in 100 people. Check your records today. #MeaslesFactsNow",
        image_alt="A child's vaccination card with two MMR doses ticked",
    )
    post.image.save("card.jpg", ContentFile(image_bytes("JPEG", size=(800, 600))), save=True)
    ToolkitItem.objects.create(
        campaign=campaign, kind=ToolkitItemKind.EVIDENCE_LINK, text="CDC on measles", url="https://www.cdc.gov/measles/"
    )
    campaign_join(clinician=clinician, campaign=campaign)
    now = timezone.now()
    for index in range(8):
        activity = ActivityFactory(
            clinician=clinician,
            campaign=campaign if index % 2 == 0 else None,
            category=Category.values[index % 4],
            platform=(Platform.X, Platform.INSTAGRAM)[index % 2],
            posted_at=now - dt.timedelta(days=index * 6 + 1),
            status=ActivityStatus.SUBMITTED,
            citation_count=index % 2,
        )
        # Autocommit: the accept commits and its on_commit hook prices the activity (eager Celery).
        activity_accept(activity=activity)
    RewardFactory(name="Continuing-education voucher", cost=30, stock=3)
    tote = RewardFactory(
        name="Association tote bag", cost=5000, needs_delivery_address=True, image_alt="A green canvas tote bag"
    )
    tote.image.save("tote.jpg", ContentFile(image_bytes("JPEG", size=(800, 600))), save=True)
    modules_seed()
    NotificationFactory(user=clinician.user, title="You earned a badge", body="First voice.")
    return clinician


def log_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    sign_in_code_if_asked(page, email)
    page.wait_for_url("**/dashboard/**")


def keyboard_problems(page) -> list[str]:
    """Tab from the top of the page: the skip link comes first, then every main navigation link."""
    problems = []
    page.set_viewport_size(DESKTOP)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    if first != "Skip to content":
        problems.append(f"first Tab focused {first!r}")
    nav_links = page.evaluate("[...document.querySelectorAll('nav[aria-label=Main] a')].map(a => a.href)")
    focused = set()
    for _ in range(len(nav_links) + 3):
        page.keyboard.press("Tab")
        focused.add(page.evaluate("document.activeElement.href || ''"))
    missing = [href for href in nav_links if href not in focused]
    if missing:
        problems.append(f"navigation links not reached by Tab: {missing}")
    return problems


def sweep(page, pages: dict[str, str]) -> dict[str, object]:
    """Visit each page; return the problems found, by page and width."""
    failures: dict[str, object] = {}
    # Charts skip their animation, so a screenshot right after a resize shows them drawn.
    page.emulate_media(reduced_motion="reduce")
    for name, url in pages.items():
        page.set_viewport_size(DESKTOP)
        response = page.goto(url)
        assert response.status == 200, (name, response.status)
        for label, size in (("375", PHONE), ("1280", DESKTOP)):
            page.set_viewport_size(size)
            violations = axe_violations(page)
            if violations:
                failures[f"{name}-{label}"] = violations
        page.reload()
        problems = keyboard_problems(page)
        if problems:
            failures[f"{name}-keyboard"] = problems
        page.evaluate("document.activeElement.blur()")
        screenshot(page, f"a11y-{name}")
    return failures


def test_public_pages_are_accessible(page):
    assert sweep(page, PUBLIC_PAGES) == {}


def test_clinician_pages_are_accessible(page):
    clinician = clinician_with_history()
    assert clinician.score.balance > 0
    log_in(page, "a11y@example.org")
    assert sweep(page, CLINICIAN_PAGES) == {}


def test_staff_pages_are_accessible(page, staff_user):
    clinician_with_history()
    report = report_request(
        user=staff_user,
        kind="advocacy_summary",
        format="pdf",
        parameters={
            "start": (timezone.localdate() - dt.timedelta(days=60)).isoformat(),
            "end": timezone.localdate().isoformat(),
        },
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUCCEEDED
    assert Report.objects.count() == 1
    log_in(page, staff_user.email)
    assert sweep(page, STAFF_PAGES) == {}


def test_the_campaign_admin_page_has_no_critical_violations(page, admin_user):
    """Campaign editing in admin: hashtags and platforms are labelled widgets, the toolkit inline is
    stacked with a label per field (it had 44 unlabelled fields and 11 unnamed selects)."""
    clinician_with_history()
    from campaigns.models import Campaign

    log_in(page, admin_user.email)
    page.goto(f"/admin/campaigns/campaign/{Campaign.objects.get().pk}/change/")
    page.set_viewport_size(DESKTOP)
    assert axe_violations(page, impacts=("critical",)) == []
    labels = page.eval_on_selector_all(
        "#campaign_form input:not([type=hidden]):not([type=submit]), #campaign_form select, #campaign_form textarea",
        "fields => fields.filter(f => !f.labels.length && !f.getAttribute('aria-label')).map(f => f.name)",
    )
    assert labels == []
    screenshot(page, "admin-campaign-change")


def test_the_verification_queue_fits_at_1280_and_opens_on_what_awaits_a_decision(page, admin_user):
    """Status, registry result, duplicate claim and age visible without horizontal scrolling; axe
    finds nothing critical on the queue, the reward editor or the redemption queue."""
    for index in range(6):
        CredentialFactory(
            clinician__display_name=f"Dr Very-Long-Surname Example-{index} of Springfield General",
            status=(CredentialStatus.SUBMITTED, CredentialStatus.NEEDS_REVIEW, CredentialStatus.VERIFIED)[index % 3],
            issuer="Illinois Department of Financial and Professional Regulation",
        )
    log_in(page, admin_user.email)
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/clinicians/credential/")
    page.wait_for_url("**/admin/clinicians/credential/?status=awaiting")
    assert page.locator("#result_list tbody tr").count() == 4
    # Neither the page nor the results box (admin scrolls it on its own) scrolls sideways, with the
    # navigation sidebar open; the last column ends inside the box.
    widths = page.evaluate(
        """() => {
            const box = document.querySelector('#changelist .results');
            const page = document.documentElement;
            return [page.scrollWidth - page.clientWidth, box.scrollWidth - box.clientWidth];
        }"""
    )
    assert widths == [0, 0], widths
    for column in ("status", "registry_result", "duplicate_claim", "age"):
        assert page.locator(f"#result_list th.column-{column}").is_visible(), column
    assert axe_violations(page, impacts=("critical",)) == []
    screenshot(page, "admin-verification-queue")
    page.goto("/admin/incentives/reward/add/")
    assert axe_violations(page, impacts=("critical",)) == []
    screenshot(page, "admin-reward-add")
    page.goto("/admin/incentives/redemption/")
    assert axe_violations(page, impacts=("critical",)) == []


def test_the_phone_menu_opens_and_shows_every_link(page):
    clinician_with_history()
    log_in(page, "a11y@example.org")
    page.set_viewport_size(PHONE)
    page.goto("/dashboard/")
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Leaderboard")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for name in ("Dashboard", "My activity", "Campaigns", "Leaderboard", "Points", "Rewards", "Profile", "Account"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Notifications")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path="artifacts/screenshots/a11y-phone-menu-open-375.png", full_page=True)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Leaderboard")).to_be_hidden()
    # The keyboard opens it too, and Tab then moves into the links.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Dashboard"


def test_account_pages_link_to_my_data(page):
    clinician_with_history()
    log_in(page, "a11y@example.org")
    page.goto("/accounts/email/")
    subnav = page.get_by_role("navigation", name="Account settings")
    subnav.get_by_role("link", name="My data").click()
    page.wait_for_url(re.compile(r"my-data|reauthenticate"))
