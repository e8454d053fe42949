"""Browser: a clinician on a phone (375 px) shares a post from the X app to Advocacy Portal; the
share sheet opens the manifest's share_target URL, and the clinician logs the post with one thumb."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from campaigns.models import Activity, ActivityStatus
from clinicians.models import Platform
from tests.browser.conftest import PHONE, axe_violations, screenshot
from tests.factories import DEFAULT_PASSWORD, ProvenSocialAccountFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_post_shared_from_a_phone_app_is_logged_from_the_prefilled_form(page):
    clinician = VerifiedClinicianFactory(user__email="dr.jane@example.org")
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.X, handle="drjane")
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("dr.jane@example.org")
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()

    manifest = page.request.get("/manifest.webmanifest").json()
    target = manifest["share_target"]
    # What Android's share sheet sends for a post shared from the X app: the link inside the text.
    shared = {
        target["params"]["title"]: "Post by Dr Jane",
        target["params"][
            "text"
        ]: "Two doses of MMR protect 97 in 100 people. https://x.com/drjane/status/1790000000001",
    }
    page.goto(f"{target['action']}?{urlencode(shared)}")

    expect(page.get_by_label("Link to the post")).to_have_value("https://x.com/drjane/status/1790000000001")
    expect(page.get_by_label("Text of the post (optional)")).to_have_value("Two doses of MMR protect 97 in 100 people.")
    assert page.get_by_label("Posted at").input_value()
    page.get_by_label("Category").select_option("public_education")
    # Fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "share-target-form")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Log post").click()

    expect(page.get_by_text("Activity logged: accepted.")).to_be_visible()
    activity = Activity.objects.get()
    assert (activity.url, activity.status, activity.excerpt) == (
        "https://x.com/drjane/status/1790000000001",
        ActivityStatus.ACCEPTED,
        "Two doses of MMR protect 97 in 100 people.",
    )
