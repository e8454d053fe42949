"""Request ids (core.request_id): answered to the client, stored with the tasks a request promises,
and believed from the proxy only with TRUSTED_PROXY on."""

import pytest

from core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_it_answers_a_fresh_request_id(client):
    response = client.get("/healthz", headers={"X-Request-ID": "chosen-by-the-client"})

    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != "chosen-by-the-client"


def test_it_keeps_the_proxys_request_id_when_trusted(client, settings):
    settings.TRUSTED_PROXY = True

    response = client.get("/healthz", headers={"X-Request-ID": "67e3b8aec47458e2017113e8c368cb94"})

    assert response["X-Request-ID"] == "67e3b8aec47458e2017113e8c368cb94"


def test_the_tasks_a_request_promises_carry_its_id(client, clinician_user, settings):
    settings.TRUSTED_PROXY = True
    client.force_login(clinician_user)

    client.post(
        "/accounts/password/reset/",
        {"email": clinician_user.email},
        headers={"X-Request-ID": "req-0123456789abcdef"},
    )

    message = OutboxMessage.objects.latest("pk")
    assert message.request_id == "req-0123456789abcdef"
