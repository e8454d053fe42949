"""Onboarding: a clinician whose profile is not complete is guided to /profile/ from portal pages."""

from django.shortcuts import redirect

from clinicians.selectors import clinician_of

EXEMPT_PREFIXES = ("/accounts/", "/admin/", "/static/", "/healthz", "/profile/", "/verify/")


class ProfileOnboardingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_profile(request):
            return redirect("clinicians:profile_edit")
        return self.get_response(request)

    @staticmethod
    def _needs_profile(request) -> bool:
        # The path first: reading request.user loads the session and the user, which must not
        # happen on /healthz (a probe must answer even when the database or cache is down).
        path = request.path_info
        if request.method != "GET" or path.startswith(EXEMPT_PREFIXES) or request.headers.get("HX-Request"):
            return False
        if path.startswith("/credentials/") and path.endswith("/evidence/"):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        clinician = clinician_of(user=user)
        return clinician is not None and clinician.profile_completed_at is None


# Where each provider's authorization page lives (allauth redirects the browser there from a form
# post). A generic OpenID Connect app's is its server_url's origin.
PROVIDER_AUTHORIZATION_ORIGINS = {
    "twitter_oauth2": ["https://twitter.com", "https://x.com"],
    "google": ["https://accounts.google.com"],
    "facebook": ["https://www.facebook.com"],
    "instagram": ["https://api.instagram.com", "https://www.instagram.com"],
    "tiktok": ["https://www.tiktok.com"],
    "reddit": ["https://www.reddit.com"],
}
SOCIAL_CONNECT_PREFIXES = ("/profile/social/", "/accounts/")


def social_provider_form_origins() -> list[str]:
    """The authorization origins of the providers enabled now (settings.SOCIALACCOUNT_PROVIDERS)."""
    from urllib.parse import urlsplit

    from django.conf import settings

    origins: list[str] = []
    for key, config in getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}).items():
        origins += PROVIDER_AUTHORIZATION_ORIGINS.get(key, [])
        for app in config.get("APPS", []):
            server_url = app.get("settings", {}).get("server_url", "")
            if server_url:
                parts = urlsplit(server_url)
                origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


class SocialConnectFormActionMiddleware:
    """The Content-Security-Policy's form-action is 'self'; connecting an account posts a form that
    allauth redirects to the provider's authorization page, which the browser checks against
    form-action too. On the pages that start a connection, the enabled providers' origins are added
    (and only theirs). Must come after csp.middleware.CSPMiddleware in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(SOCIAL_CONNECT_PREFIXES) and (origins := social_provider_form_origins()):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update
        return response
