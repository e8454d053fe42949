"""Personal access tokens for API tests: made through the service, as the portal page makes them."""

import datetime as dt

from django.utils import timezone

from api.models import AccessToken, Scope
from api.services import token_create

ALL_CLINICIAN_SCOPES = [Scope.ACTIVITIES_READ, Scope.ACTIVITIES_WRITE, Scope.CAMPAIGNS_WRITE, Scope.POINTS_READ]
STAFF_SCOPES = [Scope.REPORTS_READ, Scope.REPORTS_WRITE]


def token_for(user, scopes=None, *, days: int = 30) -> str:
    return token_create(user=user, name="test", scopes=list(scopes or ALL_CLINICIAN_SCOPES), days=days).secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_expire(secret: str) -> None:
    from api.services import token_digest

    AccessToken.objects.filter(digest=token_digest(secret)).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
