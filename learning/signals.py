"""Signals the learning app sends; incentives connects a receiver that promises the award."""

from django.dispatch import Signal

# A clinician completed a module version for the first time (sent inside the transaction).
# kwargs: completion_id: int
module_completed = Signal()
