"""Writes that span every app: the "My data" export and account deletion for one person, and the
association's roles (groups and their permissions, defined in advocacy_portal.roles).

Each app owns its share of a person's data in its `personal_data` module (`<app>_personal_data`
for the export, `<app>_personal_data_erase` for deletion); this module only assembles them.

Deletion anonymises rather than deletes the rows the association's figures rest on (ledger,
scores, activities' categories and metrics, participations, awards), so totals stay true while
nothing left identifies the person.
"""

import csv
import io
import json
import uuid
import zipfile

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from advocacy_portal.roles import LEGACY_STAFF_GROUP, REPORT_READER, ROLE_PERMISSIONS
from api.personal_data import api_personal_data, api_personal_data_erase
from campaigns.personal_data import campaigns_personal_data, campaigns_personal_data_erase
from clinicians.models import Clinician
from clinicians.personal_data import clinicians_personal_data, clinicians_personal_data_erase
from core.models import User
from core.personal_data import core_personal_data, core_personal_data_erase
from core.spreadsheet import cell_safe
from incentives.personal_data import incentives_personal_data, incentives_personal_data_erase
from learning.personal_data import learning_personal_data, learning_personal_data_erase
from reports.personal_data import reports_personal_data


def _dataset_rows(user: User) -> dict[str, list[dict]]:
    """Every kind of record the portal holds about the user, as plain dicts: each app's own share
    (its `<app>_personal_data`), the account's and the clinician's profile fields in one row."""
    account = core_personal_data(user=user)
    datasets: dict[str, list[dict]] = {"profile": account["profile"]}
    clinician = Clinician.objects.filter(user=user).first()
    if clinician is not None:
        clinician_datasets = clinicians_personal_data(clinician=clinician)
        datasets["profile"][0].update(clinician_datasets.pop("profile")[0])
        datasets |= clinician_datasets
        datasets |= campaigns_personal_data(clinician=clinician)
        datasets |= learning_personal_data(clinician=clinician)
        datasets |= incentives_personal_data(clinician=clinician)
    datasets |= api_personal_data(user=user)
    datasets |= reports_personal_data(user=user)
    datasets["notifications"] = account["notifications"]
    datasets["connected_providers"] = account["connected_providers"]
    return datasets


def _csv_text(rows: list[dict]) -> str:
    """One dataset as CSV; text a spreadsheet would run as a formula is written as text (core.spreadsheet)."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    key: cell_safe(json.dumps(value) if isinstance(value, list | dict) else value)
                    for key, value in row.items()
                }
            )
    return buffer.getvalue()


def my_data_export(*, user: User) -> bytes:
    """A zip of `<dataset>.json` and `<dataset>.csv` for each dataset. Evidence file contents are
    not included (only their metadata): they are the association's verification records."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in _dataset_rows(user).items():
            archive.writestr(f"{name}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2))
            archive.writestr(f"{name}.csv", _csv_text(json.loads(json.dumps(rows, cls=DjangoJSONEncoder))))
        archive.writestr(
            "README.txt",
            "Everything the Advocacy Portal holds about you, as JSON and CSV.\n"
            "Credential evidence documents are listed by name, type and size only.\n",
        )
    return buffer.getvalue()


def account_delete(*, user: User) -> str:
    """Remove or anonymise the user's personal data; return the pseudonym left in its place.

    Each app erases its own share (its `<app>_personal_data_erase`), in one transaction. Kept
    (anonymised) so the association's totals do not change: ledger entries, scores, awards,
    participations, redemptions (without notes), activities' category, platform, dates and metrics,
    and short links' click counts (under new codes). API tokens are deleted.
    Nothing more is earned: posts still waiting are withdrawn first, then the verification ends.
    """
    pseudonym = uuid.uuid4().hex[:8]
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        clinician = Clinician.objects.filter(user=user).first()
        if clinician is not None:
            campaigns_personal_data_erase(clinician=clinician)
            learning_personal_data_erase(clinician=clinician)
            incentives_personal_data_erase(clinician=clinician)
            clinicians_personal_data_erase(clinician=clinician, pseudonym=pseudonym)
        api_personal_data_erase(user=user)
        core_personal_data_erase(user=user)
    return pseudonym


def roles_sync(*, apps: Apps = installed_apps, skip_missing: bool = False) -> None:
    """Make each role's group hold exactly the permissions advocacy_portal.roles lists. Safe to repeat.

    Run by the data migration (with its historical `apps`, where `skip_missing` lets a permission of
    an app migrated later wait for the next run) and after every migrate. The legacy "Association
    staff" group becomes "Report reader", members included.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # On a fresh database Django creates permissions only after the last migration; the data
    # migration needs them now (historical app configs have no models module, hence the flag).
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    legacy = Group.objects.filter(name=LEGACY_STAFF_GROUP).first()
    if legacy is not None:
        if Group.objects.filter(name=REPORT_READER).exists():
            Group.objects.get(name=REPORT_READER).user_set.add(*legacy.user_set.all())
            legacy.delete()
        else:
            legacy.name = REPORT_READER
            legacy.save(update_fields=["name"])
    for role, names in ROLE_PERMISSIONS.items():
        wanted = {tuple(name.split(".", 1)) for name in names}
        permissions = [
            permission
            for permission in Permission.objects.filter(
                codename__in={codename for _, codename in wanted}
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        found = {(permission.content_type.app_label, permission.codename) for permission in permissions}
        if found != wanted and not skip_missing:
            missing = ", ".join(sorted(".".join(name) for name in wanted - found))
            raise LookupError(f"Role {role!r} names permissions that do not exist: {missing}")
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions)
