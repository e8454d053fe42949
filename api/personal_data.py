"""The account's share of "My data" held by the API: its personal access tokens, described by name,
scopes and dates (never the secret, its prefix or its digest) for the export, and deleted when the
account is deleted.

The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

from api.models import AccessToken
from core.models import User

ACCESS_TOKEN_FIELDS = ("name", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at")


def api_personal_data(*, user: User) -> dict[str, list[dict]]:
    """The user's API tokens, oldest first."""
    tokens = AccessToken.objects.for_user(user).order_by("created_at", "pk")
    return {"api_tokens": list(tokens.values(*ACCESS_TOKEN_FIELDS))}


def api_personal_data_erase(*, user: User) -> None:
    """Delete every token of the user (revoked or not): none can be used again, and their names
    (free text) go with them. The audit trail keeps who created and revoked which token."""
    AccessToken.objects.for_user(user).delete()
