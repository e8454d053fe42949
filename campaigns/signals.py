"""Signals the campaigns app sends; incentives connects receivers that enqueue scoring on commit."""

from django.dispatch import Signal

# An activity's status changed (accepted, flagged, rejected, withdrawn, ...).
# kwargs: activity_id: int, old_status: str, new_status: str
activity_status_changed = Signal()

# Something that prices an accepted activity changed (metrics, campaign, citations).
# kwargs: activity_id: int
activity_updated = Signal()
