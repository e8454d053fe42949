"""Admin: the moderation queue and its bulk actions, and campaign management."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from campaigns.models import ActivityStatus
from core.models import Notification, NotificationKind
from tests.factories import ActivityFactory, CampaignFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:campaigns_activity_changelist")


def test_the_queue_lists_flagged_activities_first(client, admin_user):
    accepted = ActivityFactory()
    flagged = ActivityFactory(status=ActivityStatus.FLAGGED, guard_flags=["privacy"])
    client.force_login(admin_user)
    response = client.get(CHANGELIST)
    assert [a.pk for a in response.context["cl"].result_list] == [flagged.pk, accepted.pk]
    response = client.get(CHANGELIST, {"guard": "fired"})
    assert [a.pk for a in response.context["cl"].result_list] == [flagged.pk]
    assert client.get(CHANGELIST, {"q": "drexample", "status__exact": "flagged"}).status_code == 200


def test_bulk_accept_calls_the_service(client, admin_user):
    flagged = ActivityFactory(status=ActivityStatus.FLAGGED)
    client.force_login(admin_user)
    client.post(CHANGELIST, {"action": "accept_selected", ACTION_CHECKBOX_NAME: [flagged.pk]})
    flagged.refresh_from_db()
    assert (flagged.status, flagged.decided_by) == (ActivityStatus.ACCEPTED, admin_user)


def test_bulk_reject_asks_for_a_reason_first(client, admin_user):
    activities = [ActivityFactory(status=ActivityStatus.FLAGGED) for _ in range(2)]
    ids = [a.pk for a in activities]
    client.force_login(admin_user)
    response = client.post(CHANGELIST, {"action": "reject_selected", ACTION_CHECKBOX_NAME: ids})
    assert response.status_code == 200 and b"Reason shown to the clinician" in response.content
    assert all(a.status == ActivityStatus.FLAGGED for a in activities)
    response = client.post(
        CHANGELIST, {"action": "reject_selected", ACTION_CHECKBOX_NAME: ids, "apply": "1", "reason": ""}
    )
    assert b"This field is required" in response.content
    client.post(
        CHANGELIST,
        {"action": "reject_selected", ACTION_CHECKBOX_NAME: ids, "apply": "1", "reason": "Not about health."},
    )
    for activity in activities:
        activity.refresh_from_db()
        assert (activity.status, activity.review_reason) == (ActivityStatus.REJECTED, "Not about health.")
    assert Notification.objects.filter(kind=NotificationKind.ACTIVITY_REJECTED).count() == 2


def test_campaign_admin_pages_render_with_the_toolkit_inline(client, admin_user):
    campaign = CampaignFactory()
    client.force_login(admin_user)
    assert client.get(reverse("admin:campaigns_campaign_add")).status_code == 200
    response = client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    assert b"toolkit_items-TOTAL_FORMS" in response.content
