"""allauth socialaccount adapter: connecting a platform account proves a linked social account.

Social accounts only ever connect to a signed-in clinician (process=connect from /profile/social/);
they never sign anyone up or in, so the email login with its MFA and rate limits stays the only
way in. On a successful connect the provider's account id and handle go to
clinicians.services.social_account_prove, which refuses an account another clinician has proven.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from clinicians.models import ProofMethod
from clinicians.selectors import clinician_of
from clinicians.services import identity_link, social_account_prove

# Keys holding the account's handle in each provider's profile data, in order of preference.
HANDLE_KEYS = ("preferred_username", "username", "screen_name", "name")
# Providers whose "name" is a person's name, not a handle: there the account id stands in.
NAME_IS_NOT_A_HANDLE = frozenset({"google", "facebook", "linkedin"})


def _profile_data(extra_data: dict) -> dict:
    """allauth keeps OpenID Connect data as {"userinfo": ..., "id_token": ...}; others flat."""
    if isinstance(extra_data.get("userinfo"), dict):
        return extra_data["userinfo"]
    if isinstance(extra_data.get("id_token"), dict):
        return extra_data["id_token"]
    if isinstance(extra_data.get("data"), dict):  # X's /2/users/me wraps the user in "data"
        return extra_data["data"]
    return extra_data


def provider_handle(*, provider: str, uid: str, extra_data: dict) -> str:
    data = _profile_data(extra_data)
    keys = [key for key in HANDLE_KEYS if not (key == "name" and provider in NAME_IS_NOT_A_HANDLE)]
    for key in keys:
        if isinstance(data.get(key), str) and data[key].strip():
            return data[key].strip()
    return uid


class ProofSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def get_connect_redirect_url(self, request, socialaccount) -> str:
        return reverse("clinicians:social_account_list")

    def pre_social_login(self, request, sociallogin) -> None:
        back = redirect("clinicians:social_account_list")
        clinician = clinician_of(user=request.user)
        if sociallogin.state.get("process") != "connect" or clinician is None:
            messages.error(request, "Sign in with your email address, then connect accounts from Linked accounts.")
            raise ImmediateHttpResponse(back if clinician else redirect(settings.LOGIN_URL))
        account = sociallogin.account
        identity_kind = settings.SOCIAL_IDENTITY_PROVIDERS.get(account.provider)
        if identity_kind is not None:
            self._link_identity(request, clinician, identity_kind, account, back)
            return
        platform = settings.SOCIAL_PROVIDER_PLATFORMS.get(account.provider)
        if platform is None:
            messages.error(request, "This provider is not set up to prove accounts.")
            raise ImmediateHttpResponse(back)
        handle = provider_handle(provider=account.provider, uid=account.uid, extra_data=account.extra_data or {})
        try:
            proven = social_account_prove(
                clinician=clinician,
                platform=platform,
                handle=handle,
                method=ProofMethod.OAUTH,
                provider=account.provider,
                provider_account_id=str(account.uid),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            raise ImmediateHttpResponse(back) from None
        messages.success(request, f"Your {proven.get_platform_display()} account {proven.handle} is proven.")

    def _link_identity(self, request, clinician, kind: str, account, back) -> None:
        """Doximity or ORCID: a professional identity, not a social account to post from."""
        try:
            identity = identity_link(
                clinician=clinician,
                kind=kind,
                account_id=str(account.uid),
                profile=_profile_data(account.extra_data or {}),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            raise ImmediateHttpResponse(back) from None
        messages.success(request, f"Your {identity.get_kind_display()} account {identity.account_id} is linked.")
