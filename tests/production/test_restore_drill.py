"""The restore drill (README "Production" > Backups), on PostgreSQL: deploy/backup-database dumps
the database, the dump is restored into a fresh database, and there the ledger's totals, its
append-only guard (triggers) and its hash chain (`manage.py verify_ledger --expect`) all hold."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db.models import Sum

from incentives.ledger_chain import ledger_seal, ledger_verify
from incentives.models import LedgerEntry
from tests.conftest import require_services
from tests.factories import LedgerEntryFactory, VerifiedClinicianFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{db.get('USER') or 'postgres'}{password}@"
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


@pytest.fixture
def fresh_database() -> str:
    """An empty database next to the test database, dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(database_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def ledger_totals(cursor) -> dict[int, int]:
    cursor.execute("SELECT clinician_id, sum(amount) FROM incentives_ledgerentry GROUP BY clinician_id")
    return dict(cursor.fetchall())


def test_it_restores_a_backup_whose_ledger_holds(fresh_database, tmp_path):
    require_services()
    for amount in (10, 25, -5):
        LedgerEntryFactory(clinician=VerifiedClinicianFactory(), amount=amount)
    ada = VerifiedClinicianFactory()
    LedgerEntryFactory.create_batch(4, clinician=ada, amount=7)
    ledger_seal()
    head = ledger_verify()
    assert head.intact and head.links == 7
    expected = {
        row["clinician_id"]: row["total"]
        for row in LedgerEntry.objects.values("clinician_id").annotate(total=Sum("amount"))
    }

    backup = subprocess.run(
        [ROOT / "deploy" / "backup-database"],
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": database_url(settings.DATABASES["default"]["NAME"]),
            "BACKUP_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path and dump.suffix == ".dump"

    restored_url = database_url(fresh_database)
    restore = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", restored_url, dump],
        capture_output=True,
        text=True,
    )
    assert restore.returncode == 0, restore.stderr

    restored = psycopg2.connect(restored_url)
    try:
        with restored.cursor() as cursor:
            assert ledger_totals(cursor) == expected
        for statement in (
            "UPDATE incentives_ledgerentry SET amount = amount + 1",
            "DELETE FROM incentives_ledgerentry",
            "TRUNCATE incentives_ledgerentry CASCADE",
            "DELETE FROM incentives_ledgerlink",
        ):
            with restored.cursor() as cursor, pytest.raises(psycopg2.Error, match="append-only"):
                cursor.execute(statement)
            restored.rollback()
        with restored.cursor() as cursor:
            assert ledger_totals(cursor) == expected
    finally:
        restored.close()

    verify = subprocess.run(
        [sys.executable, "manage.py", "verify_ledger", "--expect", f"{head.head_sequence}:{head.head_hash}"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": restored_url},
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stderr
    assert "Ledger chain intact: 7 links verified." in verify.stdout
