"""Reads for core: a user's notifications and notification email preferences."""

from core.models import Notification, NotificationEmailPreference, NotificationKind, User


def notification_list_for(*, user: User):
    """Only the user's own notifications, newest first."""
    return Notification.objects.for_user(user).order_by("-created_at", "-id")


def notification_muted_kinds_get(*, user: User) -> list[str]:
    preference = NotificationEmailPreference.objects.filter(user=user).first()
    return list(preference.muted_kinds) if preference else []


def notification_emailed_kinds_get(*, user: User) -> list[str]:
    muted = set(notification_muted_kinds_get(user=user))
    return [kind for kind in NotificationKind.values if kind not in muted]
