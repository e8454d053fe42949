"""Admin for campaigns: campaign management with toolkit items, and the activity moderation queue."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join

from campaigns import services
from campaigns.forms import CampaignAdminForm, RejectForm, ToolkitItemForm
from campaigns.models import (
    ACTIVITY_QUEUE_ORDER,
    Activity,
    ActivityImportBatch,
    Campaign,
    MetricReading,
    ToolkitItem,
)
from campaigns.privacy_guard import KIND_LABELS
from campaigns.templatetags.campaign_text import highlight_spans
from core.admin_tools import FastChangelistMixin, LargeTablePaginator, admin_action_form_page


class ToolkitItemInline(admin.StackedInline):
    """Toolkit posts are copied by every clinician in the campaign: their text passes the privacy guard."""

    model = ToolkitItem
    form = ToolkitItemForm
    # Stacked, not tabular: each field keeps its label (a table's inputs have none for screen
    # readers) and the long text fits at 1280 px.
    extra = 1
    fields = [("kind", "position"), "text", "url", ("image", "image_alt"), "save_anyway", "privacy_confirmed"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["title", "starts_on", "ends_on", "goal_kind", "goal_target", "multiplier", "is_published"]
    list_filter = ["is_published", "goal_kind"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
    filter_horizontal = ["required_modules"]
    inlines = [ToolkitItemInline]


class GuardFlagFilter(admin.SimpleListFilter):
    """Whether any guard (today only the privacy guard) fired on the activity."""

    title = "guard"
    parameter_name = "guard"

    def lookups(self, request, model_admin):
        return [("fired", "A guard fired"), ("none", "No guard fired")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(guard_flags=[])
        if self.value() == "fired":
            return queryset.exclude(guard_flags=[])
        return queryset


@admin.register(Activity)
class ActivityAdmin(FastChangelistMixin, admin.ModelAdmin):
    """The moderation queue: flagged first, then newest."""

    list_display = [
        "url",
        "clinician",
        "platform",
        "category",
        "campaign",
        "status",
        "proof",
        "privacy_found",
        "posted_at",
    ]
    list_filter = ["status", "proof", "impressions_source", "category", "platform", "campaign", GuardFlagFilter]
    search_fields = ["url", "excerpt", "clinician__display_name", "clinician__user__email"]
    list_select_related = ["clinician", "campaign"]
    # The excerpt changes only through the clinician's form, where the privacy guard runs.
    readonly_fields = [
        "status",
        "guard_flags",
        "excerpt",
        "privacy_findings",
        "review_reason",
        "proof",
        "proof_account",
        "proof_summary",
        "impressions_source",
        "metrics_source",
        "metrics_source_api",
        "metrics_imported_at",
        "decided_by",
        "decided_at",
        "created_at",
        "updated_at",
    ]
    exclude = ["privacy_hits"]
    raw_id_fields = ["clinician", "campaign"]
    actions = ["accept_selected", "reject_selected"]
    # A million rows: no second COUNT(*) for "N total", and the unfiltered count is PostgreSQL's estimate.
    # Rendering dominates these pages (about 1.5 ms a row): 50 rows a page, not 100.
    list_per_page = 50
    show_full_result_count = False
    paginator = LargeTablePaginator
    # The queue order, served by the activity_queue_idx expression index (it ends with id, so Django
    # adds no extra tie-breaker that the index could not serve).
    ordering = ACTIVITY_QUEUE_ORDER

    @admin.display(description="privacy check")
    def privacy_found(self, activity: Activity) -> str:
        """Each hit's kind and text, so the queue shows what the guard found without opening the post."""
        if not activity.privacy_hits:
            return ", ".join(activity.guard_flags) or "-"
        return format_html_join(
            "; ",
            "{}: “{}”",
            ((KIND_LABELS.get(hit["kind"], hit["kind"]), hit["text"]) for hit in activity.privacy_hits),
        )

    @admin.display(description="privacy check findings")
    def privacy_findings(self, activity: Activity) -> str:
        """The excerpt with each hit marked, and each hit's kind, character span and explanation."""
        if not activity.privacy_hits:
            return "Nothing found."
        return format_html(
            '<p class="privacy-excerpt">{}</p><ul>{}</ul>',
            highlight_spans(activity.excerpt, activity.privacy_hits),
            format_html_join(
                "",
                "<li><strong>{}</strong>: “{}” (characters {} to {}){}</li>",
                (
                    (
                        KIND_LABELS.get(hit["kind"], hit["kind"]),
                        hit["text"],
                        hit["start"],
                        hit["end"],
                        f" - {hit['explanation']}" if hit.get("explanation") else "",
                    )
                    for hit in activity.privacy_hits
                ),
            ),
        )

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        """Accept and reject: the Association admin role (campaigns.moderate_activity)."""
        return request.user.has_perm("campaigns.moderate_activity")

    @admin.action(description="Accept selected activities", permissions=["moderate"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        done, failed = 0, 0
        for activity in queryset:
            try:
                services.activity_accept(activity=activity, actor=request.user)
                done += 1
            except ValidationError:
                failed += 1
        self.message_user(
            request, f"Accepted {done} activities." + (f" {failed} could not be accepted." if failed else "")
        )

    @admin.action(description="Reject selected activities (with a reason)…", permissions=["moderate"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Activity]) -> HttpResponse | None:
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for activity in queryset:
                try:
                    services.activity_reject(activity=activity, actor=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except ValidationError as error:
                    self.message_user(request, f"{activity}: {' '.join(error.messages)}", level=messages.WARNING)
            self.message_user(request, f"Rejected {done} activities.")
            return None
        return admin_action_form_page(
            self,
            request,
            template="campaigns/admin/activity_reject.html",
            title="Reject activities",
            form=form,
            selected=queryset,
        )


@admin.register(ActivityImportBatch)
class ActivityImportBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "clinician", "filename", "created_at", "confirmed_at", "saved_count"]
    readonly_fields = ["clinician", "filename", "rows", "created_at", "confirmed_at", "saved_count", "rejected"]


@admin.register(MetricReading)
class MetricReadingAdmin(admin.ModelAdmin):
    """Readings of proven posts' figures from their platforms: evidence, never edited by hand."""

    list_display = ["activity", "checkpoint", "platform", "status", "due_at", "fetched_at", "likes", "impressions"]
    list_filter = ["status", "checkpoint", "platform"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
