"""On PostgreSQL, TRUNCATE of the ledger or of its hash chain is refused too.

Row triggers (migration 0003) refuse UPDATE and DELETE, but TRUNCATE fires no row trigger, and a
``TRUNCATE clinicians_clinician CASCADE`` would empty the ledger with it. A statement-level trigger
refuses it unless the session explicitly allows it for a deliberate wipe of a test or benchmark
database: ``SET LOCAL advocacy.allow_ledger_truncate = 'on'`` (the test suite sets it on its own
connections; ``seed_demo --reset`` in scale mode sets it for its transaction). The application's
own database role (``manage.py app_database_role``) has no TRUNCATE privilege at all.
"""

from django.db import migrations

TABLES = ("incentives_ledgerentry", "incentives_ledgerlink")

CREATE = """
CREATE OR REPLACE FUNCTION incentives_ledger_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('advocacy.allow_ledger_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION incentives_ledger_no_truncate();
"""
    for table in TABLES
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS incentives_ledger_no_truncate();"
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("incentives", "0007_ledger_hash_chain")]

    operations = [migrations.RunPython(install, remove)]
