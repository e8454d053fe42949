"""The "clinician or 404" access rule for pages, written once: a signed-in account without a
clinician profile (staff, admins) gets a 404 from every clinician page (clinicians.selectors
.clinician_for_user), and the view receives the clinician."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from clinicians.selectors import clinician_for_user, clinician_of


def clinician_required(view: Callable) -> Callable:
    """Log-in required; the signed-in user's Clinician is passed to the view (no clinician: 404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, clinician_for_user(user=request.user), *args, **kwargs)

    return wrapper


def clinician_or_staff(view: Callable) -> Callable:
    """Log-in required; the signed-in user's Clinician is passed to the view, or None for staff and
    admins, who read campaigns and leaderboards too (they are on neither)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, clinician_of(user=request.user), *args, **kwargs)

    return wrapper
