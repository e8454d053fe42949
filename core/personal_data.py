"""The user account's share of "My data": what core holds about a person (the account and its
notifications) for the export, and its erasure when the account is deleted.

The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from core.models import Notification, NotificationEmailPreference, User

DELETED_EMAIL_DOMAIN = "deleted.invalid"


def core_personal_data(*, user: User) -> dict[str, list[dict]]:
    """The account's profile fields (the start of the export's `profile` row) and its notifications."""
    profile = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    notifications = Notification.objects.for_user(user).values("kind", "title", "body", "url", "created_at", "read_at")
    return {"profile": [profile], "notifications": list(notifications)}


def core_personal_data_erase(*, user: User) -> None:
    """Sign the account out for good: e-mail addresses, authenticators, notifications and e-mail
    preferences go; the user row stays (other apps' kept rows point at it) with an address that
    cannot receive mail, no name, no usable password, inactive. Call inside the caller's
    transaction with the user row locked."""
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationEmailPreference.objects.filter(user=user).delete()
    user.email = f"deleted-{uuid.uuid4().hex}@{DELETED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
