"""The weekly digest: sent by the hourly beat on Monday morning in each clinician's time zone, once
per week whatever reruns, through the outbox; muted in the notification settings. Every instant is
computed from the suite clock, so the daylight-saving and new-year cases hold in any year."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinicians.models import Platform
from core.models import NotificationKind, OutboxMessage
from core.services import notification_preferences_set
from incentives.models import LedgerKind, WeeklyDigest
from incentives.services import weekly_digest_send, weekly_digests_send
from incentives.tasks import weekly_digests_send as weekly_digests_task
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    LedgerEntryFactory,
    ParticipationFactory,
    ScoreFactory,
    VerifiedClinicianFactory,
)

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"


def local_instant(zone: str, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """The UTC instant of a wall-clock time in ``zone`` (what the beat sees)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(dt.UTC)


def next_monday(after: dt.date) -> dt.date:
    return after + dt.timedelta(days=7 - after.weekday())


def second_sunday_of_march(year: int) -> dt.date:
    first = dt.date(year, 3, 1)
    return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7)


def first_sunday_of_november(year: int) -> dt.date:
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(6 - first.weekday()) % 7)


def digest_mails() -> list:
    return [message for message in mail.outbox if "week" in message.subject.lower()]


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the hourly beat's service at ``now`` and deliver what it put in the outbox."""

    def run(now: dt.datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return weekly_digests_send(now=now)

    return run


def test_it_sends_on_monday_morning_in_each_clinicians_own_time_zone(send):
    new_york = VerifiedClinicianFactory(time_zone=NEW_YORK)
    los_angeles = VerifiedClinicianFactory(time_zone="America/Los_Angeles")
    auckland = VerifiedClinicianFactory(time_zone="Pacific/Auckland")
    monday = next_monday(timezone.localdate())

    assert send(local_instant(NEW_YORK, monday, 7, 59)) == 0
    assert send(local_instant(NEW_YORK, monday, 8, 5)) == 1
    assert [m.to for m in digest_mails()] == [[new_york.user.email]]
    # Three hours later it is 08:05 in Los Angeles; New York already has this week's digest.
    assert send(local_instant("America/Los_Angeles", monday, 8, 5)) == 1
    assert [m.to for m in digest_mails()][-1] == [los_angeles.user.email]
    # Auckland's Monday 08:05 is Sunday evening in UTC: the clinician's calendar decides, not UTC's.
    auckland_morning = local_instant("Pacific/Auckland", monday, 8, 5)
    assert auckland_morning.date() == monday - dt.timedelta(days=1)
    assert send(auckland_morning) == 1
    assert [m.to for m in digest_mails()][-1] == [auckland.user.email]
    assert set(WeeklyDigest.objects.values_list("week_of", flat=True)) == {monday}


def test_a_rerun_never_sends_twice_and_next_monday_sends_again(send, django_capture_on_commit_callbacks):
    clinician = VerifiedClinicianFactory(time_zone=NEW_YORK)
    monday = next_monday(timezone.localdate())
    instant = local_instant(NEW_YORK, monday, 8, 5)
    assert send(instant) == 1
    assert send(instant) == 0
    assert send(local_instant(NEW_YORK, monday, 14, 5)) == 0  # still Monday, already sent
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_digest_send(clinician_id=clinician.pk, week_of=monday, now=instant) is False
    assert len(digest_mails()) == 1
    assert OutboxMessage.objects.filter(task="core.tasks.email_deliver").count() == 1
    assert send(local_instant(NEW_YORK, monday + dt.timedelta(days=1), 8, 5)) == 0  # Tuesday
    assert send(local_instant(NEW_YORK, monday + dt.timedelta(days=7), 8, 5)) == 1
    assert WeeklyDigest.objects.filter(clinician=clinician).count() == 2


def test_a_missed_hour_catches_up_later_that_monday(send):
    VerifiedClinicianFactory(time_zone=NEW_YORK)
    monday = next_monday(timezone.localdate())
    assert send(local_instant(NEW_YORK, monday, 11, 5)) == 1


@pytest.mark.parametrize("change", ["spring forward", "fall back"])
def test_it_keeps_to_local_eight_oclock_across_daylight_saving_changes(send, change):
    VerifiedClinicianFactory(time_zone=NEW_YORK)
    today = timezone.localdate()
    rule = second_sunday_of_march if change == "spring forward" else first_sunday_of_november
    sunday = rule(today.year)
    if sunday < today:
        sunday = rule(today.year + 1)
    monday = sunday + dt.timedelta(days=1)
    before, after = local_instant(NEW_YORK, monday, 7, 59), local_instant(NEW_YORK, monday, 8, 0)
    week_before = local_instant(NEW_YORK, monday - dt.timedelta(days=7), 8, 0)
    # The UTC hour of 08:00 moved with the clock change: a UTC schedule would be an hour off.
    assert (after - week_before) != dt.timedelta(days=7)
    assert send(before) == 0
    assert send(after) == 1


def test_the_rank_change_is_stated_across_the_new_year(send):
    clinician = VerifiedClinicianFactory(time_zone=NEW_YORK)
    ScoreFactory(clinician=clinician, lifetime=40, leaderboard_lifetime=40)
    rivals = [
        ScoreFactory(clinician__time_zone="Pacific/Honolulu", lifetime=100 + n, leaderboard_lifetime=100 + n)
        for n in range(3)
    ]
    last_monday_of_year = next_monday(dt.date(timezone.localdate().year, 12, 24))  # 25 to 31 December
    first_monday = last_monday_of_year + dt.timedelta(days=7)
    assert first_monday.year == last_monday_of_year.year + 1

    assert send(local_instant(NEW_YORK, last_monday_of_year, 8, 5)) == 1
    assert WeeklyDigest.objects.get(clinician=clinician).rank_overall == 4
    for score in rivals[:2]:
        score.leaderboard_lifetime = 10
        score.save(update_fields=["leaderboard_lifetime"])
    assert send(local_instant(NEW_YORK, first_monday, 8, 5)) == 1
    body = digest_mails()[-1].body
    assert "Rank: 2nd overall (up 2 places since last week)." in body
    assert [d.week_of for d in WeeklyDigest.objects.filter(clinician=clinician)] == [first_monday, last_monday_of_year]


def test_it_tells_points_campaigns_rank_and_badges_within_reach(send):
    clinician = VerifiedClinicianFactory(time_zone=NEW_YORK, display_name="Dr Ada O'Brien")
    monday = next_monday(timezone.localdate())
    now = local_instant(NEW_YORK, monday, 8, 5)
    for amount, days_ago in ((20, 1), (15, 6), (99, 8)):
        LedgerEntryFactory(clinician=clinician, amount=amount, created_at=now - dt.timedelta(days=days_ago))
    LedgerEntryFactory(clinician=clinician, amount=-10, kind=LedgerKind.REDEMPTION, created_at=now)
    ScoreFactory(clinician=clinician, lifetime=134, balance=124, leaderboard_lifetime=134, tier="bronze")
    CampaignFactory(title="Flu shots now", starts_on=monday - dt.timedelta(days=2))
    closing = CampaignFactory(title="Measles facts", ends_on=monday + dt.timedelta(days=3))
    ParticipationFactory(clinician=clinician, campaign=closing)
    CampaignFactory(title="Long gone", ends_on=monday - dt.timedelta(days=1))
    CampaignFactory(title="Not published", is_published=False, starts_on=monday - dt.timedelta(days=1))
    for platform in (Platform.X, Platform.BLUESKY):
        ActivityFactory(clinician=clinician, platform=platform, posted_at=now - dt.timedelta(days=2))

    assert send(now) == 1
    [message] = digest_mails()
    assert message.subject.endswith("Your week: 35 points, 1 campaign closing soon")
    text = message.body
    assert "Hello Dr Ada O'Brien," in text  # plain text is not HTML-escaped
    assert "You earned 35 points this week." in text
    assert "Balance: 124 points. Lifetime: 134 points." in text
    assert "Rank: 1st overall." in text
    assert "Flu shots now: http" in text and "Long gone" not in text and "Not published" not in text
    assert f"Measles facts, last day {(monday + dt.timedelta(days=3)):%A} " in text and "(joined)" in text
    assert "Across platforms: 2 of 3 platforms" in text
    assert "366 more points to reach Silver." in text
    assert reverse("core:notification_settings") in text
    html = message.alternatives[0][0]
    assert "Dr Ada O&#x27;Brien" in html and "<strong>35</strong> points earned" in html


def test_a_quiet_week_says_what_to_do_next(send):
    VerifiedClinicianFactory(time_zone=NEW_YORK)
    assert send(local_instant(NEW_YORK, next_monday(timezone.localdate()), 8, 5)) == 1
    [message] = digest_mails()
    assert message.subject.endswith("Your week in advocacy")
    assert "No points this week. Log a post to earn some" in message.body
    assert reverse("campaigns:activity_create") in message.body


def test_a_clinician_who_muted_the_digest_or_left_gets_none(send):
    muted = VerifiedClinicianFactory(time_zone=NEW_YORK)
    notification_preferences_set(user=muted.user, muted_kinds=[NotificationKind.WEEKLY_DIGEST])
    gone = VerifiedClinicianFactory(time_zone=NEW_YORK)
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    assert send(local_instant(NEW_YORK, next_monday(timezone.localdate()), 8, 5)) == 0
    assert not digest_mails() and not WeeklyDigest.objects.exists()


def test_the_opt_out_is_in_the_notification_settings(client, clinician_user):
    client.force_login(clinician_user)
    page = client.get(reverse("core:notification_settings"))
    assert "Weekly digest (Monday morning, your time)" in page.content.decode()
    emailed = [kind for kind in NotificationKind.values if kind != NotificationKind.WEEKLY_DIGEST]
    client.post(reverse("core:notification_settings"), {"emailed_kinds": emailed})
    assert clinician_user.email_preference.muted_kinds == [NotificationKind.WEEKLY_DIGEST]


def test_one_digest_costs_the_same_queries_at_any_data_size(django_capture_on_commit_callbacks):
    monday = next_monday(timezone.localdate())
    now = local_instant(NEW_YORK, monday, 8, 5)

    def queries_for(size: int) -> int:
        clinician = VerifiedClinicianFactory(time_zone=NEW_YORK)
        for n in range(size):
            LedgerEntryFactory(clinician=clinician, created_at=now - dt.timedelta(hours=n + 1))
            CampaignFactory(starts_on=monday - dt.timedelta(days=1), ends_on=monday + dt.timedelta(days=2))
            ActivityFactory(clinician=clinician, posted_at=now - dt.timedelta(hours=n + 1))
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
            assert weekly_digest_send(clinician_id=clinician.pk, week_of=monday, now=now)
        return len(queries)

    assert queries_for(1) == queries_for(6)


def test_the_beat_task_sends_what_is_due_now(django_capture_on_commit_callbacks):
    VerifiedClinicianFactory(time_zone=NEW_YORK)
    with time_machine.travel(local_instant(NEW_YORK, next_monday(timezone.localdate()), 8, 5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert weekly_digests_task.delay().get() == 1
        assert weekly_digests_task.delay().get() == 0
    assert len(digest_mails()) == 1


def test_the_profile_sets_the_time_zone_and_refuses_an_unknown_one(client):
    clinician = VerifiedClinicianFactory()
    client.force_login(clinician.user)
    data = {"display_name": clinician.display_name, "profession": "md", "specialty": "internal", "country": "US"}
    data["state"] = "IL"
    response = client.post(reverse("clinicians:profile_edit"), {**data, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Select a valid choice" in " ".join(response.context["form"].errors["time_zone"])
    client.post(reverse("clinicians:profile_edit"), {**data, "time_zone": "Europe/Dublin"})
    clinician.refresh_from_db()
    assert clinician.time_zone == "Europe/Dublin"
