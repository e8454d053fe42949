"""The clinician's share of "My data" held by campaigns: activities, participations, activity
imports and short links, and their anonymisation or removal on deletion (waiting posts withdrawn
first; short links keep their clicks under a new code)."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.activity_import import activity_import_preview
from campaigns.models import Activity, ActivityImportBatch, ActivityStatus, Disclosure, TrackedLink
from campaigns.participation import tracked_links_ensure
from campaigns.personal_data import campaigns_personal_data, campaigns_personal_data_erase
from reports import selectors
from tests.campaigns.factories import ToolkitItemFactory
from tests.factories import ActivityFactory, ParticipationFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db

EVIDENCE = "https://www.cdc.gov/flu/prevent/keyfacts.htm"


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


IMPORT_CSV = (
    "url,posted_at,category,excerpt\n"
    "https://x.com/ada/status/1,{day},public_education,Ada on flu shots\n"
    "not a link,{day},public_education,\n"
)


def test_activity_imports_are_exported_as_a_summary_and_deleted_with_the_account():
    clinician = VerifiedClinicianFactory()
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    batch = activity_import_preview(
        clinician=clinician, raw=IMPORT_CSV.format(day=day).encode(), filename="ada-posts.csv"
    )
    other = activity_import_preview(
        clinician=VerifiedClinicianFactory(), raw=IMPORT_CSV.format(day=day).encode(), filename="other.csv"
    )

    [row] = campaigns_personal_data(clinician=clinician)["activity_imports"]

    assert row == {
        "filename": "ada-posts.csv",
        "created_at": batch.created_at,
        "confirmed_at": None,
        "rows": 2,
        "rows_with_problems": len(batch.invalid_rows),
        "saved_count": 0,
        "rejected_count": 0,
    }
    assert len(batch.invalid_rows) >= 1
    # The summary, not the stored rows: no post link or excerpt in the export's share.
    assert "Ada on flu shots" not in str(row) and "x.com/ada" not in str(row)

    campaigns_personal_data_erase(clinician=clinician)

    assert list(ActivityImportBatch.objects.all()) == [other]


def _link_figures(scopes) -> list:
    return [
        (
            selectors.campaign_tracked_links(scope=scope),
            dict(selectors.summary_overview(scope=scope))[selectors.TRACKED_CLICKS_MEASURE],
            list(selectors.points_roster_rows(scope=scope)),
        )
        for scope in scopes
    ]


def test_short_links_are_exported_and_keep_their_clicks_but_not_their_address_after_deletion(client):
    clinician = VerifiedClinicianFactory(specialty="cardiology", state="CA")
    other = VerifiedClinicianFactory(specialty="cardiology", state="CA")
    item = ToolkitItemFactory(url=EVIDENCE, kind="evidence_link")
    link = tracked_links_ensure(clinician=clinician, items=[item])[item.pk]
    other_link = tracked_links_ensure(clinician=other, items=[item])[item.pk]
    for _ in range(3):
        client.get(f"/l/{link.code}")
    client.get(f"/l/{other_link.code}")

    [row] = campaigns_personal_data(clinician=clinician)["short_links"]

    assert row == {
        "code": link.code,
        "campaign__title": item.campaign.title,
        "toolkit_item__url": EVIDENCE,
        "clicks": 3,
        "created_at": link.created_at,
    }

    today = timezone.localdate()
    year = (today - dt.timedelta(days=365), today)
    scopes = [
        selectors.ReportScope(*year),
        selectors.ReportScope(*year, campaign=item.campaign),
        selectors.ReportScope(*year, specialty="cardiology"),
    ]
    before = _link_figures(scopes)
    assert before[1][0] == [(EVIDENCE, 2, 4)]

    campaigns_personal_data_erase(clinician=clinician)

    link_after = TrackedLink.objects.get(pk=link.pk)
    # The kept row still counts, on the (anonymised) clinician, so every figure built on clicks is
    # unchanged: per evidence link, the overview's total, per clinician, for a specialty...
    assert link_after.clicks == 3 and link_after.clinician_id == clinician.pk
    assert _link_figures(scopes) == before
    # ...but the address in the person's public posts no longer leads to it, nor counts.
    assert link_after.code != link.code and len(link_after.code) == 16
    assert client.get(f"/l/{link.code}").status_code == 404
    assert TrackedLink.objects.get(pk=link.pk).clicks == 3
    assert TrackedLink.objects.get(pk=other_link.pk).code == other_link.code
