"""A clinician completes the profile and submits an NPI with evidence; an admin verifies it in Django
admin with the bulk action; the clinician sees "Verified" and links a social account. Automatic
verification is off, so the admin path is what verifies."""

import pytest

from clinicians.models import Credential, CredentialStatus
from tests.browser.conftest import axe_violations, reauthenticate, screenshot, sign_in_code_if_asked
from tests.clinicians.conftest import FakeRegistry, registry_sample
from tests.clinicians.factories import PDF_BYTES
from tests.factories import DEFAULT_PASSWORD, ClinicianFactory, UserFactory, totp_enrol

pytestmark = pytest.mark.django_db(transaction=True)

NPI = "1234567893"


@pytest.fixture
def registry(settings):
    fake = FakeRegistry()
    fake.answer(NPI, registry_sample())
    fake.thread.start()
    settings.NPPES_BASE_URL = fake.url
    settings.NPI_AUTO_VERIFY = False
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def log_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    sign_in_code_if_asked(page, email)


def test_a_clinician_gets_verified_by_an_admin(page, registry, tmp_path):
    ClinicianFactory(user__email="jane@example.org", display_name="", profile_completed_at=None)
    totp_enrol(UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))

    log_in(page, "jane@example.org")
    page.wait_for_url("**/profile/")
    assert page.get_by_role("heading", level=1).inner_text() == "Complete your profile"
    page.get_by_role("button", name="Complete profile").click()
    assert "Enter a display name" in page.content() or "This field is required" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "profile-errors")
    page.get_by_label("Display name").fill("Dr. Jane Example")
    page.get_by_label("Profession").select_option("md")
    page.get_by_label("Specialty", exact=True).select_option("gastroenterology")
    page.get_by_label("Organisation").fill("Springfield General Hospital")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("US state").select_option("IL")
    page.get_by_label("Show a public verification page").check()
    screenshot(page, "profile-onboarding")
    page.get_by_role("button", name="Complete profile").click()

    page.wait_for_url("**/credentials/new/")
    assert axe_violations(page) == []
    page.get_by_label("Credential", exact=True).select_option("npi")
    page.get_by_label("Number").fill(NPI)
    evidence = tmp_path / "npi-letter.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.get_by_label("Evidence document").set_input_files(str(evidence))
    screenshot(page, "credential-create")
    page.get_by_role("button", name="Submit credential").click()
    page.wait_for_url("**/credentials/*/")
    assert axe_violations(page) == []
    screenshot(page, "credential-detail-pending")
    credential = Credential.objects.get(identifier=NPI)
    assert credential.status in (CredentialStatus.SUBMITTED, CredentialStatus.NEEDS_REVIEW)
    assert credential.evidence_content_type == "application/pdf"

    log_in(page, "admin@example.org")
    page.wait_for_url("**/dashboard/")
    page.goto("/admin/clinicians/credential/")
    screenshot(page, "admin-credential-queue")
    page.get_by_role("row", name="Dr. Jane Example").get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("verify_selected")
    page.get_by_role("button", name="Go").click()
    reauthenticate(page)
    page.get_by_text("Verified 1 credential(s).").wait_for()
    screenshot(page, "admin-credential-verified")

    log_in(page, "jane@example.org")
    page.wait_for_url("**/dashboard/")
    page.goto("/credentials/")
    assert page.get_by_text("Verified", exact=True).first.is_visible()
    assert "Verification status: Verified" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "credential-list-verified")
    page.goto(f"/verify/{credential.clinician.public_id}/")
    assert "Dr. Jane Example" in page.inner_text("h1")
    assert axe_violations(page) == []
    screenshot(page, "public-verification")

    page.goto("/profile/social/")
    page.get_by_label("Platform").select_option("mastodon")
    page.get_by_label("Handle").fill("dr_jane")
    page.get_by_role("button", name="Link account").click()
    assert "user@server" in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_label("Handle").fill("@Dr_Jane@Mastodon.Social")
    page.get_by_role("button", name="Link account").click()
    page.get_by_text("Your account was linked.").wait_for()
    assert page.get_by_role("link", name="dr_jane@mastodon.social").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "social-accounts")
