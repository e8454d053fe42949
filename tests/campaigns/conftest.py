"""Fixtures for the campaigns tests: a record of the signals the app sends."""

import pytest

from campaigns.models import Activity
from campaigns.signals import activity_status_changed, activity_updated


@pytest.fixture
def sent_signals():
    """Every activity_status_changed / activity_updated sent during the test, as (name, kwargs)."""
    received: list[tuple[str, dict]] = []

    def on_status(sender, **kwargs):
        received.append(("status", {k: v for k, v in kwargs.items() if k != "signal"}))

    def on_update(sender, **kwargs):
        received.append(("updated", {k: v for k, v in kwargs.items() if k != "signal"}))

    activity_status_changed.connect(on_status, sender=Activity, weak=False)
    activity_updated.connect(on_update, sender=Activity, weak=False)
    yield received
    activity_status_changed.disconnect(on_status, sender=Activity)
    activity_updated.disconnect(on_update, sender=Activity)
