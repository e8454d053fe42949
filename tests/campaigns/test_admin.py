"""Admin: the moderation queue and its bulk actions, and campaign management."""

import re

import pytest
from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from campaigns.models import ActivityStatus, ToolkitItem, ToolkitItemKind
from campaigns.privacy_guard import privacy_hits_for
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


def test_campaign_admin_edits_hashtags_as_words_and_platforms_as_labelled_ticks(client, admin_user):
    campaign = CampaignFactory(hashtags=["fluFacts"], target_platforms=["x"])
    client.force_login(admin_user)
    change = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    response = client.get(change)
    page = response.content.decode()
    assert 'value="#fluFacts"' in page
    assert '<label for="id_hashtags"' in page
    assert 'type="checkbox" name="target_platforms" value="bluesky"' in page
    assert "[&quot;flu" not in page and "[&quot;x&quot;]" not in page
    data = _campaign_change_data(response)
    data.update({"hashtags": "#FluFacts, VaccinesWork  #fluFacts", "target_platforms": ["bluesky", "mastodon"]})
    data["toolkit_items-TOTAL_FORMS"] = 0
    response = client.post(change, data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.hashtags == ["flufacts", "vaccineswork"]
    assert campaign.target_platforms == ["bluesky", "mastodon"]
    data["hashtags"] = "flu-facts"
    assert "letters, digits and underscores only" in client.post(change, data).content.decode()


def _campaign_change_data(response) -> dict:
    """The campaign change form as the browser would post it back, with an empty toolkit inline."""
    data = {}
    for bound in response.context["adminform"].form:
        value, widget = bound.value(), bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            data[bound.html_name] = list(value or [])
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list):  # a many-to-many field (required modules): one value per item
            data[bound.html_name] = [str(item.pk if hasattr(item, "pk") else item) for item in value]
        elif value is not None:
            data[bound.html_name] = str(bound.field.prepare_value(value))
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{inline.formset.prefix}-{name}"] = management.initial.get(name, 0)
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = 1
    return data


def test_a_toolkit_post_with_patient_detail_is_held_until_the_admin_confirms_what_was_found(client, admin_user):
    campaign = CampaignFactory()
    client.force_login(admin_user)
    change = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    data = _campaign_change_data(client.get(change))
    text = "Share this: our patient Jorge Ramirez, 9, beat leukemia at St Jude's this week!"
    item = {
        "toolkit_items-0-kind": ToolkitItemKind.SUGGESTED_POST,
        "toolkit_items-0-text": text,
        "toolkit_items-0-position": 0,
    }
    response = client.post(change, {**data, **item})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This text may identify a patient" in page and "“Jorge Ramirez”" in page
    assert not ToolkitItem.objects.exists()
    fingerprint = re.search(r'name="toolkit_items-0-privacy_confirmed" value="(\w+)"', page).group(1)

    confirmed = {**item, "toolkit_items-0-save_anyway": "on", "toolkit_items-0-privacy_confirmed": fingerprint}
    assert client.post(change, {**data, **confirmed}).status_code == 302
    assert ToolkitItem.objects.get().text == text

    other = reverse("admin:campaigns_campaign_change", args=[CampaignFactory().pk])
    clean = {**item, "toolkit_items-0-text": "Vaccines save lives. Ask your pharmacist this week."}
    assert client.post(other, {**_campaign_change_data(client.get(other)), **clean}).status_code == 302


def test_the_moderation_queue_shows_each_hits_kind_and_span(client, admin_user):
    excerpt = "Maria Lopez came into our ER last night. Her MRN 4481230 is on the board."
    hits = privacy_hits_for(excerpt)
    flagged = ActivityFactory(
        status=ActivityStatus.FLAGGED, guard_flags=["privacy"], excerpt=excerpt, privacy_hits=hits
    )
    client.force_login(admin_user)
    page = client.get(CHANGELIST).content.decode()
    assert "Patient&#x27;s name: “Maria Lopez”" in page
    assert "Medical record or health service number: “MRN 4481230”" in page
    page = client.get(reverse("admin:campaigns_activity_change", args=[flagged.pk])).content.decode()
    assert '<mark data-kind="name" title="Patient&#x27;s name">Maria Lopez</mark>' in page
    assert "<strong>Patient&#x27;s name</strong>: “Maria Lopez” (characters 0 to 11)" in page
    assert "(characters 45 to 56)" in page
