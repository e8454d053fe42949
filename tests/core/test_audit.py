"""The audit trail (django-auditlog): every admin change, credential decision, evidence and report
download, manual ledger adjustment, rule-set version and admin login is recorded with who, when,
from where and what changed; association admins read it in admin; nobody can change or delete it."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from clinicians.models import Credential, CredentialStatus
from core.models import AuditEvent, AuditTrailIsAppendOnly
from core.services import audit_record
from incentives.models import LedgerEntry, RuleSet
from reports.models import Report, ReportStatus
from tests.conftest import reauthenticate
from tests.factories import (
    DEFAULT_PASSWORD,
    CredentialFactory,
    UserFactory,
    VerifiedClinicianFactory,
    totp_code,
    totp_enrol,
    totp_secret_for,
)
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.7"


def entries_for(event: AuditEvent):
    return LogEntry.objects.filter(additional_data__event=event.value).order_by("id")


@pytest.fixture
def evidence_credential(clinician_user):
    credential = CredentialFactory(clinician=clinician_user.clinician, evidence_content_type="application/pdf")
    credential.evidence.save("licence.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    return credential


def test_every_evidence_download_is_recorded_with_who_and_from_where(
    client, clinician_user, admin_user, evidence_credential
):
    url = reverse("clinicians:credential_evidence", args=[evidence_credential.pk])
    client.force_login(clinician_user)
    assert client.get(url, REMOTE_ADDR=CLIENT_IP).status_code == 200
    client.force_login(admin_user)
    assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 200

    first, second = entries_for(AuditEvent.EVIDENCE_DOWNLOADED)
    assert (first.actor, first.remote_addr, first.action) == (clinician_user, CLIENT_IP, LogEntry.Action.ACCESS)
    assert (second.actor, second.remote_addr) == (admin_user, "198.51.100.9")
    assert first.content_type.model_class() is Credential and first.object_id == evidence_credential.pk
    assert first.timestamp is not None


def test_a_refused_evidence_download_records_nothing(client, other_clinician_user, evidence_credential):
    client.force_login(other_clinician_user)
    url = reverse("clinicians:credential_evidence", args=[evidence_credential.pk])
    assert client.get(url).status_code == 404
    assert not entries_for(AuditEvent.EVIDENCE_DOWNLOADED).exists()


def test_every_report_download_is_recorded(client, staff_user):
    report = ReportFactory(status=ReportStatus.SUCCEEDED, requested_by=staff_user)
    report.file.save(f"reports/report-{report.pk}.csv", ContentFile(b"a,b\r\n1,2\r\n"), save=True)
    client.force_login(staff_user)
    response = client.get(reverse("reports:report_download", args=[report.pk]), REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 200

    (entry,) = entries_for(AuditEvent.REPORT_DOWNLOADED)
    assert (entry.actor, entry.remote_addr, entry.object_id) == (staff_user, CLIENT_IP, report.pk)
    assert entry.content_type.model_class() is Report


def _admin_signs_in(client, user, **headers) -> None:
    """Admin login goes through allauth: the password, then the TOTP code (admin_user is enrolled)."""
    client.get(reverse("admin:login"))  # redirected to the portal login, as in a browser
    password = client.post(
        f"{reverse('account_login')}?next=/admin/", {"login": user.email, "password": DEFAULT_PASSWORD}, **headers
    )
    assert password.status_code == 302
    code = client.post(reverse("mfa_authenticate"), {"code": totp_code(totp_secret_for(user.email))}, **headers)
    assert code.status_code == 302 and code["Location"] == "/admin/"


def test_every_login_to_admin_is_recorded_and_clinician_logins_are_not(client, admin_user, clinician_user):
    _admin_signs_in(client, admin_user, REMOTE_ADDR=CLIENT_IP)
    client.logout()
    client.post(
        reverse("account_login"), {"login": clinician_user.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=CLIENT_IP
    )

    (entry,) = entries_for(AuditEvent.ADMIN_LOGIN)
    assert (entry.actor, entry.remote_addr, entry.object_id) == (admin_user, CLIENT_IP, admin_user.pk)
    assert entry.additional_data["path"] == reverse("mfa_authenticate")


def test_a_forged_forwarded_for_header_is_not_taken_as_the_client_address(client, admin_user):
    _admin_signs_in(client, admin_user, REMOTE_ADDR=CLIENT_IP, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert entries_for(AuditEvent.ADMIN_LOGIN).get().remote_addr == CLIENT_IP


def test_a_credential_decision_in_admin_records_the_status_change_and_the_decider(client, admin_user):
    credential = CredentialFactory(status=CredentialStatus.SUBMITTED)
    client.force_login(admin_user)
    reauthenticate(client)  # a sensitive admin change asks for the password again
    response = client.post(
        reverse("admin:clinicians_credential_changelist"),
        {"action": "verify_selected", "_selected_action": [credential.pk]},
        REMOTE_ADDR=CLIENT_IP,
    )
    assert response.status_code == 302

    changes = LogEntry.objects.get_for_object(credential).filter(action=LogEntry.Action.UPDATE).get()
    assert changes.changes["status"] == [CredentialStatus.SUBMITTED, CredentialStatus.VERIFIED]
    assert (changes.actor, changes.remote_addr) == (admin_user, CLIENT_IP)
    decision = credential.decisions.get()
    created = LogEntry.objects.get_for_object(decision).get()
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, admin_user)


def test_an_admin_edit_records_each_changed_field_with_old_and_new_values(client, admin_user):
    staff = UserFactory(email="verifier@example.org", is_staff=True)
    group = Group.objects.get(name="Verifier")  # a role, created by migration
    client.force_login(admin_user)
    reauthenticate(client)  # a sensitive admin change asks for the password again
    url = reverse("admin:core_user_change", args=[staff.pk])
    response = client.post(
        url,
        {
            "email": staff.email,
            "first_name": "Vera",
            "last_name": "",
            "is_active": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": staff.date_joined.date().isoformat(),
            "date_joined_1": staff.date_joined.time().strftime("%H:%M:%S"),
        },
        REMOTE_ADDR=CLIENT_IP,
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    entries = LogEntry.objects.get_for_object(staff).filter(actor=admin_user)
    changed = {field: value for entry in entries for field, value in entry.changes.items()}
    assert changed["first_name"] == ["", "Vera"]
    assert changed["groups"]["objects"] == ["Verifier"]
    assert all(entry.remote_addr == CLIENT_IP for entry in entries)
    assert "password" not in changed


def test_a_manual_ledger_adjustment_is_recorded_with_its_amount_and_reason(client, admin_user):
    clinician = VerifiedClinicianFactory()
    client.force_login(admin_user)
    reauthenticate(client)  # a sensitive admin change asks for the password again
    response = client.post(
        reverse("admin:incentives_ledgerentry_adjust"),
        {"clinician": clinician.pk, "amount": -15, "reason": "Duplicate post"},
        REMOTE_ADDR=CLIENT_IP,
    )
    assert response.status_code == 302

    (entry,) = entries_for(AuditEvent.LEDGER_ADJUSTED)
    adjustment = LedgerEntry.objects.get(kind="adjustment")
    assert entry.object_id == adjustment.pk and entry.action == LogEntry.Action.CREATE
    assert entry.changes["amount"] == [None, -15] and entry.changes["memo"] == [None, "Duplicate post"]
    assert (entry.actor, entry.remote_addr) == (admin_user, CLIENT_IP)


def test_every_rule_set_version_is_recorded_with_its_values(client, admin_user):
    from incentives.services import rule_set_current

    current = rule_set_current()
    client.force_login(admin_user)
    reauthenticate(client)  # a sensitive admin change asks for the password again
    response = client.post(
        reverse("admin:incentives_ruleset_add"),
        {
            "category_points": json.dumps(current.category_points),
            "leaderboard_excluded_categories": json.dumps(current.leaderboard_excluded_categories),
            "evidence_bonus": 5,
            "engagement_bonus_per_decade": 1,
            "engagement_bonus_cap": 10,
            "daily_cap": 100,
            "weekly_category_cap": 150,
            "tier_bronze": 100,
            "tier_silver": 500,
            "tier_gold": 1500,
            "tier_platinum": 5000,
            "self_reported_engagement_share": 100,
            "note": "Education up",
        },
        REMOTE_ADDR=CLIENT_IP,
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    new = RuleSet.objects.get(version=current.version + 1)
    entry = LogEntry.objects.get_for_object(new).get()
    assert entry.action == LogEntry.Action.CREATE and entry.changes["note"] == [None, "Education up"]
    assert (entry.actor, entry.remote_addr) == (admin_user, CLIENT_IP)


def _an_entry(user) -> LogEntry:
    return audit_record(event=AuditEvent.REPORT_DOWNLOADED, target=user, actor=user)


def test_superusers_and_holders_of_the_view_permission_read_the_audit_trail(client, admin_user, clinician_user):
    entry = _an_entry(clinician_user)
    changelist = reverse("admin:auditlog_logentry_changelist")
    detail = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    client.force_login(admin_user)
    assert client.get(changelist).status_code == 200
    assert client.get(detail).status_code == 200

    association_admin = UserFactory(email="assoc@example.org", is_staff=True)
    totp_enrol(association_admin)  # privileged accounts must have two-factor authentication
    association_admin.user_permissions.add(
        Permission.objects.get(codename="view_logentry", content_type__app_label="auditlog")
    )
    client.force_login(association_admin)
    page = client.get(changelist)
    assert page.status_code == 200 and "Report downloaded" in page.content.decode()

    other_staff = UserFactory(email="verifier@example.org", is_staff=True)
    totp_enrol(other_staff)
    other_staff.user_permissions.add(Permission.objects.get(codename="view_credential"))
    client.force_login(other_staff)
    assert client.get(changelist).status_code == 403
    assert client.get(detail).status_code == 403


def test_admin_offers_no_way_to_change_or_delete_an_entry(client, admin_user, clinician_user):
    entry = _an_entry(clinician_user)
    client.force_login(admin_user)
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:auditlog_logentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert client.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]), {}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_model_refuses_to_change_or_delete_an_entry(clinician_user):
    entry = _an_entry(clinician_user)
    entry.object_repr = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly), transaction.atomic():
        entry.save()
    with pytest.raises(AuditTrailIsAppendOnly), transaction.atomic():
        entry.delete()
    with pytest.raises(AuditTrailIsAppendOnly), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).object_repr == clinician_user.email


def test_the_database_refuses_update_delete_and_truncate_of_the_audit_table(clinician_user):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (CI's services leg)")
    entry = _an_entry(clinician_user)
    with connection.cursor() as cursor:
        # tests/conftest.py disables the triggers for pytest-django's TRUNCATE between tests; this
        # test transaction (rolled back at its end) turns them back on, as the migration left them.
        # The entries' deferred foreign-key checks must run before the table can be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE auditlog_logentry ENABLE TRIGGER USER")
    statements = [
        lambda: LogEntry.objects.filter(pk=entry.pk).update(object_repr="rewritten"),
        lambda: LogEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias),
        lambda: connection.cursor().execute("UPDATE auditlog_logentry SET actor_id = NULL"),
        lambda: connection.cursor().execute("DELETE FROM auditlog_logentry"),
        lambda: connection.cursor().execute("TRUNCATE auditlog_logentry"),
    ]
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    assert LogEntry.objects.get(pk=entry.pk).object_repr == clinician_user.email
    # Appending still works.
    _an_entry(clinician_user)
    assert LogEntry.objects.filter(additional_data__event=AuditEvent.REPORT_DOWNLOADED).count() == 2


def test_admin_deletes_no_account_the_audit_trail_may_name(client, admin_user, clinician_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:core_user_delete", args=[clinician_user.pk])).status_code == 403
    assert client.post(reverse("admin:core_user_delete", args=[clinician_user.pk]), {"post": "yes"}).status_code == 403


def test_an_admin_form_change_to_any_model_is_recorded(client, admin_user, clinician_user):
    from core.models import Notification

    notification = Notification.objects.create(user=clinician_user, kind="badge_earned", title="Old title")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:core_notification_change", args=[notification.pk]),
        {
            "user": clinician_user.pk,
            "kind": "badge_earned",
            "title": "New title",
            "body": "",
            "url": "",
            "created_at_0": "2026-10-01",
            "created_at_1": "10:00:00",
            "read_at_0": "",
            "read_at_1": "",
        },
        REMOTE_ADDR=CLIENT_IP,
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    (entry,) = LogEntry.objects.filter(content_type__app_label="admin", actor=admin_user)
    assert entry.remote_addr == CLIENT_IP
    assert "New title" in entry.object_repr and "Title" in entry.changes["change_message"][1]


def test_a_tracked_model_is_diffed_on_its_own_columns_and_its_relations_are_left_unread():
    from clinicians.models import Clinician
    from incentives.models import Score

    clinician = VerifiedClinicianFactory()
    created = LogEntry.objects.get_for_object(clinician).get(action=LogEntry.Action.CREATE)
    columns = {field.name for field in Clinician._meta.concrete_fields}
    assert set(created.changes) <= columns and "display_name" in created.changes
    # The saved instance has no "no score" cached by the audit: a score created later is found.
    Score.objects.create(clinician=clinician, lifetime=5, balance=5)
    assert clinician.score.balance == 5
