"""The "clinician or 404" rule, written once (clinicians.access.clinician_required) and used by the
activity, campaign and points pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLINICIAN_PAGES = [
    "campaigns:activity_list",
    "campaigns:activity_create",
    "campaigns:campaign_list",
    "incentives:statement",
    "incentives:leaderboard",
    "incentives:reward_list",
]


@pytest.mark.parametrize("name", CLINICIAN_PAGES)
def test_an_account_without_a_clinician_profile_gets_a_404(client, staff_user, name):
    client.force_login(staff_user)
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", CLINICIAN_PAGES)
def test_a_clinician_sees_the_page_and_a_visitor_is_sent_to_log_in(client, clinician_user, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(clinician_user)
    assert client.get(reverse(name)).status_code == 200
