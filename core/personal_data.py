"""The user account's share of "My data": what core holds about a person (the account, its
notifications and the provider logins allauth connected to it) for the export, and its erasure
when the account is deleted.

The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount as ProviderLogin

from core.models import Notification, NotificationEmailPreference, User

DELETED_EMAIL_DOMAIN = "deleted.invalid"
# allauth's record of each provider account connected (clinicians keep their own proofs); its
# provider data (`extra_data`) is not exported: it is the provider's response, tokens included for some.
PROVIDER_LOGIN_FIELDS = ("provider", "uid", "date_joined", "last_login")


def core_personal_data(*, user: User) -> dict[str, list[dict]]:
    """The account's profile fields (the start of the export's `profile` row), its notifications and
    the provider accounts connected to it."""
    profile = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    notifications = Notification.objects.for_user(user).values("kind", "title", "body", "url", "created_at", "read_at")
    provider_logins = ProviderLogin.objects.filter(user=user).order_by("date_joined", "pk")
    return {
        "profile": [profile],
        "notifications": list(notifications),
        "connected_providers": list(provider_logins.values(*PROVIDER_LOGIN_FIELDS)),
    }


def core_personal_data_erase(*, user: User) -> None:
    """Sign the account out for good: e-mail addresses, authenticators, connected provider accounts
    (allauth's, with any OAuth tokens stored for them), notifications and e-mail preferences go;
    the user row stays (other apps' kept rows point at it) with an address that cannot receive
    mail, no name, no usable password, inactive. Call inside the caller's transaction with the user
    row locked."""
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ProviderLogin.objects.filter(user=user).delete()  # cascades to their SocialToken rows
    Notification.objects.filter(user=user).delete()
    NotificationEmailPreference.objects.filter(user=user).delete()
    user.email = f"deleted-{uuid.uuid4().hex}@{DELETED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
