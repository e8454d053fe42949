"""One login for everyone (issue 20): /admin/login/ goes through allauth, so its two-factor step and
rate limits hold for Django admin as well."""

import pytest

from tests.factories import DEFAULT_PASSWORD, totp_code, totp_secret_for

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"


def _in_admin(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_it_sends_visitors_to_the_portal_login_with_next(client):
    response = client.get(f"{ADMIN_LOGIN}?next=/admin/clinicians/credential/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fclinicians%2Fcredential%2F"
    assert client.get("/admin/")["Location"].startswith(ADMIN_LOGIN)


def test_a_superuser_with_totp_cannot_skip_the_code_by_posting_to_the_admin_login(client, admin_user):
    response = client.post(ADMIN_LOGIN, {"username": admin_user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not _in_admin(client)


def test_the_portal_login_asks_the_superuser_for_the_code_then_opens_admin(client, admin_user):
    code = totp_code(totp_secret_for(admin_user.email))
    password_step = client.post(
        "/accounts/login/?next=/admin/", {"login": admin_user.email, "password": DEFAULT_PASSWORD}
    )
    assert password_step["Location"] == "/accounts/2fa/authenticate/"
    assert not _in_admin(client)
    code_step = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert code_step.status_code == 302 and code_step["Location"] == "/admin/"
    assert _in_admin(client)


def test_an_address_allauth_locked_out_gets_nowhere_through_the_admin_login(client, admin_user):
    for _ in range(10):
        client.post("/accounts/login/", {"login": "someone@example.org", "password": "wrong"})
    locked = client.post("/accounts/login/", {"login": admin_user.email, "password": "wrong"})
    assert "Too many failed login attempts" in locked.content.decode()
    for _ in range(10):
        wrong = client.post(ADMIN_LOGIN, {"username": admin_user.email, "password": "wrong"})
        assert wrong.status_code == 302 and wrong["Location"].startswith("/accounts/login/")
    right = client.post(ADMIN_LOGIN, {"username": admin_user.email, "password": DEFAULT_PASSWORD})
    assert right.status_code == 302 and right["Location"].startswith("/accounts/login/")
    assert not _in_admin(client)
    # The portal login still refuses the right password while the limit holds.
    portal = client.post("/accounts/login/", {"login": admin_user.email, "password": DEFAULT_PASSWORD})
    assert "Too many failed login attempts" in portal.content.decode()


def test_a_signed_in_clinician_is_refused_by_the_admin_login(client, clinician_user):
    client.force_login(clinician_user)
    assert client.get(ADMIN_LOGIN).status_code == 403
