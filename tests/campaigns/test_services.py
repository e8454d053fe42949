"""Services of the campaigns app: recording, statuses and signals, metrics, moderation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import participation, services
from campaigns.models import Activity, ActivityMetricsRevision, ActivityStatus, Category, Disclosure
from campaigns.services import ActivityInput, PrivacyGuardHit
from clinicians.models import Platform
from clinicians.signals import verification_status_changed
from core.models import Notification, NotificationKind
from tests.campaigns.factories import SocialAccountFactory
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    ClinicianFactory,
    ParticipationFactory,
    ProvenSocialAccountFactory,
    UserFactory,
    VerifiedClinicianFactory,
)

pytestmark = pytest.mark.django_db


def _input(**overrides) -> ActivityInput:
    values = {
        "url": "https://twitter.com/drjane/status/42?utm_source=app",
        "posted_at": timezone.now() - dt.timedelta(days=2),
        "category": Category.PUBLIC_EDUCATION,
        "excerpt": "Vaccines are safe. They protect you and your family.",
        "citations": ["10.1056/NEJMoa2034577", "PMID:33301246"],
        "impressions": 100,
    }
    return ActivityInput(**{**values, **overrides})


def test_it_accepts_a_verified_clinicians_clean_post_and_sends_the_creation_signal(sent_signals):
    clinician = VerifiedClinicianFactory()
    ProvenSocialAccountFactory(clinician=clinician, handle="drjane")
    activity = services.activity_record(clinician=clinician, data=_input())
    assert activity.status == ActivityStatus.ACCEPTED
    assert activity.url == "https://x.com/drjane/status/42"
    assert activity.submitted_url.startswith("https://twitter.com/")
    assert activity.platform == Platform.X
    assert activity.citation_count == 2
    assert activity.reading_grade is not None and activity.reading_grade < 8
    assert sent_signals == [
        ("status", {"activity_id": activity.pk, "old_status": "", "new_status": ActivityStatus.ACCEPTED})
    ]


@pytest.mark.parametrize("status", ["unverified", "pending", "lapsed"])
def test_it_holds_posts_of_clinicians_who_are_not_verified(status):
    clinician = ClinicianFactory(verification_status=status)
    ProvenSocialAccountFactory(clinician=clinician, handle="drjane")
    assert services.activity_record(clinician=clinician, data=_input()).status == ActivityStatus.SUBMITTED


def test_it_keeps_the_reading_grade_for_public_education_only():
    clinician = VerifiedClinicianFactory()
    activity = services.activity_record(clinician=clinician, data=_input(category=Category.RECRUITMENT))
    assert activity.reading_grade is None


def test_a_privacy_hit_stops_the_save_until_the_clinician_confirms_those_very_hits(sent_signals):
    clinician = VerifiedClinicianFactory()
    ProvenSocialAccountFactory(clinician=clinician, handle="drjane")
    data = _input(excerpt="Maria Lopez came into our ER last night with a stroke. Check your blood pressure!")
    with pytest.raises(PrivacyGuardHit) as caught:
        services.activity_record(clinician=clinician, data=data)
    assert [(hit["kind"], hit["text"]) for hit in caught.value.hits] == [("name", "Maria Lopez")]
    assert "Maria Lopez" in caught.value.messages[0]
    assert not Activity.objects.exists()
    with pytest.raises(PrivacyGuardHit):
        services.activity_record(clinician=clinician, data=data, privacy_confirmed="a tick without the hits")

    activity = services.activity_record(clinician=clinician, data=data, privacy_confirmed=caught.value.fingerprint)
    assert activity.status == ActivityStatus.FLAGGED
    assert activity.guard_flags == ["privacy"]
    assert activity.privacy_hits[0]["kind"] == "name"
    assert activity.excerpt[activity.privacy_hits[0]["start"] : activity.privacy_hits[0]["end"]] == "Maria Lopez"
    assert "Maria Lopez" in activity.review_reason
    assert Notification.objects.get(user=clinician.user).kind == NotificationKind.ACTIVITY_FLAGGED
    assert sent_signals[-1][1]["new_status"] == ActivityStatus.FLAGGED


def test_a_confirmation_does_not_cover_a_detail_added_afterwards():
    clinician = VerifiedClinicianFactory()
    first = _input(excerpt="My patient in room 412 beat sepsis this week.")
    with pytest.raises(PrivacyGuardHit) as caught:
        services.activity_record(clinician=clinician, data=first)
    more = _input(excerpt="My patient in room 412 beat sepsis this week. Her MRN 4481230 is on the whiteboard.")
    with pytest.raises(PrivacyGuardHit) as again:
        services.activity_record(clinician=clinician, data=more, privacy_confirmed=caught.value.fingerprint)
    assert {hit["kind"] for hit in again.value.hits} == {"room_bed_unit", "mrn"}


def test_a_corrected_text_passes_the_guard_again_and_a_confirmed_hit_flags_the_post(sent_signals):
    activity = ActivityFactory(excerpt="Flu shots are free this week.", impressions=10)
    services.activity_metrics_update(activity=activity, metrics={"impressions": 10}, excerpt="Flu shots save lives.")
    activity.refresh_from_db()
    assert (activity.excerpt, activity.status, activity.privacy_hits) == (
        "Flu shots save lives.",
        ActivityStatus.ACCEPTED,
        [],
    )
    assert not ActivityMetricsRevision.objects.exists()
    sent_signals.clear()

    text = "Flu shots save lives. Ask Mrs. Alvarez, admitted to bed 7 with flu pneumonia."
    with pytest.raises(PrivacyGuardHit) as caught:
        services.activity_metrics_update(activity=activity, metrics={"impressions": 20}, excerpt=text)
    activity.refresh_from_db()
    assert (activity.excerpt, activity.impressions) == ("Flu shots save lives.", 10)

    services.activity_metrics_update(
        activity=activity, metrics={"impressions": 20}, excerpt=text, privacy_confirmed=caught.value.fingerprint
    )
    activity.refresh_from_db()
    assert (activity.excerpt, activity.impressions, activity.status) == (text, 20, ActivityStatus.FLAGGED)
    assert {hit["kind"] for hit in activity.privacy_hits} == {"name", "room_bed_unit"}
    assert activity.guard_flags == ["privacy"]
    assert ("status", {"activity_id": activity.pk, "old_status": "accepted", "new_status": "flagged"}) in sent_signals


def test_toolkit_text_passes_the_same_guard():
    assert services.toolkit_text_check(text="Get your flu shot at any pharmacy. #FluFighters") == []
    with pytest.raises(PrivacyGuardHit) as caught:
        services.toolkit_text_check(text="Share: our patient Jorge Ramirez beat leukemia at 9!")
    hits = services.toolkit_text_check(
        text="Share: our patient Jorge Ramirez beat leukemia at 9!", privacy_confirmed=caught.value.fingerprint
    )
    assert hits[0]["text"] == "Jorge Ramirez"


def test_the_same_post_cannot_be_logged_twice():
    clinician = VerifiedClinicianFactory()
    first = services.activity_record(clinician=clinician, data=_input())
    with pytest.raises(ValidationError) as own:
        services.activity_record(clinician=clinician, data=_input(url="https://x.com/drjane/status/42#again"))
    assert f"/activities/{first.pk}/" in own.value.message_dict["url"][0]
    with pytest.raises(ValidationError) as other:
        services.activity_record(clinician=VerifiedClinicianFactory(), data=_input())
    assert other.value.message_dict["url"] == ["This post was already logged by someone else."]


def test_the_handle_in_the_url_must_be_one_of_the_clinicians_linked_accounts():
    clinician = VerifiedClinicianFactory()
    SocialAccountFactory(clinician=clinician, platform=Platform.X, handle="DrJane")
    services.activity_record(clinician=clinician, data=_input())
    with pytest.raises(ValidationError) as caught:
        services.activity_record(clinician=clinician, data=_input(url="https://x.com/someoneelse/status/7"))
    assert "@someoneelse" in caught.value.message_dict["url"][0]
    # No account linked on Threads: any Threads post is accepted.
    services.activity_record(clinician=clinician, data=_input(url="https://threads.net/@other/post/1"))


@pytest.mark.parametrize(
    ("offset", "message"),
    [(dt.timedelta(days=1), "future"), (-dt.timedelta(days=91), "older than 90 days")],
)
def test_posted_at_must_be_in_the_window(offset, message):
    # Offsets, not instants: parameters are built at collection, before the test's clock is set.
    posted_at = timezone.now() + offset
    with pytest.raises(ValidationError) as caught:
        services.activity_record(clinician=VerifiedClinicianFactory(), data=_input(posted_at=posted_at))
    assert message in caught.value.message_dict["posted_at"][0]


def test_a_campaign_needs_participation_and_a_post_within_its_dates():
    clinician = VerifiedClinicianFactory()
    campaign = CampaignFactory(starts_on=timezone.localdate() - dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="Join"):
        services.activity_record(clinician=clinician, data=_input(campaign=campaign))
    ParticipationFactory(clinician=clinician, campaign=campaign)
    with pytest.raises(ValidationError, match="within the campaign"):
        services.activity_record(
            clinician=clinician, data=_input(campaign=campaign, posted_at=timezone.now() - dt.timedelta(days=10))
        )
    activity = services.activity_record(clinician=clinician, data=_input(campaign=campaign))
    assert activity.campaign == campaign
    participation.campaign_leave(clinician=clinician, campaign=campaign)
    with pytest.raises(ValidationError, match="Join"):
        services.activity_record(clinician=clinician, data=_input(url="https://x.com/a/status/9", campaign=campaign))


def test_a_disclosure_needs_its_text():
    with pytest.raises(ValidationError) as caught:
        services.activity_record(clinician=VerifiedClinicianFactory(), data=_input(disclosure=Disclosure.DISCLOSED))
    assert "disclosure_text" in caught.value.message_dict


def test_metrics_updates_keep_the_previous_figures(sent_signals):
    activity = ActivityFactory(impressions=10, likes=1)
    services.activity_metrics_update(
        activity=activity, metrics={"impressions": 50, "likes": 4, "shares": 0, "comments": 0, "clicks": 0}
    )
    activity.refresh_from_db()
    assert (activity.impressions, activity.likes) == (50, 4)
    revision = ActivityMetricsRevision.objects.get(activity=activity)
    assert (revision.impressions, revision.likes) == (10, 1)
    assert sent_signals == [("updated", {"activity_id": activity.pk})]
    with pytest.raises(ValidationError):
        services.activity_metrics_update(activity=activity, metrics={"impressions": -1})


def test_the_owner_can_withdraw_but_not_after_rejection(sent_signals):
    activity = ActivityFactory()
    services.activity_withdraw(activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.WITHDRAWN
    assert sent_signals == [
        ("status", {"activity_id": activity.pk, "old_status": "accepted", "new_status": "withdrawn"})
    ]
    rejected = ActivityFactory(status=ActivityStatus.REJECTED)
    with pytest.raises(ValidationError):
        services.activity_withdraw(activity=rejected)


def test_moderators_accept_reject_and_flag_with_notifications(sent_signals):
    moderator = UserFactory(is_staff=True)
    activity = ActivityFactory(status=ActivityStatus.FLAGGED)
    services.activity_accept(activity=activity, actor=moderator)
    activity.refresh_from_db()
    assert (activity.status, activity.decided_by) == (ActivityStatus.ACCEPTED, moderator)
    with pytest.raises(ValidationError):
        services.activity_reject(activity=activity, actor=moderator, reason=" ")
    services.activity_reject(activity=activity, actor=moderator, reason="Not a health post.")
    activity.refresh_from_db()
    assert activity.review_reason == "Not a health post."
    notification = Notification.objects.get(kind=NotificationKind.ACTIVITY_REJECTED)
    assert notification.user == activity.clinician.user and notification.body == "Not a health post."
    other = ActivityFactory()
    services.activity_flag(activity=other, reason="Looks like an advert.", actor=moderator)
    assert Notification.objects.filter(kind=NotificationKind.ACTIVITY_FLAGGED).count() == 1
    assert [kwargs["new_status"] for _, kwargs in sent_signals] == ["accepted", "rejected", "flagged"]


def test_verification_releases_waiting_clean_posts_through_the_task(django_capture_on_commit_callbacks, sent_signals):
    clinician = ClinicianFactory(verification_status="pending")
    waiting = ActivityFactory(clinician=clinician, status=ActivityStatus.SUBMITTED)
    flagged_waiting = ActivityFactory(clinician=clinician, status=ActivityStatus.SUBMITTED, guard_flags=["privacy"])
    clinician.verification_status = "verified"
    clinician.save(update_fields=["verification_status"])
    with django_capture_on_commit_callbacks(execute=True):
        verification_status_changed.send(
            sender=type(clinician), clinician_id=clinician.pk, old_status="pending", new_status="verified"
        )
    waiting.refresh_from_db()
    flagged_waiting.refresh_from_db()
    assert waiting.status == ActivityStatus.ACCEPTED
    assert flagged_waiting.status == ActivityStatus.SUBMITTED
    assert sent_signals == [
        ("status", {"activity_id": waiting.pk, "old_status": "submitted", "new_status": "accepted"})
    ]
    assert services.activities_release_for_clinician(clinician_id=clinician.pk) == 0


def test_other_verification_changes_release_nothing(django_capture_on_commit_callbacks):
    clinician = ClinicianFactory(verification_status="pending")
    waiting = ActivityFactory(clinician=clinician, status=ActivityStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        verification_status_changed.send(
            sender=type(clinician), clinician_id=clinician.pk, old_status="unverified", new_status="pending"
        )
    # Other apps may react to the change; the campaigns release task must not be among them.
    assert "campaigns.tasks.activities_release" not in repr(callbacks)
    waiting.refresh_from_db()
    assert waiting.status == ActivityStatus.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_cached_campaign_totals_follow_accepting_withdrawing_and_new_metrics():
    """Campaign progress is cached, and each change to an accepted post shows on the next read."""
    from campaigns.selectors import campaign_totals

    campaign = CampaignFactory()
    activity = ActivityFactory(campaign=campaign, status=ActivityStatus.SUBMITTED, impressions=100)
    ActivityFactory(campaign=campaign, status=ActivityStatus.ACCEPTED, impressions=50)

    def read():
        figures = campaign_totals(campaign_ids=[campaign.pk])[campaign.pk]
        return figures.accepted_posts, figures.accepted_reach

    assert read() == (1, 50)
    services.activity_accept(activity=activity)
    assert read() == (2, 150)
    services.activity_metrics_update(activity=Activity.objects.get(pk=activity.pk), metrics={"impressions": 400})
    assert read() == (2, 450)
    services.activity_withdraw(activity=Activity.objects.get(pk=activity.pk))
    assert read() == (1, 50)
