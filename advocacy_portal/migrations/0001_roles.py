"""The association's roles as groups with exactly their permissions (advocacy_portal.roles);
renames the former "Association staff" group to "Report reader"."""

from django.db import migrations


def create(apps, schema_editor):
    from advocacy_portal.services import roles_sync

    roles_sync(apps=apps, skip_missing=True)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_audit_trail_append_only"),
        ("auditlog", "0017_add_actor_email"),
        ("clinicians", "0006_custom_permissions"),
        ("campaigns", "0010_custom_permissions"),
        ("incentives", "0010_custom_permissions"),
        ("reports", "0003_report_heartbeat"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
