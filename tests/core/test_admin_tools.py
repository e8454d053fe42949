"""Sensitive admin changes ask for recent re-authentication (issue 20): credential decisions, manual
ledger adjustments, rule-set versions, redemption decisions, score recomputes and user changes.
allauth keeps the submitted POST and replays it once the password is confirmed."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from clinicians.models import CredentialStatus
from incentives.models import LedgerEntry, RedemptionStatus, RuleSet
from incentives.services import ledger_adjust, redemption_request
from tests.clinicians.factories import LicenceFactory
from tests.conftest import reauthenticate
from tests.factories import DEFAULT_PASSWORD, UserFactory, VerifiedClinicianFactory
from tests.incentives.factories import RewardFactory

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/accounts/reauthenticate/"
CREDENTIALS = reverse("admin:clinicians_credential_changelist")


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def _asks_to_reauthenticate(response, next_url: str) -> bool:
    return (
        response.status_code == 302 and response["Location"] == f"{REAUTHENTICATE}?next={next_url.replace('/', '%2F')}"
    )


def test_a_credential_decision_waits_for_the_password_then_runs_as_submitted(admin_client_, admin_user):
    credential = LicenceFactory()
    asked = admin_client_.post(CREDENTIALS, {"action": "verify_selected", ACTION_CHECKBOX_NAME: [credential.pk]})
    assert _asks_to_reauthenticate(asked, CREDENTIALS)
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.SUBMITTED
    wrong = admin_client_.post(asked["Location"], {"password": "wrong"})
    assert wrong.status_code == 200
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.SUBMITTED
    resumed = admin_client_.post(asked["Location"], {"password": DEFAULT_PASSWORD})
    assert resumed.status_code == 302 and resumed["Location"] == CREDENTIALS
    credential.refresh_from_db()
    assert (credential.status, credential.decided_by) == (CredentialStatus.VERIFIED, admin_user)


def test_an_action_taken_on_a_filtered_changelist_runs_after_the_password(admin_client_, admin_user):
    """allauth replays a suspended POST only when it returns to the bare path: the queue opens
    filtered (?status=awaiting), so the query string travels in the stash instead."""
    credential = LicenceFactory()
    filtered = f"{CREDENTIALS}?status=awaiting"
    data = {"action": "verify_selected", ACTION_CHECKBOX_NAME: [credential.pk]}
    asked = admin_client_.post(filtered, data)
    assert _asks_to_reauthenticate(asked, CREDENTIALS)
    resumed = admin_client_.post(asked["Location"], {"password": DEFAULT_PASSWORD})
    assert resumed.status_code == 302 and resumed["Location"] == filtered
    credential.refresh_from_db()
    assert (credential.status, credential.decided_by) == (CredentialStatus.VERIFIED, admin_user)


def test_re_authentication_lasts_only_the_configured_timeout(admin_client_, settings):
    credential = LicenceFactory()
    reauthenticate(admin_client_)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    asked = admin_client_.post(CREDENTIALS, {"action": "verify_selected", ACTION_CHECKBOX_NAME: [credential.pk]})
    assert _asks_to_reauthenticate(asked, CREDENTIALS)
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.SUBMITTED


def test_a_manual_adjustment_asks_for_the_password(admin_client_):
    clinician = VerifiedClinicianFactory()
    url = reverse("admin:incentives_ledgerentry_adjust")
    assert admin_client_.get(url).status_code == 200
    asked = admin_client_.post(url, {"clinician": clinician.pk, "amount": 15, "reason": "Conference talk"})
    assert _asks_to_reauthenticate(asked, url)
    assert not LedgerEntry.objects.exists()


def test_a_new_rule_set_version_asks_for_the_password(admin_client_):
    v1 = RuleSet.objects.get(version=1)
    url = reverse("admin:incentives_ruleset_change", args=[v1.pk])
    assert admin_client_.get(url).status_code == 200
    data = {
        "category_points": json.dumps(v1.category_points),
        "leaderboard_excluded_categories": "[]",
        "evidence_bonus": 10,
        "engagement_bonus_per_decade": 2,
        "engagement_bonus_cap": 10,
        "daily_cap": 100,
        "weekly_category_cap": 150,
        "tier_bronze": 100,
        "tier_silver": 500,
        "tier_gold": 1500,
        "tier_platinum": 5000,
        "note": "Unchanged",
    }
    assert _asks_to_reauthenticate(admin_client_.post(url, data), url)
    assert not RuleSet.objects.filter(version=2).exists()


def test_a_redemption_decision_asks_for_the_password(admin_client_, admin_user):
    clinician = VerifiedClinicianFactory()
    ledger_adjust(clinician=clinician, amount=100, reason="Opening balance", actor=admin_user)
    redemption = redemption_request(clinician=clinician, reward=RewardFactory(cost=10))
    url = reverse("admin:incentives_redemption_changelist")
    asked = admin_client_.post(url, {"action": "redemption_approve", ACTION_CHECKBOX_NAME: [redemption.pk]})
    assert _asks_to_reauthenticate(asked, url)
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.REQUESTED


def test_granting_superuser_asks_for_the_password(admin_client_):
    user = UserFactory(email="someone@example.org")
    url = reverse("admin:core_user_change", args=[user.pk])
    assert admin_client_.get(url).status_code == 200
    data = {"email": user.email, "is_active": "on", "is_staff": "on", "is_superuser": "on"}
    assert _asks_to_reauthenticate(admin_client_.post(url, data), url)
    user.refresh_from_db()
    assert not user.is_superuser
