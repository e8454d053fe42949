"""A staff member's share of "My data" held by reports: the reports they requested (what, when,
with which filters, how it ended), never the files, which hold other people's figures.

Nothing is erased on deletion: a report names its requester only through the user row, which
account deletion anonymises, and the files expire with the report retention.
The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

from core.models import User
from reports.models import Report

REPORT_FIELDS = ("kind", "format", "parameters", "status", "created_at", "finished_at")


def reports_personal_data(*, user: User) -> dict[str, list[dict]]:
    """The reports the user requested, oldest first (an empty dict for someone who requested none)."""
    reports = list(Report.objects.filter(requested_by=user).order_by("created_at", "pk").values(*REPORT_FIELDS))
    return {"reports_requested": reports} if reports else {}
