"""Admin for clinicians: the verification queue lives here."""

from django.contrib import admin

from clinicians.models import Clinician, Credential, SocialAccount


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "profession", "specialty", "state", "verification_status"]
    list_filter = ["verification_status", "profession"]
    search_fields = ["display_name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["clinician", "kind", "identifier", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["identifier", "clinician__display_name", "clinician__user__email"]
    list_select_related = ["clinician"]
    raw_id_fields = ["clinician", "decided_by"]


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ["clinician", "platform", "handle", "needs_review"]
    list_filter = ["platform", "needs_review"]
    search_fields = ["handle", "clinician__display_name"]
    list_select_related = ["clinician"]
    raw_id_fields = ["clinician"]
