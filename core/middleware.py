import re
from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from core.client_address import client_ip
from core.selectors import user_has_totp, user_requires_mfa

# The health probe's path (advocacy_portal.urls): it must answer 503, never 500, while the database is down.
HEALTH_PATH = "/healthz"

# C0 control characters and DEL, except tab, line feed and carriage return (which a search box may
# legitimately carry). PostgreSQL refuses NUL in any text value: a filter such as
# `?status__exact=%00` reached the database and answered 500.
INVALID_QUERY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidQueryString(SuspiciousOperation):
    """A query parameter (name or value) holds a control character; Django answers 400 and logs it
    to django.security.InvalidQueryString."""


class QueryStringValidationMiddleware:
    """Answer 400 to any request whose query parameters hold a control character, before a view,
    a form or an admin changelist can hand it to the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if INVALID_QUERY_CHARACTERS.search(key) or any(INVALID_QUERY_CHARACTERS.search(v) for v in values):
                raise InvalidQueryString(f"Control character in query parameter {key!r}")
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: private, no-store` on every response to
    a signed-in user (dashboards, credentials, points, reports, admin: anything personal), so no
    shared proxy or browser history keeps a copy. Must come after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        # A response whose view never read the session (static files, /healthz) shows nothing personal;
        # asking for the user here would load the session, which fails while the database is down.
        session = getattr(request, "session", None)
        if session is None or not session.accessed:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            directives = {d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",")}
            if not {"private", "no-store"} <= directives:
                response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ["Cookie"])
        return response


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (it stamps every audit entry written during the request with the
    signed-in actor and the client address), with the address taken as the rate limits take it instead
    of trusting the first X-Forwarded-For entry, which any client can set."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The health probe writes nothing and must answer while the database is down; naming the
        # actor would load the session from it.
        if request.path_info.startswith(HEALTH_PATH):
            return self.get_response(request)
        return super().__call__(request)

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None


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
        if request.resolver_match.url_name in MFA_ENROLMENT_ALLOWED_URL_NAMES:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
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
