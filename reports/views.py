"""Staff report centre: request a report, watch its progress, download it, retry a failed one.

Every view requires login (anonymous -> login page) and the reports.request_report permission
(anyone else -> 403).
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.models import AuditEvent
from core.private_files import private_file_response
from core.services import audit_record
from reports import selectors, services
from reports.forms import ReportRequestForm
from reports.models import Report, ReportStatus

PERMISSION = "reports.request_report"


def staff_required(view: Callable) -> Callable:
    return login_required(permission_required(PERMISSION, raise_exception=True)(view))


def _report_or_404(report_id: int) -> Report:
    try:
        return selectors.report_get(report_id=report_id)
    except Report.DoesNotExist as exc:
        raise Http404("No such report.") from exc


def _render_list(request: HttpRequest, form: ReportRequestForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "reports": selectors.report_history()},
        status=status,
    )


@require_GET
@staff_required
def report_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, ReportRequestForm())


@require_POST
@staff_required
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    report = services.report_request(
        user=request.user,
        kind=form.cleaned_data["kind"],
        parameters=form.parameters(),
        format=form.cleaned_data["format"],
    )
    messages.success(request, f"{report.get_kind_display()} requested. It appears below as it is built.")
    return redirect(f"{reverse('reports:report_list')}#report-{report.pk}")


@require_GET
@staff_required
def report_progress(request: HttpRequest, report_id: int) -> HttpResponse:
    return render(request, "reports/_report_row.html", {"report": _report_or_404(report_id)})


@require_GET
@staff_required
def report_download(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    if report.status != ReportStatus.SUCCEEDED or not report.file:
        raise Http404("This report has no file to download.")
    audit_record(event=AuditEvent.REPORT_DOWNLOADED, target=report, actor=request.user, request=request)
    return private_file_response(file=report.file, filename=services.report_download_name(report=report))


@require_POST
@staff_required
def report_retry(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    if services.report_retry(report_id=report.pk):
        messages.success(request, f"{report.get_kind_display()} #{report.pk} is queued again.")
    else:
        messages.error(request, "Only a failed report can be retried.")
    return redirect(f"{reverse('reports:report_list')}#report-{report.pk}")
