"""The transactional outbox: a promised task is a row of the caller's transaction, published after
commit by the fast path or later by the relay, never lost to a broker that is down."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Heartbeat, OutboxMessage
from core.outbox import outbox_backoff_seconds
from core.services import outbox_enqueue, outbox_purge, outbox_relay_batch
from core.tasks import heartbeat
from tests.faults.outbox_processes import broker_unreachable

pytestmark = pytest.mark.django_db


def later(seconds: float = 3600) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_it_publishes_after_commit_and_marks_the_message_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox_enqueue(task=heartbeat, args=["after-commit"])
        assert not Heartbeat.objects.filter(name="after-commit").exists()  # nothing runs before the commit
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert Heartbeat.objects.filter(name="after-commit").exists()


def test_a_rolled_back_transaction_promises_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox_enqueue(task="core.tasks.heartbeat", args=["rolled-back"])
        raise RuntimeError
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert not Heartbeat.objects.filter(name="rolled-back").exists()


def test_the_promise_costs_one_insert_and_the_publish_one_update(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_num_queries(1), django_capture_on_commit_callbacks() as callbacks:
        outbox_enqueue(task=heartbeat, args=["counted"])
    with CaptureQueriesContext(connection) as queries:
        callbacks[0]()  # the heartbeat task runs eagerly here and writes its own row
    outbox_queries = [query["sql"] for query in queries.captured_queries if "core_outboxmessage" in query["sql"]]
    assert len(outbox_queries) == 1 and outbox_queries[0].startswith("UPDATE")


def test_an_unreachable_broker_leaves_the_message_to_the_relay_which_publishes_it_once_back(
    django_capture_on_commit_callbacks,
):
    with broker_unreachable():
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            message = outbox_enqueue(task=heartbeat, args=["relayed"])  # no exception reaches the caller
        message.refresh_from_db()
        assert message.sent_at is None and message.attempts == 1
        assert "127.0.0.1" in message.last_error
        batch = outbox_relay_batch(now=later())
        assert (batch.sent, batch.failed, batch.broker_down) == (0, 1, True)
    # The broker is back (eager Celery stands in for it here; tests/faults run the real one).
    batch = outbox_relay_batch(now=later())
    assert (batch.sent, batch.failed) == (1, 0)
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 3
    assert Heartbeat.objects.filter(name="relayed").exists()
    assert outbox_relay_batch(now=later()).sent == 0  # sent once, never again


def test_the_relay_leaves_a_new_message_to_the_fast_path_for_a_moment(settings):
    settings.OUTBOX_FAST_PATH_GRACE_SECONDS = 10
    outbox_enqueue(task=heartbeat, args=["fresh"])  # the test's transaction never commits
    assert outbox_relay_batch().sent == 0
    assert outbox_relay_batch(now=later(11)).sent == 1


def test_a_bad_message_backs_off_alone_and_the_batch_goes_on():
    broken = outbox_enqueue(task="core.tasks.no_such_task", args=[])
    outbox_enqueue(task=heartbeat, args=["still-sent"])
    batch = outbox_relay_batch(now=later())
    assert (batch.sent, batch.failed, batch.broker_down) == (1, 1, False)
    broken.refresh_from_db()
    assert broken.sent_at is None and broken.attempts == 1 and "no_such_task" in broken.last_error
    assert broken.next_attempt_at > timezone.now()


def test_backoff_doubles_with_jitter_up_to_the_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 1, 30
    for attempts, ceiling in [(1, 1), (2, 2), (3, 4), (5, 16), (6, 30), (40, 30)]:
        delays = {outbox_backoff_seconds(attempts) for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jittered: many retries after one outage do not arrive together


def test_purge_deletes_sent_messages_past_the_retention_only(settings):
    settings.OUTBOX_RETENTION_HOURS = 24
    now = timezone.now()
    old = OutboxMessage.objects.create(task="t", sent_at=now - dt.timedelta(hours=25))
    recent = OutboxMessage.objects.create(task="t", sent_at=now - dt.timedelta(hours=23))
    unsent = OutboxMessage.objects.create(task="t", created_at=now - dt.timedelta(days=30))
    assert outbox_purge(now=now) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


def test_the_relay_command_publishes_what_is_due(capsys):
    OutboxMessage.objects.create(task="core.tasks.heartbeat", args=["by-command"], next_attempt_at=timezone.now())
    call_command("outbox_relay", "--once")
    assert "sent 1, failed 0" in capsys.readouterr().out
    assert Heartbeat.objects.filter(name="by-command").exists()


def test_admins_see_the_backlog_read_only_without_the_email_bodies(admin_client):
    OutboxMessage.objects.create(
        task="core.tasks.email_deliver", kwargs={"text": "reset link secret-key-123"}, last_error="refused"
    )
    page = admin_client.get("/admin/core/outboxmessage/").content.decode()
    assert "core.tasks.email_deliver" in page and "secret-key-123" not in page
    message = OutboxMessage.objects.get()
    detail = admin_client.get(f"/admin/core/outboxmessage/{message.pk}/change/").content.decode()
    assert "refused" in detail and "secret-key-123" not in detail
