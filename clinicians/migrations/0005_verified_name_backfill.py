"""Clinicians verified before verified names existed: the name they carry now is the one kept on
public pages; later changes go to review."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    Clinician = apps.get_model("clinicians", "Clinician")
    Clinician.objects.filter(verification_status="verified", verified_name="").update(verified_name=F("display_name"))


class Migration(migrations.Migration):
    dependencies = [("clinicians", "0004_social_account_proofs_and_verified_name")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
