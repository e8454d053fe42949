"""The audit trail is append-only in the database itself (PostgreSQL): a trigger refuses UPDATE,
DELETE and TRUNCATE on auditlog_logentry, whichever client or ORM path tries. Django refuses the
same through core.receivers on every database; SQLite (the embedded default) has only that.

Purging entries past a retention period is an operator's job outside the application, as a
superuser with `SET session_replication_role = replica` (which skips ordinary triggers) in a
transaction of its own.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_trail_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_trail_append_only
    BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION audit_trail_refuse_change();
CREATE TRIGGER audit_trail_no_truncate
    BEFORE TRUNCATE ON auditlog_logentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_trail_no_truncate ON auditlog_logentry;
DROP TRIGGER IF EXISTS audit_trail_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS audit_trail_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outbox_message"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forward, backward)]
