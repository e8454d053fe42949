"""Receivers connected in CoreConfig.ready(): the audit trail's login entries and its append-only rule.

Logins go through django.contrib.auth.login() whichever page served them (allauth's login, admin's
login, re-authentication), and it sends user_logged_in: one receiver records every login of an
account that can enter admin.
"""

from auditlog.models import LogEntry
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from core.models import AuditEvent, AuditTrailIsAppendOnly
from core.services import audit_record


@receiver(user_logged_in, dispatch_uid="core.audit_admin_login")
def audit_admin_login(sender, request, user, **kwargs) -> None:
    if user.is_staff or user.is_superuser:
        audit_record(
            event=AuditEvent.ADMIN_LOGIN,
            target=user,
            actor=user,
            request=request,
            details={"path": request.path if request is not None else ""},
        )


@receiver(pre_save, sender=LogEntry, dispatch_uid="core.audit_refuse_update")
def audit_refuse_update(sender, instance: LogEntry, **kwargs) -> None:
    if not instance._state.adding:
        raise AuditTrailIsAppendOnly(f"Audit entry {instance.pk} cannot be changed.")


@receiver(pre_delete, sender=LogEntry, dispatch_uid="core.audit_refuse_delete")
def audit_refuse_delete(sender, instance: LogEntry, **kwargs) -> None:
    raise AuditTrailIsAppendOnly(f"Audit entry {instance.pk} cannot be deleted.")
