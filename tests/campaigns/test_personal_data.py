"""The clinician's share of "My data" held by campaigns: activities and participations, and the
activities' anonymisation on deletion (waiting posts withdrawn first)."""

import pytest

from campaigns.models import Activity, ActivityStatus, Disclosure
from campaigns.personal_data import campaigns_personal_data, campaigns_personal_data_erase
from tests.factories import ActivityFactory, ParticipationFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


def test_it_exports_the_clinicians_activities_and_participations_only():
    clinician = VerifiedClinicianFactory()
    ActivityFactory(clinician=clinician, excerpt="Vaccines are safe", impressions=4321)
    ActivityFactory(excerpt="Someone else's post")
    participation = ParticipationFactory(clinician=clinician)
    ParticipationFactory()

    data = campaigns_personal_data(clinician=clinician)

    [activity] = data["activities"]
    assert (activity["excerpt"], activity["impressions"], activity["campaign__title"]) == (
        "Vaccines are safe",
        4321,
        None,
    )
    assert {"disclosure_text", "proof", "proof_summary", "likes", "clicks"} <= set(activity)
    assert data["campaigns"] == [
        {
            "campaign__title": participation.campaign.title,
            "campaign__slug": participation.campaign.slug,
            "joined_at": participation.joined_at,
            "left_at": None,
        }
    ]


def test_it_withdraws_waiting_posts_and_strips_every_post_but_keeps_the_figures():
    clinician = VerifiedClinicianFactory()
    accepted = ActivityFactory(
        clinician=clinician,
        excerpt="Vaccines are safe",
        citations=["10.1000/xyz"],
        disclosure=Disclosure.DISCLOSED,
        disclosure_text="Consultant for Acme",
        impressions=4321,
    )
    waiting = ActivityFactory(clinician=clinician, status=ActivityStatus.SUBMITTED, review_reason="Check the link")
    untouched = ActivityFactory(excerpt="Someone else's post", status=ActivityStatus.SUBMITTED)

    campaigns_personal_data_erase(clinician=clinician)

    accepted, waiting, untouched = (Activity.objects.get(pk=a.pk) for a in (accepted, waiting, untouched))
    assert (accepted.status, waiting.status) == (ActivityStatus.ACCEPTED, ActivityStatus.WITHDRAWN)
    assert accepted.url == f"https://deleted.invalid/activity/{accepted.pk}"
    assert waiting.url == f"https://deleted.invalid/activity/{waiting.pk}"
    assert (accepted.excerpt, accepted.citations, waiting.review_reason) == ("", [], "")
    assert accepted.disclosure_text == "Withheld: the account was deleted."
    assert (accepted.impressions, accepted.category, accepted.platform) == (4321, "public_education", "x")
    assert untouched.excerpt == "Someone else's post" and untouched.status == ActivityStatus.SUBMITTED
