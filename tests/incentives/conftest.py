"""Fixtures for the incentives tests."""

import pytest
from django.db import transaction

from campaigns.signals import activity_status_changed


def accept(activity, *, capture, old_status: str = "submitted") -> None:
    """Send the accepted signal inside a transaction, as campaigns.services does, and run the task."""
    with capture(execute=True), transaction.atomic():
        activity_status_changed.send(
            sender=type(activity), activity_id=activity.pk, old_status=old_status, new_status=activity.status
        )


@pytest.fixture
def accepted(django_capture_on_commit_callbacks):
    def send(activity, old_status: str = "submitted"):
        accept(activity, capture=django_capture_on_commit_callbacks, old_status=old_status)

    return send
