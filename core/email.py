"""Templated email in three parts: `<prefix>_subject.txt`, `<prefix>_body.txt`, `<prefix>_body.html`."""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def email_send(*, template_prefix: str, to: Iterable[str], context: Mapping) -> None:
    """Render and send one email. Call it from transaction.on_commit or a task, not mid-transaction."""
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", ctx).split())
    text = render_to_string(f"{template_prefix}_body.txt", ctx)
    html = render_to_string(f"{template_prefix}_body.html", ctx)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=text, to=list(to)
    )
    message.attach_alternative(html, "text/html")
    message.send()
