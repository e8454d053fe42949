"""Posts logged before account proofs existed keep the rules they were logged under: their proof is
"grandfathered", so nothing already accepted is silently repriced and nothing waiting is stuck."""

from django.db import migrations

GRANDFATHERED_NOTE = "Logged before account proofs existed (grandfathered)."


def grandfather(apps, schema_editor):
    Activity = apps.get_model("campaigns", "Activity")
    Activity.objects.filter(proof="unproven").update(proof="grandfathered", proof_summary=GRANDFATHERED_NOTE)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0007_activity_account_proof")]

    operations = [migrations.RunPython(grandfather, migrations.RunPython.noop)]
