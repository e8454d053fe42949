"""The notification list (newest first, unread highlighted, mark all read) and email settings."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, NotificationEmailPreference, NotificationKind
from tests.dashboard.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["core:notification_list", "core:notification_settings"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_lists_only_my_notifications_newest_first(client, clinician_user, other_clinician_user):
    now = timezone.now()
    NotificationFactory(user=clinician_user, title="Older", created_at=now - dt.timedelta(days=1), read_at=now)
    NotificationFactory(user=clinician_user, title="Newer", created_at=now)
    NotificationFactory(user=other_clinician_user, title="Someone else's")
    client.force_login(clinician_user)
    html = client.get(reverse("core:notification_list")).content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "Someone else" not in html
    assert html.count('class="is-unread"') == 1
    assert "Mark all read" in html
    assert 'aria-label="1 unread"' in html


def test_it_paginates(client, clinician_user):
    for _ in range(25):
        NotificationFactory(user=clinician_user)
    client.force_login(clinician_user)
    assert client.get(reverse("core:notification_list")).content.decode().count("<li class=") == 20
    assert "Page 2 of 2" in client.get(reverse("core:notification_list") + "?page=2").content.decode()


def test_mark_all_read_only_touches_mine(client, clinician_user, other_clinician_user):
    NotificationFactory(user=clinician_user)
    theirs = NotificationFactory(user=other_clinician_user)
    client.force_login(clinician_user)
    assert client.get(reverse("core:notification_mark_all_read")).status_code == 405
    response = client.post(reverse("core:notification_mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.for_user(clinician_user).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_settings_show_every_kind_and_store_the_unticked_ones_as_muted(client, clinician_user):
    client.force_login(clinician_user)
    html = client.get(reverse("core:notification_settings")).content.decode()
    assert html.count('type="checkbox"') == len(NotificationKind.values)
    assert html.count("checked") == len(NotificationKind.values)
    emailed = [kind for kind in NotificationKind.values if kind != NotificationKind.BADGE_EARNED]
    response = client.post(reverse("core:notification_settings"), {"emailed_kinds": emailed})
    assert response.status_code == 302
    assert NotificationEmailPreference.objects.get(user=clinician_user).muted_kinds == [NotificationKind.BADGE_EARNED]
    html = client.get(reverse("core:notification_settings")).content.decode()
    assert html.count("checked") == len(NotificationKind.values) - 1


def test_settings_reject_an_unknown_kind_and_store_nothing(client, clinician_user):
    client.force_login(clinician_user)
    response = client.post(reverse("core:notification_settings"), {"emailed_kinds": ["nonsense"]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationEmailPreference.objects.filter(user=clinician_user).exists()
