"""The hash chain's table of links (``incentives.ledger_chain``) and, on PostgreSQL, its guards.

- ``incentives_ledgerlink`` is append-only like the ledger: UPDATE, DELETE and TRUNCATE are refused.
- Every INSERT statement into the ledger first takes the chain's advisory lock in shared mode (held
  until its transaction ends), so the sealer, which takes it exclusively, never seals past an id
  that a transaction still in flight may commit later. Key 7400012112 = ``ledger_chain.SEAL_LOCK_KEY``.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION incentives_ledgerlink_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'incentives_ledgerlink is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incentives_ledgerlink_append_only
    BEFORE UPDATE OR DELETE ON incentives_ledgerlink
    FOR EACH ROW EXECUTE FUNCTION incentives_ledgerlink_append_only();

CREATE OR REPLACE FUNCTION incentives_ledger_seal_gate() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(7400012112);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incentives_ledger_seal_gate
    BEFORE INSERT ON incentives_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION incentives_ledger_seal_gate();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS incentives_ledger_seal_gate ON incentives_ledgerentry;
DROP FUNCTION IF EXISTS incentives_ledger_seal_gate();
DROP TRIGGER IF EXISTS incentives_ledgerlink_append_only ON incentives_ledgerlink;
DROP FUNCTION IF EXISTS incentives_ledgerlink_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('incentives', '0006_clinician_covering_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerLink',
            fields=[
                ('sequence', models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ('hash', models.CharField(max_length=64)),
                ('sealed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('entry', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='chain_link', to='incentives.ledgerentry')),
            ],
            options={
                'ordering': ['sequence'],
            },
        ),
        migrations.RunPython(install, remove),
    ]
