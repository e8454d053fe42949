"""Accounts: email login, mandatory verification, enumeration prevention, layout."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from clinicians.models import Clinician
from core.models import User
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_signup_creates_a_clinician_and_requires_email_verification(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "New.Doc@Example.org", "password1": "a-long-unusual-pass", "password2": "a-long-unusual-pass"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.doc@example.org")
    assert Clinician.objects.filter(user=user).exists()
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    # Until the address is verified the account cannot reach the dashboard.
    assert client.get("/dashboard/").status_code == 302


def test_login_with_unverified_email_is_refused_until_confirmed(client):
    user = User.objects.create_user(email="unverified@example.org", password=DEFAULT_PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_login_with_verified_email_reaches_the_dashboard(client, clinician_user):
    response = client.post("/accounts/login/", {"login": clinician_user.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_password_reset_does_not_reveal_whether_an_account_exists(client, clinician_user):
    known = client.post("/accounts/password/reset/", {"email": clinician_user.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_signup_with_an_existing_email_does_not_reveal_it(client, clinician_user):
    response = client.post(
        "/accounts/signup/",
        {"email": clinician_user.email, "password1": "a-long-unusual-pass", "password2": "a-long-unusual-pass"},
    )
    # Same answer as a fresh signup; the owner is told by email instead.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email=clinician_user.email).count() == 1


def test_failed_logins_are_rate_limited_on_the_shared_cache(client, clinician_user):
    pages = [
        client.post("/accounts/login/", {"login": clinician_user.email, "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    right = client.post("/accounts/login/", {"login": clinician_user.email, "password": DEFAULT_PASSWORD})
    assert "Too many failed login attempts" in right.content.decode()


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/confirm-email/"]
)
def test_allauth_pages_render_in_the_portal_layout(client, url):
    html = client.get(url).content.decode()
    assert 'class="site-header"' in html
    assert 'id="main"' in html
    assert "pico-2.1.1.min.css" in html


@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"])
def test_account_management_pages_render_in_the_portal_layout(client, clinician_user, url):
    client.force_login(clinician_user)
    html = client.get(url).content.decode()
    assert 'aria-label="Account settings"' in html


def test_totp_setup_page_offers_an_authenticator_secret(client, clinician_user):
    client.force_login(clinician_user)
    response = client.get("/accounts/2fa/totp/activate/")
    # allauth asks for recent re-authentication before showing the secret.
    assert response.status_code in (200, 302)


def test_landing_page_says_what_the_portal_is_for(client):
    html = client.get("/").content.decode()
    assert "clinicians" in html
    assert "misinformation" in html
