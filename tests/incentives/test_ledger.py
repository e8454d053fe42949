"""The ledger is append-only: refused by the model, by PostgreSQL itself, and read-only in admin;
manual adjustments are new entries with a reason and an actor."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from campaigns.models import Activity, ActivityStatus
from incentives.models import ActivityTotal, LedgerEntry, LedgerKind, Score
from incentives.pricing import activity_totals_mismatched
from incentives.services import activity_award, scores_recompute
from tests.conftest import reauthenticate, require_services
from tests.factories import ActivityFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    activity = ActivityFactory()
    activity_award(activity_id=activity.pk)
    return LedgerEntry.objects.get(activity=activity)


def test_the_model_refuses_update_and_delete(entry):
    entry.amount = 1000
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


@pytest.mark.services
def test_postgresql_refuses_update_and_delete(entry):
    require_services()
    for statement in ("UPDATE incentives_ledgerentry SET amount = 1000", "DELETE FROM incentives_ledgerentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 26


def test_admin_lists_but_never_edits_entries(client, admin_user, entry):
    client.force_login(admin_user)
    changelist = client.get(
        reverse("admin:incentives_ledgerentry_changelist"), {"kind__exact": "award", "q": "example"}
    )
    assert changelist.status_code == 200
    assert client.get(reverse("admin:incentives_ledgerentry_add")).status_code == 403
    assert client.post(reverse("admin:incentives_ledgerentry_delete", args=[entry.pk])).status_code == 403
    client.post(reverse("admin:incentives_ledgerentry_change", args=[entry.pk]), {"amount": 5})
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 26


def test_admin_adjustment_needs_a_reason_and_records_the_actor(client, admin_user):
    clinician = VerifiedClinicianFactory()
    client.force_login(admin_user)
    reauthenticate(client)
    url = reverse("admin:incentives_ledgerentry_adjust")
    response = client.post(url, {"clinician": clinician.pk, "amount": 15, "reason": "  "})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode() or "This field is required" in response.content.decode()
    assert not LedgerEntry.objects.exists()
    response = client.post(url, {"clinician": clinician.pk, "amount": 15, "reason": "Conference talk"})
    assert response.status_code == 302
    adjustment = LedgerEntry.objects.get()
    assert (adjustment.kind, adjustment.amount, adjustment.actor, adjustment.memo) == (
        LedgerKind.ADJUSTMENT,
        15,
        admin_user,
        "Conference talk",
    )
    assert Score.objects.get(clinician=clinician).balance == 15


def test_admin_rule_set_edit_creates_a_new_version_with_a_preview(
    client, admin_user, django_capture_on_commit_callbacks
):
    """Saving stores a new version and asks a worker for its preview (tasks run eagerly here), which
    the rule set's page then shows; the page itself never prices the activities."""
    from incentives.models import RuleSet

    activity = ActivityFactory(impressions=0)
    activity_award(activity_id=activity.pk)
    v1 = RuleSet.objects.get(version=1)
    client.force_login(admin_user)
    reauthenticate(client)
    points = dict(v1.category_points, public_education=50)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:incentives_ruleset_change", args=[v1.pk]),
            {
                "category_points": json.dumps(points),
                "leaderboard_excluded_categories": '["practice_marketing"]',
                "evidence_bonus": 10,
                "engagement_bonus_per_decade": 2,
                "engagement_bonus_cap": 10,
                "self_reported_engagement_share": 100,
                "daily_cap": 100,
                "weekly_category_cap": 150,
                "tier_bronze": 20,
                "tier_silver": 500,
                "tier_gold": 1500,
                "tier_platinum": 5000,
                "note": "Education matters more",
            },
            follow=True,
        )
    assert "Saved as rule set v2" in response.content.decode()
    assert "A worker is computing its preview" in response.content.decode()
    v2 = RuleSet.objects.get(version=2)
    page = client.get(reverse("admin:incentives_ruleset_change", args=[v2.pk])).content.decode()
    assert "1 activities would change: +30 / -0 points (30 moved)" in page
    # The award's 20 points reach the new bronze threshold: the preview says one tier would change.
    assert "Tiers at bronze 20 / silver 500 / gold 1500 / platinum 5000 lifetime points: 1 clinicians" in page
    assert RuleSet.objects.get(version=1).category_points["public_education"] == 20
    assert RuleSet.objects.get(version=2).category_points["public_education"] == 50
    assert LedgerEntry.objects.count() == 1


def test_admin_rule_set_form_refuses_unknown_categories(client, admin_user):
    from incentives.models import RuleSet

    client.force_login(admin_user)
    reauthenticate(client)
    response = client.post(
        reverse("admin:incentives_ruleset_add"),
        {
            "category_points": '{"cat_videos": 5}',
            "leaderboard_excluded_categories": "[]",
            "evidence_bonus": 1,
            "engagement_bonus_per_decade": 1,
            "engagement_bonus_cap": 1,
            "daily_cap": 1,
            "weekly_category_cap": 1,
        },
    )
    assert "Unknown categories: cat_videos" in response.content.decode()
    assert RuleSet.objects.count() == 1


def test_admin_recompute_action_queues_a_full_run(client, admin_user, django_capture_on_commit_callbacks):
    """The action answers at once; a worker runs the full recompute (eagerly here)."""
    from incentives.models import PricingRun, RuleSet

    activity = ActivityFactory()
    client.force_login(admin_user)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:incentives_ruleset_changelist"),
            {"action": "recompute_scores", "_selected_action": [RuleSet.objects.get().pk]},
            follow=True,
        )
    assert "A full recompute under the current rule set is queued" in response.content.decode()
    assert activity.ledger_entries.count() == 1
    run = PricingRun.objects.get()
    assert (run.mode, run.entries_written) == ("full", 1)
    assert client.get(reverse("admin:incentives_pricingrun_changelist")).status_code == 200


def test_admin_preview_action_shows_progress_then_the_result(client, admin_user):
    from incentives.models import RuleSet
    from incentives.services import rule_set_preview, rule_set_preview_run

    ActivityFactory()
    v1 = RuleSet.objects.get()
    client.force_login(admin_user)
    reauthenticate(client)
    page = client.get(reverse("admin:incentives_ruleset_change", args=[v1.pk])).content.decode()
    assert "Not computed yet" in page
    # Queued (the commit that would publish the task never comes in this test): progress at 0%.
    client.post(
        reverse("admin:incentives_ruleset_changelist"),
        {"action": "preview_rule_sets", "_selected_action": [v1.pk]},
    )
    page = client.get(reverse("admin:incentives_ruleset_change", args=[v1.pk])).content.decode()
    assert "Being computed by a worker: 0% done" in page
    state = rule_set_preview_run(rule_set_id=v1.pk)
    # The parts add up to pricing everything at once.
    whole = rule_set_preview(rule_set=v1)
    assert (state["status"], state["parts_done"], state["activities"]) == ("done", state["parts"], 1)
    assert (state["points_added"], state["points_removed"]) == (whole.points_added, whole.points_removed)
    page = client.get(reverse("admin:incentives_ruleset_change", args=[v1.pk])).content.decode()
    assert f"1 activities would change: +{whole.points_added} / -0 points" in page


def test_the_per_activity_totals_follow_every_ledger_append():
    activity = ActivityFactory()
    scores_recompute()
    total = ActivityTotal.objects.get(activity=activity)
    assert (total.total, total.entries) == (activity.ledger_entries.get().amount, 1)
    Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.WITHDRAWN)
    activity_award(activity_id=activity.pk)
    total.refresh_from_db()
    assert (total.total, total.entries) == (0, 2)
    assert activity_totals_mismatched() == []


@pytest.mark.services
def test_postgresql_refuses_truncate_also_cascading_from_clinicians(entry):
    require_services()
    with connection.cursor() as cursor:
        # The suite allows TRUNCATE on its own connections for its flushes; an ordinary session does not.
        cursor.execute("SET LOCAL advocacy.allow_ledger_truncate = ''")
        # The fixture's deferred foreign-key checks would make any TRUNCATE refuse for another reason.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in (
        "TRUNCATE incentives_ledgerentry",
        "TRUNCATE clinicians_clinician CASCADE",
        "TRUNCATE incentives_ledgerlink",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_application_role_may_only_insert_and_select_on_the_ledger(entry):
    """`manage.py app_database_role`: connected as that role, the portal reads and writes its tables,
    appends to the ledger and reads it, and is refused UPDATE, DELETE and TRUNCATE by permission."""
    require_services()
    import psycopg2
    from django.core.management import call_command

    settings_dict = connection.settings_dict
    role = f"{settings_dict['NAME']}_app"
    call_command("app_database_role", role)
    call_command("app_database_role", role)  # idempotent
    app = psycopg2.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        dbname=settings_dict["NAME"],
        user=role,
    )
    try:
        app.autocommit = True
        with app.cursor() as cursor:
            cursor.execute("SELECT current_user, count(*) FROM incentives_ledgerentry")
            assert cursor.fetchone() == (role, 1)
            cursor.execute(
                "INSERT INTO incentives_ledgerentry (clinician_id, amount, kind, memo, idempotency_key, created_at)"
                " VALUES (%s, 5, 'adjustment', 'by the app role', 'app-role-test', now())",
                [entry.clinician_id],
            )
            cursor.execute("UPDATE clinicians_clinician SET bio = 'still writable' WHERE id = %s", [entry.clinician_id])
            for statement in (
                "UPDATE incentives_ledgerentry SET amount = 1000",
                "DELETE FROM incentives_ledgerentry",
                "TRUNCATE incentives_ledgerentry",
                "TRUNCATE clinicians_clinician CASCADE",
                "UPDATE incentives_ledgerlink SET hash = ''",
                "TRUNCATE incentives_ledgerlink",
            ):
                with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                    cursor.execute(statement)
    finally:
        app.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {connection.ops.quote_name(role)}")
            cursor.execute(f"DROP ROLE {connection.ops.quote_name(role)}")
    assert sorted(LedgerEntry.objects.values_list("amount", flat=True)) == [5, 26]


def test_the_application_role_needs_postgresql():
    from django.core.management import CommandError, call_command

    if connection.vendor == "postgresql":
        pytest.skip("the embedded leg checks the refusal on SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("app_database_role", "advocacy_app")
