"""The hash chain over the ledger: sealing appends one link per entry in id order, and
`verify_ledger` names the first link a changed, deleted or slipped-in entry breaks."""

from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from incentives.ledger_chain import CANONICAL_FIELDS, GENESIS_HASH, ledger_seal, ledger_verify, link_hash
from incentives.models import LedgerEntry, LedgerLink
from incentives.services import activity_award
from tests.factories import ActivityFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    """Three clinicians' awards: three entries, none sealed yet."""
    for _ in range(3):
        activity_award(activity_id=ActivityFactory(clinician=VerifiedClinicianFactory()).pk)
    return list(LedgerEntry.objects.order_by("pk"))


@contextmanager
def append_only_triggers_disabled():
    """Play the tamperer: on PostgreSQL the triggers refuse UPDATE/DELETE, so lift them (rolled back
    with the test's transaction); SQLite has only the model's refusal, which raw SQL bypasses."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while checks are pending
        cursor.execute("ALTER TABLE incentives_ledgerentry DISABLE TRIGGER incentives_ledger_append_only")
    yield
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE incentives_ledgerentry ENABLE TRIGGER incentives_ledger_append_only")


def tamper(statement: str, params: list) -> None:
    with append_only_triggers_disabled(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_it_seals_every_entry_in_id_order_and_a_clean_ledger_verifies(entries):
    assert ledger_seal() == 3
    links = list(LedgerLink.objects.order_by("sequence"))
    assert [link.entry_id for link in links] == [entry.pk for entry in entries]
    assert [link.sequence for link in links] == [1, 2, 3]
    first = LedgerEntry.objects.filter(pk=entries[0].pk).values(*CANONICAL_FIELDS)[0]
    assert links[0].hash == link_hash(GENESIS_HASH, first)
    report = ledger_verify()
    assert report.intact and report.links == 3 and report.unsealed == 0
    assert report.head_hash == links[-1].hash


def test_sealing_twice_adds_nothing(entries):
    ledger_seal()
    assert ledger_seal() == 0
    assert LedgerLink.objects.count() == 3


def test_it_extends_the_chain_with_later_entries_only(entries):
    ledger_seal()
    head = LedgerLink.objects.get(sequence=3).hash
    activity_award(activity_id=ActivityFactory(clinician=VerifiedClinicianFactory()).pk)
    assert ledger_verify().unsealed == 1
    assert ledger_seal() == 1
    assert LedgerLink.objects.get(sequence=3).hash == head
    assert ledger_verify().intact


def test_the_nightly_recompute_task_and_command_seal_what_they_wrote(entries, capsys):
    from incentives.tasks import recompute_scores

    recompute_scores.delay()
    assert LedgerLink.objects.count() == LedgerEntry.objects.count() == 3
    activity_award(activity_id=ActivityFactory(clinician=VerifiedClinicianFactory()).pk)
    call_command("recompute_scores")
    assert "Sealed 1 ledger entries into the hash chain" in capsys.readouterr().out
    assert ledger_verify().intact


def test_the_beat_task_seals_every_minute(entries):
    from django.conf import settings

    from incentives.tasks import seal_ledger

    assert settings.CELERY_BEAT_SCHEDULE["every-minute-seal-ledger"]["schedule"] == 60.0
    assert seal_ledger.delay().get() == 3


def test_a_changed_entry_is_reported_at_its_link(entries):
    ledger_seal()
    tamper("UPDATE incentives_ledgerentry SET amount = amount + 100 WHERE id = %s", [entries[1].pk])
    report = ledger_verify()
    assert report.first_break.sequence == 2
    assert report.first_break.entry_id == entries[1].pk
    assert "changed after sealing" in report.first_break.reason
    with pytest.raises(CommandError, match=f"broken at link 2: entry {entries[1].pk} does not match"):
        call_command("verify_ledger")


def test_a_deleted_entry_is_reported_at_its_link(entries):
    ledger_seal()
    tamper("DELETE FROM incentives_ledgerentry WHERE id = %s", [entries[0].pk])
    broken = ledger_verify().first_break
    assert (broken.sequence, broken.entry_id) == (1, entries[0].pk)
    assert "missing" in broken.reason


def test_an_entry_slipped_below_the_sealed_head_is_reported(entries):
    ledger_seal()
    clinician_id = entries[0].clinician_id
    # A later entry leaves a gap of free ids below it; the rewrite slips an entry into that gap.
    high = entries[-1].pk + 10
    LedgerEntry(pk=high, clinician_id=clinician_id, amount=1, kind="adjustment", idempotency_key="later").save(
        force_insert=True
    )
    ledger_seal()
    tamper(
        "INSERT INTO incentives_ledgerentry (id, clinician_id, amount, kind, memo, idempotency_key, created_at)"
        " VALUES (%s, %s, 500, 'adjustment', '', 'slipped', %s)",
        [high - 1, clinician_id, entries[0].created_at],
    )
    broken = ledger_verify().first_break
    assert broken.entry_id == high - 1
    assert f"entry {high - 1} was inserted below the sealed head" in broken.reason


def test_a_rewritten_chain_fails_against_the_recorded_head(entries):
    """Someone who rewrites the entries and every link after them passes the recomputation, but not
    the head an auditor recorded outside the database."""
    ledger_seal()
    recorded = ledger_verify()
    call_command("verify_ledger", expect=f"{recorded.head_sequence}:{recorded.head_hash}")
    tamper("UPDATE incentives_ledgerentry SET amount = 0 WHERE id = %s", [entries[2].pk])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE incentives_ledgerlink DISABLE TRIGGER incentives_ledgerlink_append_only")
        cursor.execute("DELETE FROM incentives_ledgerlink WHERE sequence = 3")
    ledger_seal()  # the tamperer re-seals the changed entry
    assert ledger_verify().intact
    with pytest.raises(CommandError, match="broken at link 3: link 3 no longer carries the recorded hash"):
        call_command("verify_ledger", expect=f"{recorded.head_sequence}:{recorded.head_hash}")


def test_the_command_reports_an_intact_chain_and_its_head(entries, capsys):
    call_command("verify_ledger", seal=True)
    out = capsys.readouterr().out
    assert "Sealed 3 new entries." in out
    assert "Ledger chain intact: 3 links verified." in out
    assert f"Head: 3:{LedgerLink.objects.get(sequence=3).hash}" in out


def test_the_command_refuses_a_malformed_head():
    with pytest.raises(CommandError, match="SEQUENCE:HASH"):
        call_command("verify_ledger", expect="3:nothex")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_sealer_never_seals_past_an_entry_still_in_flight():
    """PostgreSQL draws ids inside INSERTs, so transactions can commit them out of order. While a
    ledger INSERT's transaction is open, the sealer waits (at most a second) and then skips its
    turn rather than seal a later id and leave the open one outside the chain for good."""
    from tests.conftest import require_services

    require_services()
    import psycopg2

    activity = ActivityFactory(clinician=VerifiedClinicianFactory())
    settings_dict = connection.settings_dict
    other = psycopg2.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO incentives_ledgerentry (clinician_id, amount, kind, memo, idempotency_key, created_at)"
                " VALUES (%s, 3, 'adjustment', 'in flight', 'in-flight', now()) RETURNING id",
                [activity.clinician_id],
            )
            in_flight_id = cursor.fetchone()[0]
        activity_award(activity_id=activity.pk)  # commits a higher id while the lower one is open
        assert LedgerEntry.objects.get().pk > in_flight_id
        assert ledger_seal() == 0  # the open transaction holds the gate: nothing sealed past it
        other.commit()
    finally:
        other.close()
    assert ledger_seal() == 2
    assert list(LedgerLink.objects.values_list("entry_id", flat=True)) == sorted(
        LedgerEntry.objects.values_list("pk", flat=True)
    )
    assert ledger_verify().intact
