"""The account's share of "My data" held by the API: its tokens by name, scopes and dates (never the
secret, its prefix or digest) in the export, and all of them gone when the account is deleted."""

import json

import pytest

from api.models import AccessToken, Scope
from api.personal_data import api_personal_data, api_personal_data_erase
from api.services import token_create, token_revoke
from tests.api.factories import bearer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_exports_the_users_tokens_without_their_secret():
    user, other = UserFactory(), UserFactory()
    laptop = token_create(user=user, name="Laptop script", scopes=[Scope.ACTIVITIES_READ], days=30)
    phone = token_create(user=user, name="Phone", scopes=[Scope.POINTS_READ, Scope.ACTIVITIES_READ], days=7)
    token_revoke(user=user, token_id=phone.token.pk)
    token_create(user=other, name="Someone else's", scopes=[Scope.POINTS_READ], days=30)

    rows = api_personal_data(user=user)["api_tokens"]

    assert [(row["name"], row["scopes"], row["revoked_at"] is None) for row in rows] == [
        ("Laptop script", ["activities:read"], True),
        ("Phone", ["activities:read", "points:read"], False),
    ]
    assert set(rows[0]) == {"name", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"}
    stored = AccessToken.objects.get(pk=laptop.token.pk)
    text = json.dumps(rows, default=str)
    assert laptop.secret not in text and stored.digest not in text and stored.prefix not in text


def test_it_deletes_every_token_of_the_user_and_none_works_again(client, clinician_user):
    user, other = clinician_user, UserFactory()
    secret = token_create(user=user, name="Laptop script", scopes=[Scope.ACTIVITIES_READ], days=30).secret
    revoked = token_create(user=user, name="Old", scopes=[Scope.ACTIVITIES_READ], days=30)
    token_revoke(user=user, token_id=revoked.token.pk)
    kept = token_create(user=other, name="Other", scopes=[Scope.ACTIVITIES_READ], days=30)
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 200

    api_personal_data_erase(user=user)

    assert list(AccessToken.objects.all()) == [kept.token]
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 401
