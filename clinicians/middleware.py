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
