"""Admin for reports: read-only history (reports are requested in the staff report centre); retry action."""

from django.contrib import admin, messages

from reports import services
from reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "format",
        "status",
        "progress",
        "row_count",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "format"]
    list_select_related = ["requested_by"]
    search_fields = ["requested_by__email", "schedule_key"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Report._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_request_permission(self, request) -> bool:
        return request.user.has_perm("reports.request_report")

    @admin.action(description="Retry the selected failed reports", permissions=["request"])
    def retry_failed(self, request, queryset) -> None:
        retried = sum(services.report_retry(report_id=pk) for pk in queryset.values_list("pk", flat=True))
        messages.info(request, f"{retried} report(s) queued again; only failed reports can be retried.")
