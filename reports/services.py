"""Writes for reports."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission


def staff_group_ensure() -> Group:
    """The "Association staff" group exists and carries the report permission. Safe to call twice."""
    group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    permission = Permission.objects.get(codename="request_report", content_type__app_label="reports")
    group.permissions.add(permission)
    return group
