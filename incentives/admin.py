"""Admin of the incentives app: versioned rule sets with a preview, the read-only ledger with manual
adjustments, scores with the recompute action, badges, rewards and the redemption queue."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator

from core.admin_tools import FastChangelistMixin, LargeTablePaginator, sensitive_admin_action, sensitive_admin_view
from core.forms import SafeImageField
from incentives import services
from incentives.forms import AdjustmentForm, RuleSetForm
from incentives.models import (
    Award,
    Badge,
    LedgerEntry,
    PricingRun,
    Redemption,
    RedemptionStatus,
    Reward,
    RuleSet,
    Score,
)


class RecomputeScoresPermission:
    """The recompute action on rule sets and scores: the Association admin role (incentives.recompute_scores)."""

    def has_recompute_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("incentives.recompute_scores")


@admin.action(description="Recompute all scores (a full run, by a worker)", permissions=["recompute"])
@sensitive_admin_action
def recompute_scores(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    services.scores_recompute_request(full=True)
    modeladmin.message_user(
        request,
        "A full recompute under the current rule set is queued; a worker runs it in the background. "
        "It appears under Pricing runs when it has finished.",
        messages.SUCCESS,
    )


def _preview_text(rule_set: RuleSet) -> str:
    """The preview task's progress or result, as the rule set's page shows it."""
    state = services.rule_set_preview_state(rule_set=rule_set)
    if state is None:
        return 'Not computed yet: choose "Preview against the ledger" in the list of rule sets.'
    if state["status"] != "done":
        percent = 100 * state.get("parts_done", 0) // max(state.get("parts", 1), 1)
        return f"Being computed by a worker: {percent}% done (refresh this page to follow it)."
    moved = state["points_added"] + state["points_removed"]
    thresholds = " / ".join(f"{tier} {points}" for tier, points in rule_set.tier_thresholds.items())
    return (
        f"If this version priced every activity now, {state['activities']} activities would change: "
        f"+{state['points_added']} / -{state['points_removed']} points ({moved} moved). "
        f"Tiers at {thresholds} lifetime points: {state['tier_changes']} clinicians' tiers would change."
    )


@admin.action(description="Preview against the ledger (computed by a worker)")
def preview_rule_sets(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for rule_set in queryset:
        services.rule_set_preview_request(rule_set=rule_set)
    modeladmin.message_user(
        request, "The previews are being computed; each rule set's page shows the progress.", messages.SUCCESS
    )


@admin.register(RuleSet)
class RuleSetAdmin(RecomputeScoresPermission, admin.ModelAdmin):
    """Saving never changes a version: it stores the edited rules as the next version. Saving asks for
    recent re-authentication."""

    form = RuleSetForm
    list_display = [
        "version",
        "created_at",
        "created_by",
        "daily_cap",
        "weekly_category_cap",
        "self_reported_engagement_share",
        "tier_bronze",
        "note",
    ]
    readonly_fields = ["version", "created_by", "created_at", "preview"]
    actions = [preview_rule_sets, recompute_scores]

    @admin.display(description="Preview against the ledger")
    def preview(self, obj: RuleSet) -> str:
        # Pricing every activity takes too long for a page (half a minute at 10M): a worker does it.
        if obj.pk is None:
            return "Save to see how many points this version would move."
        return _preview_text(obj)

    @method_decorator(sensitive_admin_view)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: RuleSet, form: RuleSetForm, change: bool) -> None:
        values = {field: form.cleaned_data[field] for field in RuleSetForm.Meta.fields}
        created = services.rule_set_create_version(values=values, created_by=request.user)
        obj.pk, obj.version = created.pk, created.version
        services.rule_set_preview_request(rule_set=created)
        self.message_user(
            request,
            f"Saved as rule set v{created.version}; earlier versions are unchanged. It prices new events now; "
            "the next nightly run re-prices every activity under it. A worker is computing its preview "
            "against the ledger: the rule set's page shows it.",
            messages.SUCCESS,
        )

    def has_delete_permission(self, request: HttpRequest, obj: RuleSet | None = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(FastChangelistMixin, admin.ModelAdmin):
    """Read-only: entries are append-only. Corrections are new ADJUSTMENT entries with a reason."""

    list_display = ["created_at", "clinician", "kind", "amount", "uncapped_amount", "activity_id", "rule_set", "memo"]
    # No date_hierarchy: its MIN/MAX and DISTINCT date_trunc queries read every entry on each view; the
    # date filter (today, past 7 days, this month, this year) needs no query.
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["clinician__display_name", "clinician__user__email", "idempotency_key"]
    list_select_related = ["clinician", "rule_set"]
    # Rendering dominates these pages (about 1.5 ms a row): 50 rows a page, not 100.
    list_per_page = 50
    show_full_result_count = False
    # Millions of rows: the unfiltered count is PostgreSQL's estimate, and the newest-first order follows
    # the primary key (entries are append-only, so id order is creation order) instead of a full sort.
    paginator = LargeTablePaginator
    ordering = ["-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LedgerEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: LedgerEntry | None = None) -> bool:
        return False

    def get_urls(self):
        return [
            path("adjust/", self.admin_site.admin_view(self.adjust_view), name="incentives_ledgerentry_adjust"),
            *super().get_urls(),
        ]

    def adjust_view(self, request: HttpRequest) -> HttpResponse:
        """Manual adjustments: the Association admin role (incentives.adjust_points); saving one asks
        for recent re-authentication."""
        if not request.user.has_perm("incentives.adjust_points"):
            raise PermissionDenied
        return self._adjust(request)

    @method_decorator(sensitive_admin_view)
    def _adjust(self, request: HttpRequest) -> HttpResponse:
        form = AdjustmentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                entry = services.ledger_adjust(**form.cleaned_data, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, f"Adjusted {entry.clinician} by {entry.amount:+d} points.", messages.SUCCESS)
                return redirect("admin:incentives_ledgerentry_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Manual points adjustment",
            "form": form,
        }
        return TemplateResponse(request, "admin/incentives/ledgerentry/adjust.html", context)


@admin.register(Score)
class ScoreAdmin(RecomputeScoresPermission, admin.ModelAdmin):
    list_display = ["clinician", "lifetime", "balance", "last_30_days", "rank_overall", "rank_specialty", "tier"]
    list_filter = ["tier"]
    search_fields = ["clinician__display_name", "clinician__user__email"]
    list_select_related = ["clinician"]
    show_full_result_count = False
    # rank_overall is not unique; the primary key makes the order total without a join.
    ordering = ["rank_overall", "pk"]
    actions = [recompute_scores]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Score | None = None) -> bool:
        return False


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["icon", "name", "code", "description"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Badge | None = None) -> bool:
        return False


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["badge", "clinician", "awarded_at"]
    list_filter = ["badge"]
    list_select_related = ["badge", "clinician"]
    search_fields = ["clinician__display_name", "clinician__user__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Award | None = None) -> bool:
        return False


class RewardAdminForm(forms.ModelForm):
    image = SafeImageField(label="Image", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Admin's split date-time widget labels neither of its two inputs for screen readers.
        for name in ("available_from", "available_until"):
            widget = self.fields[name].widget
            label = self.fields[name].label
            for part, what in zip(getattr(widget, "widgets", []), ("date", "time"), strict=False):
                part.attrs["aria-label"] = f"{label}: {what}"

    class Meta:
        model = Reward
        fields = [
            "name",
            "description",
            "cost",
            "stock",
            "available_from",
            "available_until",
            "is_active",
            "image",
            "image_alt",
            "needs_delivery_address",
        ]


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    form = RewardAdminForm
    fields = [
        "name",
        "description",
        ("cost", "stock"),
        ("available_from", "available_until"),
        "is_active",
        ("image", "image_alt"),
        "needs_delivery_address",
    ]
    list_display = ["name", "cost", "stock", "available_from", "available_until", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


def _decide(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, status: str) -> None:
    done = 0
    for redemption in queryset:
        try:
            services.redemption_decide(redemption=redemption, status=status, actor=request.user)
        except ValidationError as error:
            modeladmin.message_user(request, f"#{redemption.pk}: {' '.join(error.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        label = RedemptionStatus(status).label.lower()
        modeladmin.message_user(request, f"{done} redemption(s) {label}.", messages.SUCCESS)


@admin.action(description="Approve selected redemptions", permissions=["decide"])
@sensitive_admin_action
def redemption_approve(modeladmin, request, queryset) -> None:
    _decide(modeladmin, request, queryset, RedemptionStatus.APPROVED)


@admin.action(description="Mark selected redemptions sent (posted)", permissions=["decide"])
@sensitive_admin_action
def redemption_send(modeladmin, request, queryset) -> None:
    _decide(modeladmin, request, queryset, RedemptionStatus.SENT)


@admin.action(description="Mark selected redemptions delivered", permissions=["decide"])
@sensitive_admin_action
def redemption_fulfil(modeladmin, request, queryset) -> None:
    _decide(modeladmin, request, queryset, RedemptionStatus.FULFILLED)


@admin.action(description="Cancel selected redemptions (refunds the points)", permissions=["decide"])
@sensitive_admin_action
def redemption_cancel(modeladmin, request, queryset) -> None:
    _decide(modeladmin, request, queryset, RedemptionStatus.CANCELLED)


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    """The redemption queue: oldest requests first; decisions only through the actions."""

    list_display = ["created_at", "clinician", "reward", "cost", "status", "decided_by", "decided_at"]
    list_filter = ["status", "reward"]
    search_fields = ["clinician__display_name", "clinician__user__email", "reward__name"]
    list_select_related = ["clinician", "reward", "decided_by"]
    ordering = ["status", "created_at"]
    actions = [redemption_approve, redemption_send, redemption_fulfil, redemption_cancel]
    readonly_fields = [
        "reward",
        "clinician",
        "cost",
        "status",
        "delivery_name",
        "delivery_address",
        "decided_by",
        "decided_at",
        "created_at",
    ]

    def has_decide_permission(self, request: HttpRequest) -> bool:
        """Approve, fulfil, cancel: the Rewards manager and Association admin roles."""
        return request.user.has_perm("incentives.decide_redemption")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Redemption | None = None) -> bool:
        return False


@admin.register(PricingRun)
class PricingRunAdmin(admin.ModelAdmin):
    """Read-only: the nightly runs (and the admin's full recomputes), newest first."""

    list_display = ["started_at", "mode", "rule_set_version", "weeks_priced", "entries_written", "finished_at"]
    list_filter = ["mode"]
    exclude = ["multipliers"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
