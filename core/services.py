"""Writes for core: notifications (in-app, plus email when the user wants it), heartbeats, TOTP
enrolment with a known secret (demo accounts, the benchmark's admin) and the transactional outbox
that every task promised by a transaction goes through (see core.outbox)."""

from allauth.mfa.models import Authenticator
from django.utils import timezone

from core.email import email_send
from core.models import Heartbeat, Notification, NotificationEmailPreference, User
from core.outbox import outbox_enqueue, outbox_purge, outbox_relay_batch

__all__ = [
    "heartbeat_record",
    "notification_mark_read",
    "notification_preferences_set",
    "notification_send",
    "outbox_enqueue",
    "outbox_purge",
    "outbox_relay_batch",
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
