"""Email through the outbox: rendered when the action commits, delivered by a task with retries.

Templates come in three parts, `<prefix>_subject.txt`, `<prefix>_body.txt` and `<prefix>_body.html`.
The message is rendered at enqueue time (the task carries strings, not model instances that might
change or vanish) and written to the outbox in the caller's transaction; `core.tasks.email_deliver`
sends it on the `default` queue and retries SMTP and network errors with backoff, so an SMTP outage
never fails the action that sent the email and loses no email.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string

from core.outbox import outbox_enqueue

EMAIL_TASK = "core.tasks.email_deliver"


def email_render_text(template_name: str, context: Mapping) -> str:
    """Render a plain-text template without HTML escaping: O'Brien stays O'Brien, & stays &."""
    return get_template(template_name).template.render(Context(dict(context), autoescape=False))


def email_send(*, template_prefix: str, to: Iterable[str], context: Mapping) -> None:
    """Render one email now and deliver it once the caller's transaction commits."""
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(email_render_text(f"{template_prefix}_subject.txt", ctx).split())
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=email_render_text(f"{template_prefix}_body.txt", ctx),
        to=list(to),
    )
    message.attach_alternative(render_to_string(f"{template_prefix}_body.html", ctx), "text/html")
    email_message_enqueue(message=message)


def email_message_enqueue(*, message: EmailMessage) -> None:
    """Put a rendered message (text body, optional HTML alternative) in the outbox."""
    html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
    if message.content_subtype == "html":
        html, text = message.body, ""
    else:
        text = message.body
    outbox_enqueue(
        task=EMAIL_TASK,
        kwargs={
            "subject": message.subject,
            "text": text,
            "html": html,
            "to": list(message.to),
            "cc": list(message.cc),
            "bcc": list(message.bcc),
            "reply_to": list(message.reply_to),
            "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        },
        queue="default",
    )


def email_deliver_now(
    *,
    subject: str,
    text: str,
    html: str,
    to: list[str],
    from_email: str,
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Send one rendered message over the configured backend (SMTP in production); errors propagate."""
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=from_email, to=to, cc=cc or [], bcc=bcc or [], reply_to=reply_to or []
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
