"""Email goes through the outbox: rendered at commit time, delivered by a task with retries, so a
mail server that is down fails no action and loses no email. Real SMTP server on 127.0.0.1."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from core.models import NotificationKind, OutboxMessage
from core.services import notification_send, outbox_relay_batch
from core.tasks import _transient
from tests.faults.outbox_processes import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that the portal's SMTP backend talks to (not started yet)."""
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


def relay_later() -> None:
    outbox_relay_batch(now=timezone.now() + dt.timedelta(hours=1))


def test_plain_text_is_not_html_escaped_and_html_is(clinician_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            user=clinician_user,
            kind=NotificationKind.REPORT_READY,
            title="Dr. O'Brien & <Partners>",
            body='Said "thanks".',
        )
    [message] = mail.outbox
    assert message.subject == "[Advocacy Portal] Dr. O'Brien & <Partners>"
    assert "Dr. O'Brien & <Partners>" in message.body and 'Said "thanks".' in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "O&#x27;Brien &amp; &lt;Partners&gt;" in html


def test_an_email_is_an_outbox_message_on_the_default_queue(clinician_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(user=clinician_user, kind=NotificationKind.REPORT_READY, title="Ready")
    assert mail.outbox == []  # nothing is sent before the commit
    promise = OutboxMessage.objects.get()
    assert (promise.task, promise.queue) == ("core.tasks.email_deliver", "default")
    assert promise.kwargs["to"] == [clinician_user.email] and promise.kwargs["subject"].endswith("Ready")
    assert len(callbacks) == 1


def test_with_the_mail_server_down_the_action_succeeds_and_the_mail_arrives_when_it_is_back(
    clinician_user, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=clinician_user, kind=NotificationKind.REPORT_READY, title="Your report is ready")
    promise = OutboxMessage.objects.get()
    assert promise.sent_at is None and "Connection refused" in promise.last_error
    smtp.start()
    relay_later()
    [message] = smtp.messages
    assert message["Subject"] == "[Advocacy Portal] Your report is ready"
    assert message["To"] == clinician_user.email
    promise.refresh_from_db()
    assert promise.sent_at is not None


def test_a_password_reset_with_the_mail_server_down_answers_normally_and_is_mailed_later(
    client, clinician_user, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": clinician_user.email})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(task="core.tasks.email_deliver", sent_at__isnull=True).count() == 1
    smtp.start()
    relay_later()
    [message] = smtp.messages
    assert "Password Reset" in message["Subject"] and message["To"] == clinician_user.email
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain").get_payload(decode=True)
    assert b"/accounts/password/reset/key/" in text


def test_signup_confirmation_goes_through_the_outbox(client, smtp, django_capture_on_commit_callbacks):
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "new.doc@example.org", "password1": "a-long-unusual-pass", "password2": "a-long-unusual-pass"},
        )
    assert response.status_code == 302
    assert OutboxMessage.objects.get(task="core.tasks.email_deliver").sent_at is not None
    [message] = smtp.messages
    assert message["To"] == "new.doc@example.org"


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (TimeoutError(), True),
        (smtplib.SMTPResponseException(421, b"try later"), True),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")}), False),
        (smtplib.SMTPResponseException(554, b"rejected"), False),
        (ValueError("a bug"), False),
    ],
)
def test_only_transient_mail_errors_are_retried(error, retried):
    assert _transient(error) is retried


def test_seed_demo_succeeds_with_the_mail_server_down(smtp, settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")  # its notifications' emails meet the stopped server: nothing raises
    unsent = OutboxMessage.objects.filter(task="core.tasks.email_deliver", sent_at__isnull=True)
    assert unsent.exists()
    smtp.start()
    relay_later()
    assert len(smtp.messages) == unsent.model.objects.filter(task="core.tasks.email_deliver").count()
