"""Admin for clinicians: the credential verification queue lives here. Actions call services."""

import datetime as dt
import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from clinicians import selectors, services
from clinicians.forms import US_STATES
from clinicians.models import (
    Clinician,
    Credential,
    CredentialDecision,
    CredentialStatus,
    LinkedIdentity,
    SocialAccount,
)
from core.admin_tools import FastChangelistMixin, LargeTablePaginator, admin_action_form_page, sensitive_admin_action


class StateFilter(admin.SimpleListFilter):
    """US state from the fixed list, not a SELECT DISTINCT over every clinician on each page view."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return US_STATES

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "user",
        "profession",
        "specialty",
        "state",
        "verification_status",
        "name_change_pending",
    ]
    list_filter = ["verification_status", "name_change_pending", "profession", StateFilter]
    # 50,000 rows: one COUNT(*) for the filtered total, not a second one for "N total".
    show_full_result_count = False
    search_fields = ["display_name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "verification_status",
        "verified_at",
        "lapsed_at",
        "public_id",
        "profile_completed_at",
        "verified_name",
        "name_change_pending",
    ]
    actions = ["approve_display_name"]

    @admin.action(description="Approve the new display name for public pages")
    def approve_display_name(self, request, queryset):
        count = 0
        for clinician in queryset.filter(name_change_pending=True):
            services.clinician_name_approve(clinician=clinician, actor=request.user)
            count += 1
        self.message_user(request, f"Approved {count} display name(s).", messages.SUCCESS)


class CredentialQueueFilter(admin.SimpleListFilter):
    """Status, plus "Awaiting a decision" (submitted or needs review), where the queue opens."""

    title = "status"
    parameter_name = "status"
    AWAITING = "awaiting"

    def lookups(self, request, model_admin):
        return [(self.AWAITING, "Awaiting a decision"), *CredentialStatus.choices]

    def queryset(self, request, queryset):
        if self.value() == self.AWAITING:
            return queryset.filter(status__in=[CredentialStatus.SUBMITTED, CredentialStatus.NEEDS_REVIEW])
        if self.value() in CredentialStatus.values:
            return queryset.filter(status=self.value())
        return queryset


class CredentialAgeFilter(admin.SimpleListFilter):
    """How long a credential has waited since submission."""

    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("lt7", "Less than 7 days"), ("7to30", "7 to 30 days"), ("gt30", "More than 30 days")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "lt7":
            return queryset.filter(created_at__gt=now - dt.timedelta(days=7))
        if self.value() == "7to30":
            return queryset.filter(
                created_at__lte=now - dt.timedelta(days=7), created_at__gte=now - dt.timedelta(days=30)
            )
        if self.value() == "gt30":
            return queryset.filter(created_at__lt=now - dt.timedelta(days=30))
        return queryset


class IssuingStateFilter(admin.SimpleListFilter):
    """Licences by issuing state, from the fixed list of states: a filter listing every distinct
    issuer would read the whole credentials table on each view. Other issuers are searchable."""

    title = "issuing state"
    parameter_name = "issuer"

    def lookups(self, request, model_admin):
        return [(name, name) for _, name in US_STATES]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(issuer__iexact=self.value())
        return queryset


class CredentialDecisionInline(admin.TabularInline):
    model = CredentialDecision
    extra = 0
    can_delete = False
    fields = ["created_at", "status", "actor", "reason"]
    readonly_fields = fields
    verbose_name_plural = "Decision history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RejectReasonForm(forms.Form):
    reason = forms.CharField(label="Reason (sent to the clinician)", widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Credential)
class CredentialAdmin(FastChangelistMixin, admin.ModelAdmin):
    # Six narrow columns so the queue fits at 1280 px beside the filters: who (name and email), what
    # (kind, identifier, issuer), then status, registry result, duplicate claim and age.
    list_display = ["who", "what", "status", "registry_result", "duplicate_claim", "age"]
    list_filter = [
        CredentialQueueFilter,
        "kind",
        IssuingStateFilter,
        CredentialAgeFilter,
        "duplicate_claim",
        "registry_result",
    ]
    search_fields = ["identifier", "issuer", "clinician__display_name", "clinician__user__email"]
    list_select_related = ["clinician__user"]
    # Rendering dominates these pages (about 1.5 ms a row): 50 rows a page, not 100.
    list_per_page = 50
    show_full_result_count = False
    paginator = LargeTablePaginator
    # Oldest first; "id" makes the order total so Django adds no "-pk" the credential_created_idx cannot serve.
    ordering = ["created_at", "id"]
    inlines = [CredentialDecisionInline]
    actions = ["verify_selected", "reject_selected"]

    class Media:
        css = {"all": ["css/admin-credential-queue.css"]}

    fields = [
        "clinician",
        "kind",
        "identifier",
        "issuer",
        "expires_on",
        "status",
        "review_reason",
        "duplicate_claim",
        "other_claims",
        "evidence_link",
        "registry_result",
        "registry_checked_at",
        "registry_snapshot_pretty",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # The queue opens on what waits for a decision; "All" in the status filter shows the rest.
        if request.method == "GET" and not request.GET:
            return HttpResponseRedirect(f"{request.path}?status={CredentialQueueFilter.AWAITING}")
        return super().changelist_view(request, extra_context)

    def has_decide_permission(self, request) -> bool:
        """Verify and reject: the Verifier and Association admin roles (clinicians.decide_credential)."""
        return request.user.has_perm("clinicians.decide_credential")

    @admin.display(description="Clinician", ordering="clinician__display_name")
    def who(self, obj: Credential) -> str:
        return format_html("{}<br><small>{}</small>", obj.clinician, obj.clinician.user.email)

    @admin.display(description="Credential", ordering="identifier")
    def what(self, obj: Credential) -> str:
        issuer = f" · {obj.issuer}" if obj.issuer else ""
        return format_html("{}<br><small>{}{}</small>", obj.get_kind_display(), obj.identifier, issuer)

    @admin.display(description="Submitted", ordering="created_at")
    def age(self, obj: Credential) -> str:
        return format_html(
            '<span title="{}">{}</span>',
            obj.created_at.isoformat(timespec="minutes"),
            f"{timesince(obj.created_at)} ago",
        )

    @admin.display(description="Evidence")
    def evidence_link(self, obj: Credential) -> str:
        if not obj.evidence:
            return "None attached"
        return format_html(
            '<a href="{}">Download {}</a> ({}, {} bytes)',
            reverse("clinicians:credential_evidence", args=[obj.pk]),
            obj.evidence_original_name,
            obj.evidence_content_type,
            obj.evidence_size,
        )

    @admin.display(description="Registry snapshot")
    def registry_snapshot_pretty(self, obj: Credential) -> str:
        if obj.registry_snapshot is None:
            return "No registry answer stored"
        return format_html("<pre>{}</pre>", json.dumps(obj.registry_snapshot, indent=2, sort_keys=True))

    @admin.display(description="Other accounts claiming this identifier")
    def other_claims(self, obj: Credential) -> str:
        others = selectors.credential_other_claims(credential=obj)
        if not others:
            return "None"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{} ({})</a>: {}</li>',
                (
                    (
                        reverse("admin:clinicians_credential_change", args=[other.pk]),
                        other.clinician,
                        other.clinician.user.email,
                        other.get_status_display(),
                    )
                    for other in others
                ),
            ),
        )

    @admin.action(description="Verify selected credentials", permissions=["decide"])
    @sensitive_admin_action
    def verify_selected(self, request, queryset):
        count = 0
        for credential in queryset:
            services.credential_verify(
                credential=credential, actor=request.user, reason="Verified by an administrator."
            )
            count += 1
        self.message_user(request, f"Verified {count} credential(s).", messages.SUCCESS)

    @admin.action(description="Reject selected credentials with a reason", permissions=["decide"])
    @sensitive_admin_action
    def reject_selected(self, request, queryset):
        form = RejectReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = 0
            for credential in queryset:
                services.credential_reject(
                    credential=credential, actor=request.user, reason=form.cleaned_data["reason"]
                )
                count += 1
            self.message_user(request, f"Rejected {count} credential(s).", messages.SUCCESS)
            return None
        return admin_action_form_page(
            self,
            request,
            template="admin/clinicians/credential_reject.html",
            title="Reject credentials",
            form=form,
            selected=queryset.select_related("clinician"),
        )


class StaffProofForm(forms.Form):
    reason = forms.CharField(
        label="What you checked (recorded on the account)", widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ["clinician", "platform", "handle", "proof_status", "proof_method", "proven_at", "needs_review"]
    list_filter = ["proof_status", "proof_method", "needs_review", "platform"]
    search_fields = ["handle", "provider_account_id", "clinician__display_name", "clinician__user__email"]
    list_select_related = ["clinician"]
    raw_id_fields = ["clinician"]
    readonly_fields = [
        "proof_status",
        "proof_method",
        "proven_at",
        "provider",
        "provider_account_id",
        "proof_code",
        "proof_checked_at",
        "proof_note",
        "proven_by",
    ]
    actions = ["prove_by_staff"]
    show_full_result_count = False
    # Accounts also claimed by another clinician come first: they are the review queue.
    ordering = ["-needs_review", "-created_at"]

    @admin.action(description="Mark proven by staff (with what you checked)…")
    def prove_by_staff(self, request, queryset):
        form = StaffProofForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = 0
            for account in queryset:
                try:
                    services.social_account_prove_by_staff(
                        account=account, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    count += 1
                except ValidationError as error:
                    self.message_user(request, f"{account}: {' '.join(error.messages)}", messages.WARNING)
            self.message_user(request, f"Marked {count} account(s) proven.", messages.SUCCESS)
            return None
        return admin_action_form_page(
            self,
            request,
            template="admin/clinicians/socialaccount_prove.html",
            title="Mark accounts proven",
            form=form,
            selected=queryset.select_related("clinician"),
        )


@admin.register(LinkedIdentity)
class LinkedIdentityAdmin(admin.ModelAdmin):
    """Doximity and ORCID accounts clinicians connected: set by the sign-in and the worker only."""

    list_display = ["clinician", "kind", "account_id", "npi", "works_fetched_at", "linked_at"]
    list_filter = ["kind"]
    list_select_related = ["clinician"]
    search_fields = ["account_id", "clinician__display_name", "clinician__user__email"]
    readonly_fields = [
        "clinician",
        "kind",
        "account_id",
        "name",
        "npi",
        "publication_dois",
        "works_fetched_at",
        "linked_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
