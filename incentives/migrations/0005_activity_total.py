"""Per-activity ledger totals, kept by triggers in the statement that appends a ledger entry.

The full recompute compares each activity's value with this total instead of summing the whole
ledger. On PostgreSQL one statement-level trigger folds all rows an INSERT appended (one upsert per
statement, also for the bulk corrections of a recompute); on SQLite a row trigger does the same.
The backfill derives the totals of existing entries from the ledger.
"""

import django.db.models.deletion
from django.db import migrations, models

KINDS = "('award', 'reversal')"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION incentives_activity_total_add() RETURNS trigger AS $$
BEGIN
    INSERT INTO incentives_activitytotal (activity_id, total, entries)
    SELECT activity_id, SUM(amount), COUNT(*) FROM appended
    WHERE activity_id IS NOT NULL AND kind IN {KINDS}
    GROUP BY activity_id
    ON CONFLICT (activity_id) DO UPDATE SET
        total = incentives_activitytotal.total + excluded.total,
        entries = incentives_activitytotal.entries + excluded.entries;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incentives_activity_total_add
    AFTER INSERT ON incentives_ledgerentry
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION incentives_activity_total_add();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS incentives_activity_total_add ON incentives_ledgerentry;
DROP FUNCTION IF EXISTS incentives_activity_total_add();
"""

SQLITE_CREATE = f"""
CREATE TRIGGER incentives_activity_total_add
AFTER INSERT ON incentives_ledgerentry
WHEN NEW.activity_id IS NOT NULL AND NEW.kind IN {KINDS}
BEGIN
    INSERT INTO incentives_activitytotal (activity_id, total, entries) VALUES (NEW.activity_id, NEW.amount, 1)
    ON CONFLICT (activity_id) DO UPDATE SET
        total = incentives_activitytotal.total + excluded.total,
        entries = incentives_activitytotal.entries + excluded.entries;
END;
"""

SQLITE_DROP = "DROP TRIGGER IF EXISTS incentives_activity_total_add;"

BACKFILL = f"""
INSERT INTO incentives_activitytotal (activity_id, total, entries)
SELECT activity_id, SUM(amount), COUNT(*) FROM incentives_ledgerentry
WHERE activity_id IS NOT NULL AND kind IN {KINDS}
GROUP BY activity_id
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    schema_editor.execute(BACKFILL)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_activity_import_batch"),
        ("incentives", "0004_rule_set_v1_and_badges"),
    ]

    operations = [
        migrations.CreateModel(
            name="ActivityTotal",
            fields=[
                (
                    "activity",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="incentives_total",
                        serialize=False,
                        to="campaigns.activity",
                    ),
                ),
                ("total", models.IntegerField(default=0)),
                ("entries", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(install, remove),
    ]
