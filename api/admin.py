"""Admin for personal access tokens: look up whose token a log line names, and revoke leaked ones.
Secrets are never stored, so none can be shown; tokens are made only by their users."""

from django.contrib import admin, messages

from api import services
from api.models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in AccessToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens", permissions=["delete"])
    def revoke(self, request, queryset) -> None:
        revoked = services.tokens_revoke(token_ids=list(queryset.values_list("pk", flat=True)))
        messages.info(request, f"{revoked} token(s) revoked.")
