"""Fault tests on real services (CI's services leg): a private redis-server (broker and cache) is
stopped while clinicians log posts and staff request reports, a local SMTP server is stopped while
actions that email run; a real `celery worker` and a real `outbox_relay` process do the rest.

Nothing may answer 500, nothing may be lost or doubled, and everything must arrive once the service
is back. The seconds from the service returning to the last delivery are printed (run with -s);
no wall-clock limit is asserted beyond a generous timeout.
"""

import datetime as dt
import time

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advocacy_portal.settings import redis_cache
from campaigns.models import Activity, ActivityStatus, Category
from core.models import OutboxMessage
from incentives.models import LedgerEntry
from reports.models import Report, ReportStatus
from tests.conftest import require_services, wait_for
from tests.factories import ProvenSocialAccountFactory, VerifiedClinicianFactory
from tests.faults.outbox_processes import (
    RedisServer,
    SmtpServer,
    celery_broker,
    celery_worker,
    outbox_relay,
    service_env,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

POSTS_PER_CLINICIAN = 3


@pytest.fixture
def private_redis():
    require_services()
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def portal(private_redis, smtp_server, settings):
    """This process (the web side, through the test client), a worker and a relay, all on the
    private Redis (broker db 0, cache db 1) and the local SMTP server."""
    broker_url, cache_url = f"{private_redis.url}/0", f"{private_redis.url}/1"
    settings.CACHES = {"default": redis_cache(cache_url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    env = service_env(
        broker_url=broker_url,
        cache_url=cache_url,
        EMAIL_URL=smtp_server.url,
        OUTBOX_RETRY_MAX_SECONDS="5",
        OUTBOX_FAST_PATH_GRACE_SECONDS="2",
        EMAIL_RETRY_BASE_SECONDS="1",
        EMAIL_RETRY_MAX_SECONDS="4",
    )
    worker, relay = celery_worker(env), outbox_relay(env)
    with celery_broker(broker_url):
        worker.start()
        relay.start()
        yield {"worker": worker, "relay": relay}
        relay.stop()
        worker.stop()


def _post_form(n: int, *, handle: str) -> dict:
    return {
        "url": f"https://x.com/{handle}/status/{9_000 + n}",
        "posted_at": (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "category": Category.PUBLIC_EDUCATION,
        "excerpt": "Wash your hands. It stops germs.",
        "citations": "",
        "impressions": "120",
        "likes": "4",
        "shares": "",
        "comments": "0",
        "clicks": "0",
        "disclosure": "none",
    }


def _report_form() -> dict:
    today = timezone.localdate()
    return {
        "kind": "activity_export",
        "format": "csv",
        "period": "custom",
        "start": (today - dt.timedelta(days=7)).isoformat(),
        "end": today.isoformat(),
    }


def _logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_redis_stopped_while_posts_are_logged_and_reports_requested_loses_and_doubles_nothing(
    portal, private_redis, staff_user
):
    clinicians = [VerifiedClinicianFactory() for _ in range(3)]
    for index, clinician in enumerate(clinicians):  # posts from proven accounts are accepted at once
        ProvenSocialAccountFactory(clinician=clinician, platform="x", handle=f"drfault{index}")
    clients = [_logged_in(clinician.user) for clinician in clinicians]
    staff = _logged_in(staff_user)

    private_redis.stop()
    statuses = []
    for round_ in range(POSTS_PER_CLINICIAN):
        for index, client in enumerate(clients):
            response = client.post(
                reverse("campaigns:activity_create"), _post_form(round_ * 10 + index, handle=f"drfault{index}")
            )
            statuses.append(response.status_code)
            statuses.append(client.get(reverse("dashboard")).status_code)
        statuses.append(staff.post(reverse("reports:report_create"), _report_form()).status_code)
    statuses.append(Client(raise_request_exception=False).get(reverse("account_login")).status_code)
    health = Client(raise_request_exception=False).get("/healthz")

    assert 500 not in statuses and set(statuses) <= {200, 302}, statuses
    assert health.status_code == 503 and {"broker", "cache"} <= set(health.json()["down"])
    activity_ids = list(Activity.objects.values_list("pk", flat=True))
    assert len(activity_ids) == len(clinicians) * POSTS_PER_CLINICIAN
    assert set(Activity.objects.values_list("status", flat=True)) == {ActivityStatus.ACCEPTED}
    assert Report.objects.count() == POSTS_PER_CLINICIAN
    assert OutboxMessage.objects.unsent().count() >= len(activity_ids) + POSTS_PER_CLINICIAN

    private_redis.start()
    back = time.monotonic()

    def priced() -> bool:
        return LedgerEntry.objects.filter(activity_id__in=activity_ids).values("activity").distinct().count() == len(
            activity_ids
        )

    wait_for(priced, timeout=180, interval=0.25, message="every post logged during the outage to be priced")
    seconds_to_priced = time.monotonic() - back
    wait_for(
        lambda: not Report.objects.exclude(status=ReportStatus.SUCCEEDED).exists(),
        timeout=180,
        interval=0.25,
        message="every report requested during the outage to be built",
    )
    seconds_to_reports = time.monotonic() - back
    wait_for(lambda: not OutboxMessage.objects.unsent().exists(), timeout=60, message="the outbox to drain")

    doubled = list(
        LedgerEntry.objects.filter(activity_id__in=activity_ids)
        .values("activity")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    lost = (
        len(activity_ids)
        - LedgerEntry.objects.filter(activity_id__in=activity_ids).values("activity").distinct().count()
    )
    print(
        f"\nREDIS OUTAGE: {len(activity_ids)} posts and {Report.objects.count()} reports during the outage; "
        f"last post priced {seconds_to_priced:.1f} s and last report built {seconds_to_reports:.1f} s after Redis "
        f"returned; lost {lost}, doubled {len(doubled)}; requests answered {sorted(set(statuses))}"
    )
    assert lost == 0 and doubled == []
    assert all(report.row_count is not None for report in Report.objects.all())


def test_smtp_down_while_actions_email_succeeds_and_the_mail_arrives_when_it_is_back(
    portal, smtp_server, clinician_user, staff_user
):
    anonymous = Client(raise_request_exception=False)
    staff = _logged_in(staff_user)
    reset = anonymous.post("/accounts/password/reset/", {"email": clinician_user.email})
    requested = staff.post(reverse("reports:report_create"), _report_form())
    assert (reset.status_code, requested.status_code) == (302, 302)
    # The report is built by the worker, whose "report ready" email also meets the dead server.
    wait_for(lambda: Report.objects.filter(status=ReportStatus.SUCCEEDED).exists(), timeout=120, message="the report")
    time.sleep(2)  # let both deliveries fail at least once against the stopped server
    assert smtp_server.messages == []
    smtp_server.start()
    back = time.monotonic()
    wait_for(lambda: len(smtp_server.messages) >= 2, timeout=120, interval=0.25, message="both emails to arrive")
    seconds = time.monotonic() - back
    time.sleep(2)  # a duplicate would arrive now
    recipients = sorted(message["To"] for message in smtp_server.messages)
    print(f"\nSMTP OUTAGE: {len(recipients)} emails arrived {seconds:.1f} s after the mail server returned")
    assert recipients == sorted([clinician_user.email, staff_user.email])
    subjects = " | ".join(message["Subject"] for message in smtp_server.messages)
    assert "Password Reset" in subjects and "report is ready" in subjects
