"""/metrics (core.metrics): Prometheus exposition for the holder of METRICS_TOKEN only."""

import pytest

from core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_it_is_hidden_without_a_token_configured(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_it_refuses_a_wrong_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 404


def test_it_exposes_requests_tasks_and_the_outbox_backlog(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    OutboxMessage.objects.create(task="core.tasks.heartbeat")
    client.get("/healthz")

    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "portal_outbox_unsent_messages 1.0" in body
    assert "portal_outbox_oldest_unsent_seconds" in body
    assert "django_http_requests_total_by_method_total" in body
    assert "portal_celery_task_duration_seconds" in body
