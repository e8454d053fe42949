"""The learning centre end to end: a new verified clinician reads the privacy module's lessons
(trying the privacy guard in the practice box), passes the shuffled quiz, gets points through the
ledger and a certificate whose public verification page shows it, and can then join a campaign
that required the module. Every new page passes axe at 375 px and 1280 px, with screenshots under
artifacts/screenshots/learning-*.png."""

import pytest
from playwright.sync_api import expect

from incentives.models import LedgerEntry
from learning.models import Completion
from learning.seed import modules_seed
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import DEFAULT_PASSWORD, CampaignFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db(transaction=True)


def check_page(page, name: str) -> None:
    """axe at both widths, then the screenshots."""
    for size in ({"width": 375, "height": 812}, {"width": 1280, "height": 900}):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], (name, size["width"])
    screenshot(page, f"learning-{name}")


def test_a_clinician_completes_the_privacy_module_and_joins_the_campaign_that_required_it(page):
    clinician = VerifiedClinicianFactory(user__email="learner@example.org", display_name="Dr Lena Park")
    privacy = modules_seed()[0]
    campaign = CampaignFactory(title="Talking about HIV without stigma", slug="hiv-without-stigma")
    campaign.required_modules.add(privacy)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("learner@example.org")
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/**")
    expect(page.get_by_text("Suggested next module")).to_be_visible()

    page.goto(f"/campaigns/{campaign.slug}/")
    expect(page.get_by_role("heading", name="Before you join")).to_be_visible()
    expect(page.get_by_role("button", name="Join campaign")).to_have_count(0)
    check_page(page, "campaign-prerequisite")
    page.get_by_role("link", name=privacy.title).click()

    expect(page.get_by_role("heading", name=privacy.title, level=1)).to_be_visible()
    check_page(page, "module")
    page.get_by_role("link", name="What identifies a patient").click()
    check_page(page, "lesson")
    page.get_by_role("button", name="Mark as read and continue").click()
    page.get_by_role("button", name="Mark as read and continue").click()

    # The practice box runs the live privacy guard: on the example at once, then on what is typed.
    expect(page.get_by_role("heading", name="Practice: check a draft post")).to_be_visible()
    feedback = page.locator("#excerpt-feedback")
    expect(feedback).to_contain_text("448812")
    check_page(page, "lesson-practice")
    page.get_by_role("textbox", name="Draft post").fill("A patient in their thirties taught me something weeks ago.")
    expect(feedback).not_to_contain_text("MRN")
    page.get_by_role("button", name="Mark as read and take the knowledge check").click()

    page.wait_for_url(f"**/learn/{privacy.slug}/quiz/")
    check_page(page, "quiz")
    for question in privacy.questions.prefetch_related("choices"):
        group = page.get_by_role("group", name=question.text, exact=False)
        for choice in question.choices.all():
            if choice.is_correct:
                group.get_by_label(choice.text, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_role("heading", name="Passed: 100%")).to_be_visible()
    expect(page.get_by_text("Right: dates tied to a person are Safe Harbor identifiers.")).to_be_visible()
    check_page(page, "result")
    entry = LedgerEntry.objects.get(clinician=clinician)
    assert entry.memo.startswith("Learning: completed")
    page.goto("/points/")
    expect(page.locator("main")).to_contain_text(str(entry.amount))

    page.goto(f"/learn/{privacy.slug}/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download certificate (PDF)").click()
    assert download.value.suggested_filename == f"certificate-{privacy.slug}.pdf"
    page.get_by_role("button", name="Make it verifiable by link").click()
    completion = Completion.objects.get(clinician=clinician)
    verify_link = page.locator("main").get_by_role("link", name=f"/verify/certificate/{completion.public_id}/")
    verify_link.click()
    expect(page.get_by_role("heading", name="Valid certificate")).to_be_visible()
    facts = page.locator(".certificate-facts")
    expect(facts).to_contain_text(privacy.title)
    expect(facts).to_contain_text("Dr Lena Park")
    expect(facts).to_contain_text(f"{privacy.estimated_hours} hours")
    check_page(page, "certificate-verify")

    page.goto("/learn/")
    expect(page.get_by_text("Completed", exact=True)).to_be_visible()
    check_page(page, "module-list")

    page.goto(f"/campaigns/{campaign.slug}/")
    page.get_by_role("button", name="Join campaign").click()
    expect(page.get_by_text(f"You joined “{campaign.title}”.")).to_be_visible()
