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


def user_requires_mfa(*, user: User) -> bool:
    """Privileged accounts must use two-factor authentication: staff status, superuser, or any
    permission at all (directly or through a group such as Report reader). Clinicians have none.

    Reads the permissions through Django's per-request cache, which the navigation fills anyway."""
    return user.is_active and (user.is_staff or user.is_superuser or bool(user.get_all_permissions()))


def user_has_totp(*, user: User) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP])
