"""A clinician sees reward pictures and what they still need, redeems a posted reward through the
confirmation step and the delivery form (errors first), and follows its status as staff send it;
a campaign member sees a toolkit image with its alt text and downloads it."""

import pytest
from django.core.files.base import ContentFile

from campaigns.models import ToolkitItem, ToolkitItemKind
from campaigns.participation import campaign_join
from incentives.models import Redemption, RedemptionStatus
from incentives.services import ledger_adjust, redemption_decide
from tests.browser.conftest import axe_violations, screenshot
from tests.core.test_images import image_bytes
from tests.factories import DEFAULT_PASSWORD, CampaignFactory, UserFactory, VerifiedClinicianFactory
from tests.incentives.factories import RewardFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/**")


def natural_width(page, selector: str) -> int:
    locator = page.locator(selector).first
    locator.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete", arg=locator.element_handle())
    return locator.evaluate("img => img.naturalWidth")


def test_a_posted_reward_is_redeemed_with_an_address_and_followed_to_delivery(page):
    clinician = VerifiedClinicianFactory(user__email="tote@example.org", display_name="Dr Tote")
    staff = UserFactory(is_staff=True)
    ledger_adjust(clinician=clinician, amount=80, reason="Welcome", actor=staff)
    tote = RewardFactory(name="Association tote bag", cost=60, needs_delivery_address=True, image_alt="A green tote")
    tote.image.save("tote.jpg", ContentFile(image_bytes("JPEG", size=(800, 600))), save=True)
    RewardFactory(name="Conference pass", cost=200, stock=2)

    log_in(page, "tote@example.org")
    page.goto("/rewards/")
    assert natural_width(page, "img[alt='A green tote']") == 800
    assert "You need 120 more points." in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "rewards-with-pictures")

    page.get_by_role("button", name="Redeem Association tote bag").click()
    assert page.get_by_test_id("balance-after").inner_text() == "20 points"
    page.get_by_role("button", name="Confirm: redeem for 60 points").click()
    assert page.get_by_text("Give the name to send it to.").is_visible()
    assert page.get_by_text("Give the address to send it to.").is_visible()
    assert not Redemption.objects.exists()
    assert axe_violations(page) == []
    screenshot(page, "reward-delivery-errors")
    page.get_by_label("Name on the parcel").fill("Dr Tote Example")
    page.get_by_label("Postal address").fill("12 Elm Street\nSpringfield, IL 62701\nUnited States")
    page.get_by_role("button", name="Confirm: redeem for 60 points").click()
    page.wait_for_url("**/rewards/")
    assert page.get_by_test_id("balance").inner_text() == "20"
    redemption = Redemption.objects.get()
    assert page.get_by_test_id(f"redemption-status-{redemption.pk}").inner_text() == "Requested"

    for status in (RedemptionStatus.APPROVED, RedemptionStatus.SENT):
        redemption_decide(redemption=redemption, status=status, actor=staff)
    page.reload()
    assert page.get_by_test_id(f"redemption-status-{redemption.pk}").inner_text() == "Sent"
    assert "To Dr Tote Example" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "rewards-redemption-sent")


def test_a_member_downloads_a_toolkit_image(page):
    clinician = VerifiedClinicianFactory(user__email="images@example.org")
    campaign = CampaignFactory(title="Flu shots now", slug="flu-shots-now")
    item = ToolkitItem.objects.create(
        campaign=campaign,
        kind=ToolkitItemKind.SUGGESTED_POST,
        text="Flu shots are free at every county clinic this month. #FluShotsNow",
        image_alt="A nurse giving a flu shot to a smiling older man",
    )
    item.image.save("shot.png", ContentFile(image_bytes("PNG", size=(1200, 630), mode="RGBA")), save=True)
    campaign_join(clinician=clinician, campaign=campaign)

    log_in(page, "images@example.org")
    page.goto("/campaigns/flu-shots-now/")
    assert natural_width(page, "img[alt='A nurse giving a flu shot to a smiling older man']") == 1200
    with page.expect_download() as download:
        page.get_by_test_id(f"image-download-{item.pk}").click()
    assert download.value.suggested_filename == f"flu-shots-now-toolkit-{item.pk}.png"
    assert axe_violations(page) == []
    screenshot(page, "campaign-toolkit-image")
