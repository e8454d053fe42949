"""On PostgreSQL the database itself refuses UPDATE and DELETE of ledger entries (append-only).

TRUNCATE fires no row trigger: migration 0008 refuses it with a statement-level trigger.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION incentives_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'incentives_ledgerentry is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incentives_ledger_append_only
    BEFORE UPDATE OR DELETE ON incentives_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION incentives_ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS incentives_ledger_append_only ON incentives_ledgerentry;
DROP FUNCTION IF EXISTS incentives_ledger_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("incentives", "0002_score_leaderboard_periods")]

    operations = [migrations.RunPython(install, remove)]
