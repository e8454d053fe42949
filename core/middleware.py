"""Two-factor authentication for privileged accounts (issue 20).

A signed-in account with staff status or any permission (core.selectors.user_requires_mfa) that has
not enrolled TOTP is sent to allauth's TOTP activation page before it may open anything else. It
may still reach the pages enrolment needs (re-authentication, activation, recovery codes), log out,
and the health endpoint; static files are served before this middleware runs.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from core.selectors import user_has_totp, user_requires_mfa

MFA_ENROLMENT_URL_NAME = "mfa_activate_totp"
# Pages an account that must enrol may still open, by URL name.
MFA_ENROLMENT_ALLOWED_URL_NAMES = frozenset(
    {
        MFA_ENROLMENT_URL_NAME,
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "healthz",
    }
)


class PrivilegedAccountMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.resolver_match.url_name in MFA_ENROLMENT_ALLOWED_URL_NAMES:
            return None
        if not user_requires_mfa(user=user) or user_has_totp(user=user):
            return None
        messages.warning(
            request,
            "Your account has staff access, so it needs two-factor authentication. "
            "Set up an authenticator app to continue.",
        )
        if request.htmx:
            return HttpResponseClientRedirect(redirect(MFA_ENROLMENT_URL_NAME).url)
        return redirect(MFA_ENROLMENT_URL_NAME)
