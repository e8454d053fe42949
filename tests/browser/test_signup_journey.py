"""A visitor signs up, confirms the email from the link that was sent, completes the profile, logs in and out."""

import pytest
from django.core import mail

from tests.browser.conftest import axe_violations, email_link, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_signs_up_confirms_logs_in_and_out(page):
    page.goto("/")
    assert "Be the trusted voice" in page.inner_text("h1")
    assert axe_violations(page) == []
    screenshot(page, "landing")

    page.get_by_role("button", name="Sign up").click()
    assert page.url.endswith("/accounts/signup/")
    assert axe_violations(page) == []
    screenshot(page, "signup")
    page.get_by_label("Email").fill("newdoc@example.org")
    page.get_by_label("Password:", exact=True).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Password (again)").fill("a-long-and-unusual-passphrase")
    page.locator("main").get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert "Verify Your Email Address" in page.content()

    assert len(mail.outbox) == 1
    page.goto(email_link())
    page.get_by_role("button", name="Confirm").click()
    # Onboarding: a new clinician is guided to complete the profile first.
    page.wait_for_url("**/profile/")
    assert page.get_by_role("heading", level=1).inner_text() == "Complete your profile"
    assert axe_violations(page) == []
    screenshot(page, "profile-onboarding-new")
    page.get_by_label("Display name").fill("Dr New Doc")
    page.get_by_label("Profession").select_option("rn")
    page.get_by_label("Specialty", exact=True).select_option("nursing")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("US state").select_option("NY")
    page.get_by_role("button", name="Complete profile").click()
    page.wait_for_url("**/credentials/new/")
    page.goto("/dashboard/")
    page.wait_for_url("**/dashboard/**")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
    screenshot(page, "login")
    page.get_by_label("Email").fill("newdoc@example.org")
    page.get_by_label("Password:", exact=True).fill("a-long-and-unusual-passphrase")
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/**")
    assert page.get_by_role("heading", level=1).is_visible()
    screenshot(page, "dashboard-empty")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name="Log in").is_visible()
