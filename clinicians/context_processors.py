"""Template context for every page: whether the signed-in user is a clinician, so the navigation
offers only the pages that user's role has (staff and admins have no activity log, points or profile)."""

from django.http import HttpRequest

from clinicians.selectors import clinician_of


def role(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def is_clinician() -> bool:
        return clinician_of(user=user) is not None

    # Lazy: read through the cached reverse relation, once, and only by templates that ask.
    return {"is_clinician": is_clinician}
