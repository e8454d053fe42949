"""Privileged accounts must use two-factor authentication (issue 20): staff status or any permission
without an enrolled TOTP authenticator sends the account to enrol before anything else."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from advocacy_portal import roles
from tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/totp/activate/"


@pytest.fixture
def unenrolled_admin(db):
    return UserFactory(email="new-admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def unenrolled_report_reader(db):
    """No staff status, but a group with permissions: privileged all the same."""
    user = UserFactory(email="new-reader@example.org")
    user.groups.add(Group.objects.get(name=roles.REPORT_READER))
    return user


@pytest.mark.parametrize("url", ["/admin/", "/admin/clinicians/credential/", "/dashboard/", "/reports/", "/points/"])
def test_it_sends_an_unenrolled_admin_to_enrol_from_every_page(client, unenrolled_admin, url):
    client.force_login(unenrolled_admin)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == ENROL


@pytest.mark.parametrize("url", ["/dashboard/", "/reports/"])
def test_it_sends_an_unenrolled_report_reader_to_enrol(client, unenrolled_report_reader, url):
    client.force_login(unenrolled_report_reader)
    assert client.get(url)["Location"] == ENROL


def test_htmx_requests_are_redirected_by_htmx(client, unenrolled_report_reader):
    client.force_login(unenrolled_report_reader)
    response = client.get("/reports/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == ENROL


def test_enrolment_logout_and_health_stay_open(client, unenrolled_admin):
    client.force_login(unenrolled_admin)
    assert client.get("/healthz").status_code in (200, 503)
    # Enrolment first asks for the password again (allauth's re-authentication), then shows the secret.
    enrol = client.get(ENROL)
    assert enrol.status_code == 302 and enrol["Location"].startswith("/accounts/reauthenticate/")
    assert client.get(enrol["Location"]).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_an_admin_enrols_gets_recovery_codes_and_then_reaches_admin(client, unenrolled_admin):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    client.force_login(unenrolled_admin)
    reauthenticated = client.post(f"/accounts/reauthenticate/?next={ENROL}", {"password": DEFAULT_PASSWORD})
    assert reauthenticated["Location"] == ENROL
    page = client.get(ENROL)
    secret = client.session[SECRET_SESSION_KEY]
    assert page.status_code == 200 and secret in page.content.decode()
    activated = client.post(ENROL, {"code": totp_code(secret)})
    assert activated.status_code == 302 and activated["Location"] == "/accounts/2fa/recovery-codes/"
    assert client.get(activated["Location"]).status_code == 200
    assert Authenticator.objects.filter(user=unenrolled_admin, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get("/admin/").status_code == 200


def test_clinicians_are_not_asked_to_enrol(client, clinician_user):
    client.force_login(clinician_user)
    assert client.get("/dashboard/").status_code == 200


def test_an_enrolled_admin_may_not_deactivate_totp(client, admin_user):
    client.force_login(admin_user)
    client.post("/accounts/reauthenticate/?next=/accounts/2fa/totp/deactivate/", {"password": DEFAULT_PASSWORD})
    refused = client.post("/accounts/2fa/totp/deactivate/")
    assert refused.status_code == 200 and "cannot" in refused.content.decode().lower()
    assert Authenticator.objects.filter(user=admin_user, type=Authenticator.Type.TOTP).exists()
