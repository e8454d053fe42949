"""Core tasks: email delivery (queue "default", retried until the mail server answers) and the
worker heartbeat that /healthz reports."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings

from core.email import email_deliver_now
from core.outbox import backoff_seconds
from core.services import heartbeat_record

logger = logging.getLogger(__name__)

# The server refused this message for good (5xx): retrying sends nothing, so the task fails loudly.
PERMANENT_SMTP_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPAuthenticationError)


def _transient(error: Exception) -> bool:
    if isinstance(error, PERMANENT_SMTP_ERRORS):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    # SMTPServerDisconnected, SMTPConnectError, refused and timed-out connections are all OSError.
    return isinstance(error, OSError)


@shared_task(
    bind=True,
    queue="default",
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
    max_retries=settings.EMAIL_DELIVERY_MAX_RETRIES,
)
def email_deliver(self, **message) -> None:
    """Send one rendered email; an unreachable or busy mail server is retried with backoff and jitter.

    Delivery is at least once: the outbox may publish a message twice (a relay killed between
    publishing and marking it sent), which the recipient sees as a duplicate, never as a loss.
    """
    try:
        email_deliver_now(**message)
    except Exception as error:
        if not _transient(error):
            raise
        if self.request.is_eager:
            # No worker to come back later: the outbox keeps the message and its relay retries it.
            raise
        if self.request.retries >= settings.EMAIL_DELIVERY_MAX_RETRIES:
            logger.error("email to %s abandoned after %s attempts: %r", message.get("to"), self.request.retries, error)
            raise
        countdown = backoff_seconds(
            attempts=self.request.retries + 1,
            base=settings.EMAIL_RETRY_BASE_SECONDS,
            cap=settings.EMAIL_RETRY_MAX_SECONDS,
        )
        logger.warning("email to %s not sent (%r); retrying in %.0f s", message.get("to"), error, countdown)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(queue="default", time_limit=30, soft_time_limit=20)
def heartbeat(name: str = "worker") -> None:
    heartbeat_record(name=name)
