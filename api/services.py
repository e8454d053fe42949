"""Writes for the API: creating, revoking and using personal access tokens.

A token is `ap_` + 40 URL-safe random characters (240 bits); the database keeps its SHA-256 digest,
so a leaked table does not give working tokens. Use updates last_used_at at most once a minute.
"""

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import STAFF_SCOPES, AccessToken, Scope
from core.models import User

logger = logging.getLogger("api.tokens")

TOKEN_PREFIX = "ap_"  # noqa: S105 (a public prefix, not a secret)
STAFF_PERMISSION = "reports.request_report"
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: AccessToken
    secret: str


@transaction.atomic
def token_create(*, user: User, name: str, scopes: list[str], days: int) -> CreatedToken:
    """A new token for the user; the secret is in the result only, never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name."})
    unknown = [scope for scope in scopes if scope not in Scope.values]
    if unknown or not scopes:
        raise ValidationError({"scopes": "Choose at least one of the listed scopes."})
    if set(scopes) & STAFF_SCOPES and not user.has_perm(STAFF_PERMISSION):
        raise ValidationError({"scopes": "Only staff who request reports may create report tokens."})
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"Choose between 1 and {settings.API_TOKEN_MAX_DAYS} days."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(30)
    token = AccessToken(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return CreatedToken(token=token, secret=secret)


def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if there is no such active token."""
    return bool(
        AccessToken.objects.for_user(user)
        .filter(pk=token_id, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )


def tokens_revoke(*, token_ids: list[int]) -> int:
    """An administrator revokes tokens (e.g. one seen leaked); returns how many were still active."""
    return AccessToken.objects.filter(pk__in=token_ids, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_authenticate(*, secret: str) -> AccessToken | None:
    """The active token with this secret (its user joined), or None. Records the use."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A conditional update: concurrent requests write the time once.
        AccessToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_rate_take(*, token: AccessToken) -> int:
    """Count one request against the token's window; 0 if allowed, else seconds until the next window."""
    window = settings.API_TOKEN_RATE_WINDOW
    now = int(timezone.now().timestamp())
    start = now - now % window
    key = f"api:rate:{token.pk}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > settings.API_TOKEN_RATE_LIMIT:
        return max(1, start + window - now)
    return 0


def token_use_log(*, token: AccessToken, method: str, path: str, status: int) -> None:
    """One structured line per API request made with a token, attributable to token and user."""
    logger.info(
        "api.token_use token_id=%s user_id=%s method=%s path=%s status=%s",
        token.pk,
        token.user_id,
        method,
        path,
        status,
        extra={"token_id": token.pk, "user_id": token.user_id, "path": path, "status": status},
    )
