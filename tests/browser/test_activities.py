"""Browser journey: a verified clinician joins a campaign, copies a suggested post, logs it, and
sees it accepted; every page visited is screenshotted and checked with axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Activity, ActivityStatus, ToolkitItem, ToolkitItemKind
from clinicians.models import Platform
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import DEFAULT_PASSWORD, CampaignFactory, ProvenSocialAccountFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db(transaction=True)

SUGGESTED = "Measles is back. Two doses of MMR protect 97 in 100 people. Check your records today. #VaccinesWork"


def test_a_verified_clinician_logs_a_campaign_post_and_sees_it_accepted(page):
    clinician = VerifiedClinicianFactory(user__email="dr.jane@example.org", display_name="Jane Rivera")
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.X, handle="drjane")
    campaign = CampaignFactory(
        title="Vaccines work",
        slug="vaccines-work",
        hashtags=["vaccineswork"],
        description="Share **what the evidence says** about measles vaccination.",
        goal_target=50,
    )
    suggested = ToolkitItem.objects.create(campaign=campaign, kind=ToolkitItemKind.SUGGESTED_POST, text=SUGGESTED)
    ToolkitItem.objects.create(
        campaign=campaign, kind=ToolkitItemKind.EVIDENCE_LINK, text="CDC on measles", url="https://www.cdc.gov/measles/"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("dr.jane@example.org")
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()

    page.goto("/campaigns/")
    page.get_by_role("link", name="Vaccines work").click()
    page.get_by_role("button", name="Join campaign").click()
    assert page.get_by_text("You joined").is_visible()
    copy = page.locator(f'[data-copy-target="toolkit-{suggested.pk}"]')
    copy.click()
    # The label changes once the clipboard write resolves (asynchronously); wait for it.
    expect(copy).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == SUGGESTED
    screenshot(page, "campaign-detail")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Log a post for this campaign").click()
    page.get_by_label("Link to the post").fill("https://twitter.com/DrJane/status/1790000000000?utm_source=share")
    posted = timezone.localtime() - dt.timedelta(hours=3)
    page.get_by_label("Posted at").fill(posted.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Category").select_option("public_education")
    page.get_by_label("Text of the post (optional)").fill(copied)
    page.get_by_label("Evidence cited (optional)").fill("10.1056/NEJMoa2034577")
    page.get_by_label("Impressions").fill("1500")
    expect(page.get_by_text("Reading grade")).to_be_visible()
    expect(page.get_by_text("Your hashtags match the campaign")).to_be_visible()
    assert page.get_by_label("Campaign (optional)").input_value() == str(campaign.pk)
    screenshot(page, "activity-form")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Log post").click()

    assert page.get_by_text("Activity logged: accepted.").is_visible()
    activity = Activity.objects.get()
    assert (activity.status, activity.url, activity.campaign_id) == (
        ActivityStatus.ACCEPTED,
        "https://x.com/DrJane/status/1790000000000",
        campaign.pk,
    )
    page.get_by_role("link", name="Back to my activity").click()
    assert page.locator("td .status-accepted").is_visible()
    screenshot(page, "activity-list")
    assert axe_violations(page) == []


def test_the_live_check_marks_patient_details_while_typing_and_the_tick_names_them(page):
    clinician = VerifiedClinicianFactory(user__email="dr.lee@example.org")
    # From the clinician's proven account, so only the privacy guard holds the post back.
    ProvenSocialAccountFactory(clinician=clinician, platform="x", handle="drlee")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(clinician.user.email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()

    page.goto("/activities/new/")
    page.get_by_label("Link to the post").fill("https://x.com/DrLee/status/1790000000002")
    posted = timezone.localtime() - dt.timedelta(hours=3)
    page.get_by_label("Posted at").fill(posted.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Category").select_option("public_education")
    page.get_by_label("Text of the post (optional)").fill(
        "Maria Lopez in room 412 beat sepsis this week. Know the signs of sepsis!"
    )
    warning = page.locator(".privacy-warning")
    expect(warning).to_be_visible()
    expect(warning.locator('mark[data-kind="name"]')).to_have_text("Maria Lopez")
    expect(warning.locator('mark[data-kind="room_bed_unit"]')).to_have_text("room 412")
    confirmation = page.get_by_label("I have checked", exact=False)
    expect(confirmation).not_to_be_checked()
    assert "“Maria Lopez”" in page.locator("label.privacy-confirm").inner_text()
    screenshot(page, "activity-form-privacy")
    assert axe_violations(page) == []

    confirmation.check()
    page.get_by_role("button", name="Log post").click()
    assert page.get_by_text("Activity logged: flagged for review.").is_visible()
    activity = Activity.objects.get()
    assert activity.status == ActivityStatus.FLAGGED
    assert [hit["text"] for hit in activity.privacy_hits] == ["Maria Lopez", "room 412"]
