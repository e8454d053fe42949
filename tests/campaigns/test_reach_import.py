"""Imported reach (campaigns.reach_import, campaigns.reach_readers): readings of proven posts' figures at
about 1 hour, 1 day and 7 days after posting, read from real HTTP servers on 127.0.0.1 that answer in
each platform's documented shape, stored as evidence, and re-pricing the activity."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from campaigns import reach_import, services
from campaigns.models import (
    Activity,
    ActivityProof,
    ActivityStatus,
    Category,
    MetricReading,
    MetricSource,
    ReadingStatus,
)
from campaigns.reach_readers import BLUESKY_SOURCE, MASTODON_SOURCE, REDDIT_SOURCE, YOUTUBE_SOURCE
from campaigns.services import ActivityInput
from clinicians.models import Platform, ProofMethod
from core.models import OutboxMessage
from incentives.models import LedgerEntry
from tests.campaigns.reach_servers import PlatformAPI, platform_fixture
from tests.factories import ProvenSocialAccountFactory, VerifiedClinicianFactory
from tests.incentives.factories import rule_set_next

pytestmark = pytest.mark.django_db

DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
RKEY = "3kq7fzqz2xk2a"
BLUESKY_URL = f"https://bsky.app/profile/drjane.bsky.social/post/{RKEY}"
VIDEO = "dQw4w9WgXcQ"


@pytest.fixture
def api(settings):
    """One local server that every platform's base URL points at (their paths do not overlap)."""
    with PlatformAPI() as server:
        settings.REACH_BLUESKY_APPVIEW_URL = server.url
        settings.REACH_MASTODON_URL_TEMPLATE = server.url
        settings.REACH_REDDIT_URL = server.url
        settings.REACH_YOUTUBE_API_URL = server.url
        settings.REACH_YOUTUBE_API_KEY = "test-youtube-key"
        settings.PROOF_ALLOW_PRIVATE_HOSTS = True
        settings.REACH_FETCH_TIMEOUT_SECONDS = 2
        yield server


def _bluesky_answer(api: PlatformAPI, *, likes: int, reposts: int = 0, replies: int = 0, quotes: int = 0, once=False):
    data = platform_fixture(
        "bluesky_app.bsky.feed.getPosts.json",
        did=DID,
        rkey=RKEY,
        likes=likes,
        reposts=reposts,
        replies=replies,
        quotes=quotes,
    )
    (api.answer_once if once else api.answer)("/xrpc/app.bsky.feed.getPosts", data)


def _record(clinician, url: str, capture, *, impressions: int = 1000, posted_at=None) -> Activity:
    data = ActivityInput(
        url=url,
        posted_at=posted_at or timezone.now() - dt.timedelta(minutes=10),
        category=Category.PUBLIC_EDUCATION,
        excerpt="Flu vaccines are safe for most people with egg allergy.",
        impressions=impressions,
        likes=3,
    )
    with capture(execute=True):
        return services.activity_record(clinician=clinician, data=data)


@pytest.fixture
def bluesky_clinician():
    clinician = VerifiedClinicianFactory()
    ProvenSocialAccountFactory(
        clinician=clinician,
        platform=Platform.BLUESKY,
        handle="drjane.bsky.social",
        proof_method=ProofMethod.PROFILE_CODE,
        provider="",
        provider_account_id=DID,
    )
    return clinician


def _accept_by_moderator(activity: Activity, capture) -> Activity:
    """YouTube and Reddit links do not show who posted them: a moderator confirms the post."""
    assert activity.proof == ActivityProof.UNPROVEN
    with capture(execute=True):
        return services.activity_accept(activity=activity, actor=None)


def _schedule(capture) -> int:
    with capture(execute=True):
        return reach_import.metric_readings_schedule()


def _points(activity: Activity) -> int:
    return sum(LedgerEntry.objects.filter(activity=activity).values_list("amount", flat=True))


def test_it_reads_a_bluesky_post_at_one_hour_one_day_and_seven_days(
    api, bluesky_clinician, django_capture_on_commit_callbacks
):
    activity = _record(bluesky_clinician, BLUESKY_URL, django_capture_on_commit_callbacks)
    assert activity.status == ActivityStatus.ACCEPTED and activity.proof == ActivityProof.PROVEN
    posted_at = activity.posted_at
    assert _schedule(django_capture_on_commit_callbacks) == 0  # nothing is due 10 minutes after posting

    seen = []
    for delay, likes in [(dt.timedelta(hours=1), 12), (dt.timedelta(days=1), 40), (dt.timedelta(days=7), 55)]:
        _bluesky_answer(api, likes=likes, reposts=4, replies=2, quotes=1)
        with time_machine.travel(posted_at + delay + dt.timedelta(minutes=5), tick=False):
            assert _schedule(django_capture_on_commit_callbacks) == 1
            assert _schedule(django_capture_on_commit_callbacks) == 0  # the claim: never scheduled twice
        activity.refresh_from_db()
        seen.append(activity.likes)

    assert seen == [12, 40, 55]
    readings = list(MetricReading.objects.filter(activity=activity).order_by("due_at"))
    assert [r.checkpoint for r in readings] == ["1h", "1d", "7d"]
    assert all(r.status == ReadingStatus.DONE and r.source_api == BLUESKY_SOURCE for r in readings)
    assert [(r.likes, r.shares, r.comments, r.impressions) for r in readings] == [
        (12, 5, 2, None),
        (40, 5, 2, None),
        (55, 5, 2, None),
    ]
    assert [r.fetched_at for r in readings] == [
        posted_at + d + dt.timedelta(minutes=5)
        for d in (dt.timedelta(hours=1), dt.timedelta(days=1), dt.timedelta(days=7))
    ]
    # getPosts was asked for the post by the proven account's DID, not by the handle in the URL.
    assert {query["uris"] for path, query in api.requests} == {f"at://{DID}/app.bsky.feed.post/{RKEY}"}
    assert (activity.likes, activity.shares, activity.comments) == (55, 5, 2)
    assert activity.metrics_source == MetricSource.IMPORTED
    assert activity.metrics_source_api == BLUESKY_SOURCE
    # Bluesky gives no views: the typed impressions stay, and stay marked self-reported.
    assert (activity.impressions, activity.impressions_source) == (1000, MetricSource.SELF_REPORTED)
    # The earlier figures are kept, as for a clinician's edit.
    assert activity.metric_revisions.count() == 3


def test_a_missed_checkpoint_is_skipped_and_unproven_posts_are_never_read(
    api, bluesky_clinician, django_capture_on_commit_callbacks
):
    activity = _record(
        bluesky_clinician,
        BLUESKY_URL,
        django_capture_on_commit_callbacks,
        posted_at=timezone.now() - dt.timedelta(days=5),
    )
    unproven = VerifiedClinicianFactory()
    held = _record(
        unproven, "https://bsky.app/profile/someone.bsky.social/post/3zzz", django_capture_on_commit_callbacks
    )
    assert activity.status == ActivityStatus.ACCEPTED and held.status != ActivityStatus.ACCEPTED

    _bluesky_answer(api, likes=9)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        # The held post's 1 h reading is due but it is not accepted; the five-day-old post's 1 h and
        # 1 d readings are past their 48 h window and its 7 d one is not due yet.
        assert _schedule(django_capture_on_commit_callbacks) == 0
    assert not MetricReading.objects.exists() and api.requests == []


def test_it_backs_off_on_429_after_retry_after_and_then_imports(
    api, bluesky_clinician, django_capture_on_commit_callbacks
):
    activity = _record(bluesky_clinician, BLUESKY_URL, django_capture_on_commit_callbacks)
    api.answer_once("/xrpc/app.bsky.feed.getPosts", {"error": "RateLimitExceeded"}, 429, {"Retry-After": "120"})
    _bluesky_answer(api, likes=21)
    with time_machine.travel(activity.posted_at + dt.timedelta(hours=1, minutes=1), tick=False):
        reading = MetricReading.objects.create(
            activity=activity, checkpoint="1h", due_at=timezone.now(), platform=Platform.BLUESKY
        )
        with pytest.raises(reach_import.ReadingRetryLater) as retry:
            reach_import.metric_reading_import(reading_id=reading.pk)
        assert retry.value.countdown == 120  # the platform's Retry-After
        reading.refresh_from_db()
        assert (reading.status, reading.attempts, reading.error) == ("due", 1, "127.0.0.1 answered 429")
        activity.refresh_from_db()
        assert activity.likes == 3  # nothing imported yet

        with django_capture_on_commit_callbacks(execute=True):
            assert reach_import.metric_reading_import(reading_id=reading.pk) == "imported"
    reading.refresh_from_db()
    assert (reading.status, reading.attempts, reading.likes) == ("done", 2, 21)
    assert len(api.requests) == 2


def test_5xx_backs_off_exponentially_and_gives_up_after_the_last_attempt(
    api, bluesky_clinician, settings, django_capture_on_commit_callbacks
):
    settings.REACH_MAX_ATTEMPTS = 3
    settings.REACH_BACKOFF_BASE_SECONDS = 60
    activity = _record(bluesky_clinician, BLUESKY_URL, django_capture_on_commit_callbacks)
    api.answer("/xrpc/app.bsky.feed.getPosts", {"error": "InternalServerError"}, 502)
    reading = MetricReading.objects.create(
        activity=activity, checkpoint="1h", due_at=timezone.now(), platform=Platform.BLUESKY
    )
    waits = []
    for _ in range(2):
        with pytest.raises(reach_import.ReadingRetryLater) as retry:
            reach_import.metric_reading_import(reading_id=reading.pk)
        waits.append(retry.value.countdown)
    assert waits == [60, 120]
    assert reach_import.metric_reading_import(reading_id=reading.pk) == "failed"
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.FAILED and "gave up after 3 tries" in reading.error
    assert reach_import.metric_reading_import(reading_id=reading.pk) == "not due"  # a redelivery does nothing
    assert len(api.requests) == 3


def test_the_worker_task_asks_celery_to_retry_a_429_and_a_later_delivery_imports(
    api, bluesky_clinician, django_capture_on_commit_callbacks
):
    from campaigns.tasks import metric_reading_fetch

    activity = _record(bluesky_clinician, BLUESKY_URL, django_capture_on_commit_callbacks)
    api.answer_once("/xrpc/app.bsky.feed.getPosts", {"error": "RateLimitExceeded"}, 429, {"Retry-After": "30"})
    _bluesky_answer(api, likes=30)
    with time_machine.travel(activity.posted_at + dt.timedelta(hours=1, minutes=1), tick=False):
        assert _schedule(django_capture_on_commit_callbacks) == 1
    # The scheduler promised the fetch through the outbox; its first delivery met the 429.
    reading = MetricReading.objects.get(activity=activity)
    message = OutboxMessage.objects.get(task="campaigns.tasks.metric_reading_fetch")
    assert message.args == [reading.pk]
    assert (reading.status, reading.attempts, reading.likes) == ("due", 1, None)
    # Celery's retry (eager here, so the countdown is not waited) delivers it again.
    with django_capture_on_commit_callbacks(execute=True):
        result = metric_reading_fetch.apply(args=[reading.pk])
    assert result.get() == "imported"
    reading.refresh_from_db()
    assert (reading.status, reading.attempts, reading.likes) == ("done", 2, 30)


def test_the_per_platform_rate_limit_defers_without_calling_the_platform(
    api, bluesky_clinician, settings, django_capture_on_commit_callbacks
):
    settings.REACH_RATE_LIMITS_PER_MINUTE = {"bluesky": 1}
    activity = _record(bluesky_clinician, BLUESKY_URL, django_capture_on_commit_callbacks)
    other = _record(
        bluesky_clinician,
        "https://bsky.app/profile/drjane.bsky.social/post/3kother",
        django_capture_on_commit_callbacks,
    )
    _bluesky_answer(api, likes=5)
    with time_machine.travel(dt.datetime(2026, 11, 18, 13, 0, 15, tzinfo=dt.UTC), tick=False):
        first, second = (
            MetricReading.objects.create(activity=a, checkpoint="1h", due_at=timezone.now(), platform="bluesky")
            for a in (activity, other)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert reach_import.metric_reading_import(reading_id=first.pk) == "imported"
        with pytest.raises(reach_import.ReadingRetryLater) as retry:
            reach_import.metric_reading_import(reading_id=second.pk)
    assert retry.value.countdown == 45  # the rest of the minute
    assert len(api.requests) == 1


def test_mastodon_and_reddit_figures_are_read_from_their_documented_shapes(api, django_capture_on_commit_callbacks):
    clinician = VerifiedClinicianFactory()
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.MASTODON, handle="drjane@med.example")
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.REDDIT, handle="drjane", provider="reddit")
    toot = _record(clinician, "https://med.example/@drjane/113456789012345678", django_capture_on_commit_callbacks)
    api.answer(
        "/api/v1/statuses/113456789012345678",
        platform_fixture("mastodon_v1_statuses.json", id="113456789012345678", replies=4, reblogs=7, favourites=31),
    )
    reddit = _record(
        clinician, "https://www.reddit.com/r/medicine/comments/1gx2abc/egg_allergy/", django_capture_on_commit_callbacks
    )
    reddit = _accept_by_moderator(reddit, django_capture_on_commit_callbacks)
    api.answer(
        "/comments/1gx2abc.json", platform_fixture("reddit_comments_id.json", id="1gx2abc", score=88, comments=19)
    )
    assert toot.status == ActivityStatus.ACCEPTED

    with time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False):
        assert _schedule(django_capture_on_commit_callbacks) == 2
    toot.refresh_from_db()
    reddit.refresh_from_db()
    assert (toot.likes, toot.shares, toot.comments, toot.metrics_source_api) == (31, 7, 4, MASTODON_SOURCE)
    assert (reddit.likes, reddit.comments, reddit.metrics_source_api) == (88, 19, REDDIT_SOURCE)


def test_imported_youtube_views_earn_the_full_engagement_bonus_and_typed_ones_only_the_share(
    api, client, django_capture_on_commit_callbacks
):
    rule_set_next(engagement_bonus_per_decade=2, engagement_bonus_cap=10, self_reported_engagement_share=50)
    clinician = VerifiedClinicianFactory()
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.YOUTUBE, handle="drjane", provider="google")
    activity = _record(clinician, f"https://youtu.be/{VIDEO}", django_capture_on_commit_callbacks, impressions=100_000)
    activity = _accept_by_moderator(activity, django_capture_on_commit_callbacks)
    assert activity.proof == ActivityProof.MODERATOR
    typed_points = _points(activity)
    # 100,000 typed impressions: 5 decades * 2 = 10 bonus points, of which self-reported earn 50 %.
    api.answer(
        "/youtube/v3/videos",
        platform_fixture("youtube_v3_videos_statistics.json", id=VIDEO, views=100_000, likes=950, comments=61),
    )
    with time_machine.travel(activity.posted_at + dt.timedelta(hours=1, minutes=2), tick=False):
        assert _schedule(django_capture_on_commit_callbacks) == 1

    activity.refresh_from_db()
    assert api.requests[0][1] == {"part": "statistics", "id": VIDEO, "key": "test-youtube-key"}
    assert (activity.impressions, activity.likes, activity.comments) == (100_000, 950, 61)
    assert activity.impressions_source == MetricSource.IMPORTED
    # Same figure, now imported: re-priced to the full bonus (+5), through the ledger.
    assert _points(activity) == typed_points + 5
    assert LedgerEntry.objects.filter(activity=activity).count() == 2

    client.force_login(clinician.user)
    statement = client.get(reverse("incentives:statement")).content.decode()
    # Each entry shows the figures it was priced on: the re-pricing the imported views, the first
    # award the typed ones.
    imported_line = f"Priced on: 100000 impressions, imported from {YOUTUBE_SOURCE} at"
    assert statement.count(imported_line) == 1
    assert statement.count("Priced on: 100000 impressions, self-reported") == 1

    # The clinician types a bigger number over it: self-reported again, the share applies again.
    later = time_machine.travel(activity.posted_at + dt.timedelta(hours=2), tick=False)
    with later, django_capture_on_commit_callbacks(execute=True):
        services.activity_metrics_update(activity=activity, metrics={"impressions": 100_001})
    activity.refresh_from_db()
    assert activity.impressions_source == MetricSource.SELF_REPORTED
    assert _points(activity) == typed_points
    statement = client.get(reverse("incentives:statement")).content.decode()
    assert "Priced on: 100001 impressions, self-reported" in statement
    assert statement.count(imported_line) == 1  # the earlier entry still shows what it used
    assert "Figures now: 100001 impressions, self-reported" in statement


def test_without_an_api_key_youtube_posts_are_not_read(api, settings, django_capture_on_commit_callbacks):
    settings.REACH_YOUTUBE_API_KEY = ""
    clinician = VerifiedClinicianFactory()
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.YOUTUBE, handle="drjane", provider="google")
    activity = _accept_by_moderator(
        _record(clinician, f"https://youtu.be/{VIDEO}", django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    with time_machine.travel(activity.posted_at + dt.timedelta(hours=1, minutes=2), tick=False):
        assert _schedule(django_capture_on_commit_callbacks) == 0
    assert api.requests == []


def test_a_post_withdrawn_while_it_was_read_keeps_the_reading_but_not_the_figures(
    api, bluesky_clinician, django_capture_on_commit_callbacks
):
    activity = _record(bluesky_clinician, BLUESKY_URL, django_capture_on_commit_callbacks)
    reading = MetricReading.objects.create(
        activity=activity, checkpoint="1h", due_at=timezone.now(), platform=Platform.BLUESKY
    )
    _bluesky_answer(api, likes=77)
    figures = reach_import.post_figures_fetch(platform=Platform.BLUESKY, url=activity.url, account_id=DID)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_withdraw(activity=activity)
    assert reach_import._reading_store(reading_id=reading.pk, figures=figures) == "stored"
    reading.refresh_from_db()
    activity.refresh_from_db()
    assert (reading.status, reading.likes) == (ReadingStatus.DONE, 77)
    assert (activity.likes, activity.metrics_source) == (3, MetricSource.SELF_REPORTED)
