"""Pages that compose the whole portal: landing page, dashboards, "My data", health endpoint."""

import hmac

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advocacy_portal import charts
from advocacy_portal.forms import AccountDeleteForm
from advocacy_portal.health import health_report
from advocacy_portal.selectors import clinician_dashboard_get, staff_dashboard_get
from advocacy_portal.services import account_delete, my_data_export
from clinicians.selectors import clinician_of
from core.db_routing import replica_reads
from core.metrics import metrics_exposition
from learning.selectors import module_continue

STAFF_PERMISSION = "reports.request_report"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "advocacy_portal/home.html")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Clinicians see their own picture; staff without a clinician profile see the association's."""
    clinician = clinician_of(user=request.user)
    if clinician is not None:
        data = clinician_dashboard_get(clinician=clinician)
        context = {
            "data": data,
            "charts": charts.clinician_dashboard_charts(data),
            "learning_next": module_continue(clinician=clinician),
        }
        return render(request, "advocacy_portal/dashboard.html", context)
    if request.user.has_perm(STAFF_PERMISSION):
        with replica_reads(catch_up=False):
            data = staff_dashboard_get()
        context = {"data": data, "charts": charts.staff_dashboard_charts(data), "now": timezone.now()}
        return render(request, "advocacy_portal/dashboard_staff.html", context)
    return render(request, "advocacy_portal/dashboard_empty.html")


@require_GET
@login_required
@reauthentication_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "advocacy_portal/my_data.html", {"form": AccountDeleteForm()})


@require_POST
@login_required
@reauthentication_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(my_data_export(user=request.user), content_type="application/zip")
    filename = f"advocacy-portal-my-data-{timezone.now():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["POST"])
@login_required
@reauthentication_required
def account_delete_view(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST)
    if not form.is_valid():
        return render(request, "advocacy_portal/my_data.html", {"form": form}, status=400)
    account_delete(user=request.user)
    logout(request)
    messages.success(request, "Your account was deleted and your personal data removed.")
    return redirect("home")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition (core.metrics) for a scraper holding METRICS_TOKEN as a bearer token;
    404 to anyone else and when no token is set (nginx also keeps /metrics to internal addresses)."""
    expected = f"Bearer {settings.METRICS_TOKEN}"
    offered = request.headers.get("Authorization", "")
    if not settings.METRICS_TOKEN or not hmac.compare_digest(offered.encode(), expected.encode()):
        raise Http404("No metrics here.")
    return HttpResponse(metrics_exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
