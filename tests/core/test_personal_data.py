"""The account's share of "My data": its profile fields and notifications, and their erasure."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from core.models import Notification, NotificationEmailPreference, User
from core.personal_data import core_personal_data, core_personal_data_erase
from tests.dashboard.factories import NotificationFactory
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_it_exports_the_account_and_only_its_own_notifications():
    user = UserFactory(email="ada@example.org", first_name="Ada", last_name="Lovelace")
    NotificationFactory(user=user, title="Badge earned")
    NotificationFactory(title="Someone else's")

    data = core_personal_data(user=user)

    assert data["profile"] == [
        {
            "email": "ada@example.org",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "date_joined": user.date_joined,
            "last_login": None,
        }
    ]
    assert [row["title"] for row in data["notifications"]] == ["Badge earned"]


def test_it_erases_the_account_and_leaves_other_accounts_alone():
    user, other = UserFactory(first_name="Ada"), UserFactory()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    NotificationFactory(user=user)
    NotificationFactory(user=other)
    NotificationEmailPreference.objects.create(user=user)

    core_personal_data_erase(user=User.objects.get(pk=user.pk))

    user.refresh_from_db()
    assert user.email.startswith("deleted-") and user.email.endswith("@deleted.invalid")
    assert (user.first_name, user.last_name, user.is_active) == ("", "", False)
    assert not user.check_password(DEFAULT_PASSWORD) and not user.has_usable_password()
    for model in (EmailAddress, Authenticator, Notification, NotificationEmailPreference):
        assert not model.objects.filter(user=user).exists(), model.__name__
    assert Notification.objects.filter(user=other).count() == 1
    assert EmailAddress.objects.filter(user=other).exists()


def test_connected_provider_accounts_are_exported_and_deleted_with_their_tokens():
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    user, other = UserFactory(), UserFactory()
    app = SocialApp.objects.create(provider="orcid", name="ORCID", client_id="id", secret="app-secret")
    account = SocialAccount.objects.create(
        user=user, provider="orcid", uid="0000-0002-1825-0097", extra_data={"name": "Ada Lovelace"}
    )
    SocialToken.objects.create(app=app, account=account, token="oauth-access-token", token_secret="s")
    kept = SocialAccount.objects.create(user=other, provider="orcid", uid="0000-0001-5109-3700")

    [row] = core_personal_data(user=user)["connected_providers"]

    assert (row["provider"], row["uid"]) == ("orcid", "0000-0002-1825-0097")
    assert set(row) == {"provider", "uid", "date_joined", "last_login"}

    core_personal_data_erase(user=user)

    assert list(SocialAccount.objects.all()) == [kept]
    assert not SocialToken.objects.exists()
