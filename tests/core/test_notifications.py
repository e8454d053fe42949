"""Notifications are stored in-app and emailed after commit unless the user muted that kind."""

import pytest
from django.core import mail

from core.models import Notification, NotificationKind
from core.services import notification_mark_read, notification_preferences_set, notification_send

pytestmark = pytest.mark.django_db


def test_it_stores_the_notification_and_emails_after_commit(clinician_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            user=clinician_user, kind=NotificationKind.BADGE_EARNED, title="You earned a badge", url="/points/"
        )
    assert Notification.objects.for_user(clinician_user).unread().count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Advocacy Portal] You earned a badge"
    assert "/points/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_it_does_not_email_a_muted_kind(clinician_user, django_capture_on_commit_callbacks):
    notification_preferences_set(user=clinician_user, muted_kinds=[NotificationKind.BADGE_EARNED])
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=clinician_user, kind=NotificationKind.BADGE_EARNED, title="Badge")
        notification_send(user=clinician_user, kind=NotificationKind.REPORT_READY, title="Report ready")
    assert [m.subject for m in mail.outbox] == ["[Advocacy Portal] Report ready"]
    assert Notification.objects.for_user(clinician_user).count() == 2


def test_mark_read_only_touches_the_users_own_notifications(clinician_user, other_clinician_user):
    mine = notification_send(user=clinician_user, kind=NotificationKind.REPORT_READY, title="Mine")
    theirs = notification_send(user=other_clinician_user, kind=NotificationKind.REPORT_READY, title="Theirs")
    assert notification_mark_read(user=clinician_user, notification_ids=[mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
