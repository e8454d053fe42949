"""Admin for users, notifications, heartbeats, the outbox (read-only) and the audit trail. Changes to
users ask for recent re-authentication."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.decorators import method_decorator

from core.admin_tools import sensitive_admin_view
from core.models import AuditEvent, Heartbeat, Notification, OutboxMessage, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    # Granting staff status, superuser, groups or permissions and setting passwords ask for recent
    # re-authentication, like the other sensitive admin changes.
    @method_decorator(sensitive_admin_view)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    @method_decorator(sensitive_admin_view)
    def user_change_password(self, request, id, form_url=""):
        return super().user_change_password(request, id, form_url)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        """Accounts are deactivated or anonymised (My data → delete), never deleted: the audit trail
        names them as actors, and it cannot be changed (not even to forget a deleted actor)."""
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "title"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What the relay has yet to publish and why it failed. Read-only: the relay owns these rows.
    The keyword arguments are not shown (an email's carries its body, e.g. a password-reset link)."""

    list_display = ["id", "task", "args", "queue", "created_at", "attempts", "next_attempt_at", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "task"]
    fields = ["task", "args", "queue", "created_at", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditEventFilter(admin.SimpleListFilter):
    """Accesses and explicit writes by their event name (evidence downloaded, admin login, ...)."""

    title = "event"
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return AuditEvent.choices

    def queryset(self, request, queryset):
        if self.value() in AuditEvent.values:
            return queryset.filter(additional_data__event=self.value())
        return queryset


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(LogEntryAdmin):
    """The audit trail, read-only. Seen by superusers and by accounts holding `auditlog.view_logentry`
    (the "Association admin" group); nobody can add, change or delete an entry here."""

    list_display = ["created", "event", "resource_url", "action", "msg_short", "user_url", "remote_addr"]
    list_filter = ["action", AuditEventFilter, "content_type"]
    search_fields = ["object_repr", "actor_email", "remote_addr"]
    readonly_fields = [*LogEntryAdmin.readonly_fields, "event", "remote_addr", "actor_email", "additional_data"]
    fieldsets = [
        (None, {"fields": ["created", "event", "user_url", "actor_email", "remote_addr", "resource_url"]}),
        ("Changes", {"fields": ["action", "msg", "additional_data"]}),
    ]
    show_full_result_count = False

    @admin.display(description="Event")
    def event(self, obj: LogEntry) -> str:
        event = (obj.additional_data or {}).get("event", "")
        return AuditEvent(event).label if event in AuditEvent.values else ""

    def has_delete_permission(self, request: HttpRequest, obj: LogEntry | None = None) -> bool:
        return False
