"""Signals the clinicians app sends; higher apps connect receivers that only enqueue tasks."""

from django.dispatch import Signal

# Sent after commit-safe code changed a clinician's derived verification status.
# kwargs: clinician_id: int, old_status: str, new_status: str
verification_status_changed = Signal()

# A linked social account became proven (OAuth, profile code or staff), inside the transaction.
# kwargs: account_id: int, clinician_id: int
social_account_proven = Signal()

# The DOIs of a clinician's own publications (ORCID works) changed.
# kwargs: clinician_id: int
publications_updated = Signal()
