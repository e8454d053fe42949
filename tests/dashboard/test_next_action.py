"""The dashboard leads with the next action, and every clinician has an initials avatar."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy_portal.selectors import clinician_dashboard_get
from core.templatetags.avatars import initials_of
from tests.factories import CampaignFactory, ClinicianFactory, ParticipationFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


def test_an_unverified_clinician_is_led_to_get_verified():
    action = clinician_dashboard_get(clinician=ClinicianFactory()).next_action
    assert action.title == "Get verified to earn points"
    assert action.url == reverse("clinicians:credential_create")


def test_a_member_is_led_to_the_toolkit_of_the_campaign_ending_first():
    clinician = VerifiedClinicianFactory()
    today = timezone.localdate()
    later = CampaignFactory(title="Later", ends_on=today + dt.timedelta(days=40))
    sooner = CampaignFactory(title="Sooner", ends_on=today + dt.timedelta(days=5))
    closed = CampaignFactory(
        title="Closed", starts_on=today - dt.timedelta(days=60), ends_on=today - dt.timedelta(days=1)
    )
    for campaign in (later, sooner, closed):
        ParticipationFactory(clinician=clinician, campaign=campaign)
    action = clinician_dashboard_get(clinician=clinician).next_action
    assert action.title == "Share a post for “Sooner”"
    assert action.url == reverse("campaigns:campaign_detail", args=[sooner.slug]) + "#toolkit-heading"


def test_a_verified_clinician_without_a_campaign_is_led_to_join_one(client):
    clinician = VerifiedClinicianFactory(display_name="Dr Ada Okafor, MD")
    client.force_login(clinician.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Join a campaign" in page
    assert page.index('data-testid="next-action"') < page.index('id="points-heading"')
    assert 'aria-hidden="true">AO</span>' in page


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Dr Ada Okafor, MD", "AO"), ("Ben Carter, NP", "BC"), ("cher", "C"), ("", "?"), ("Prof. Mei Lin Chen", "MC")],
)
def test_initials_skip_titles_and_credentials(name, initials):
    assert initials_of(name) == initials
