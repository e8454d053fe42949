"""Writes for core: notifications (in-app, plus email when the user wants it), heartbeats, audit
entries, TOTP enrolment with a known secret (demo accounts, the benchmark's admin) and the
transactional outbox that every task promised by a transaction goes through (see core.outbox)."""

from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from core.client_address import client_ip
from core.email import email_send
from core.models import AuditEvent, Heartbeat, Notification, NotificationEmailPreference, User
from core.outbox import outbox_enqueue, outbox_purge, outbox_relay_batch

__all__ = [
    "audit_record",
    "heartbeat_record",
    "notification_mark_read",
    "notification_preferences_set",
    "notification_send",
    "outbox_enqueue",
    "outbox_purge",
    "outbox_relay_batch",
    "user_totp_enrol",
]


def notification_send(
    *,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email_template_prefix: str = "core/email/notification",
    email_context: dict | None = None,
) -> Notification:
    """Store an in-app notification and email it (through the outbox) unless the user muted that kind.

    Apps with a richer email pass their own three-part template prefix and context; the context
    always includes `notification` and `user`.
    """
    notification = Notification(user=user, kind=kind, title=title, body=body, url=url)
    notification.full_clean()
    notification.save()
    preference = NotificationEmailPreference.objects.filter(user=user).first()
    if preference is None or preference.wants(kind):
        email_send(
            template_prefix=email_template_prefix,
            to=[user.email],
            context={**(email_context or {}), "notification": notification, "user": user},
        )
    return notification


def notification_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def notification_preferences_set(*, user: User, muted_kinds: list[str]) -> NotificationEmailPreference:
    preference, _ = NotificationEmailPreference.objects.update_or_create(
        user=user, defaults={"muted_kinds": sorted(set(muted_kinds))}
    )
    return preference


def heartbeat_record(*, name: str) -> Heartbeat:
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
    return heartbeat


def user_totp_enrol(*, user: User, secret: str) -> Authenticator:
    """Give the user a TOTP authenticator with this base32 secret, as allauth's activation page does
    once the user has typed a valid code. Returns the existing one if the user is already enrolled.

    For accounts whose secret is known by design (the demo's admin and staff, the benchmark's admin);
    real users enrol themselves at /accounts/2fa/totp/activate/."""
    from allauth.mfa.totp.internal.auth import TOTP

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return existing
    return TOTP.activate(user, secret).instance


def audit_record(
    *,
    event: AuditEvent,
    target: models.Model,
    actor: User | None,
    request: HttpRequest | None = None,
    changes: dict | None = None,
    details: dict | None = None,
) -> LogEntry:
    """Append one entry to the audit trail (django-auditlog's LogEntry): who, when, from where, on what.

    Views and services call this for what model tracking cannot see: an evidence document or report
    served, a login to admin, a manual ledger adjustment (with `changes` as auditlog's
    {field: [old, new]}). Accesses are stored with the ACCESS action, writes with CREATE.
    """
    action = LogEntry.Action.CREATE if changes else LogEntry.Action.ACCESS
    entry = LogEntry.objects.log_create(
        target,
        force_log=True,
        action=action,
        changes=changes,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", None),
        remote_addr=client_ip(request) if request is not None else None,
        additional_data={"event": str(event), **(details or {})},
    )
    return entry
