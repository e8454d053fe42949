"""The "clinician or 404" rule, written once (clinicians.access.clinician_required) and used by the
activity and points pages; campaigns and the leaderboard are read by staff too
(clinicians.access.clinician_or_staff)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLINICIAN_PAGES = [
    "campaigns:activity_list",
    "campaigns:activity_create",
    "incentives:statement",
    "incentives:reward_list",
]
READER_PAGES = ["campaigns:campaign_list", "incentives:leaderboard"]


@pytest.mark.parametrize("name", CLINICIAN_PAGES)
def test_an_account_without_a_clinician_profile_gets_a_404(client, staff_user, name):
    client.force_login(staff_user)
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", CLINICIAN_PAGES)
def test_a_clinician_sees_the_page_and_a_visitor_is_sent_to_log_in(client, clinician_user, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(clinician_user)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", READER_PAGES)
def test_staff_read_campaigns_and_the_leaderboard_and_a_visitor_is_sent_to_log_in(client, staff_user, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(staff_user)
    assert client.get(reverse(name)).status_code == 200
