"""Writes that span every app: the "My data" export and account deletion for one person, and the
association's roles (groups and their permissions, defined in advocacy_portal.roles).

Deletion anonymises rather than deletes the rows the association's figures rest on (ledger,
scores, activities' categories and metrics, participations, awards), so totals stay true while
nothing left identifies the person.
"""

import csv
import io
import json
import uuid
import zipfile

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from advocacy_portal.roles import LEGACY_STAFF_GROUP, REPORT_READER, ROLE_PERMISSIONS
from campaigns.models import Activity, Disclosure
from campaigns.services import activities_withdraw_pending
from clinicians.models import Clinician
from clinicians.services import clinician_verification_end
from core.models import Notification, NotificationEmailPreference, User
from core.spreadsheet import cell_safe
from incentives.models import Award, LedgerEntry, Redemption

DELETED_EMAIL_DOMAIN = "deleted.invalid"
DELETED_ACTIVITY_URL = "https://deleted.invalid/activity/"
WITHHELD_DISCLOSURE = "Withheld: the account was deleted."


def _dataset_rows(user: User) -> dict[str, list[dict]]:
    """Every kind of record the portal holds about the user, as plain dicts."""
    clinician = Clinician.objects.filter(user=user).first()
    profile = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    datasets: dict[str, list[dict]] = {"profile": [profile]}
    if clinician is not None:
        profile.update(
            {
                "display_name": clinician.display_name,
                "public_id": str(clinician.public_id),
                "profession": clinician.profession,
                "specialty": clinician.specialty,
                "specialty_other": clinician.specialty_other,
                "organisation": clinician.organisation,
                "country": clinician.country,
                "state": clinician.state,
                "bio": clinician.bio,
                "public_profile": clinician.public_profile,
                "leaderboard_opt_in": clinician.leaderboard_opt_in,
                "verification_status": clinician.verification_status,
                "verified_at": clinician.verified_at,
                "profile_completed_at": clinician.profile_completed_at,
            }
        )
        datasets["credentials"] = list(
            clinician.credentials.values(
                "kind",
                "identifier",
                "issuer",
                "expires_on",
                "status",
                "evidence_original_name",
                "evidence_content_type",
                "evidence_size",
                "registry_result",
                "registry_checked_at",
                "decided_at",
                "decision_reason",
                "created_at",
            )
        )
        datasets["social_accounts"] = list(
            clinician.social_accounts.values(
                "platform",
                "handle",
                "profile_url",
                "proof_status",
                "proof_method",
                "proven_at",
                "provider",
                "provider_account_id",
                "created_at",
            )
        )
        datasets["activities"] = list(
            Activity.objects.for_clinician(clinician).values(
                "platform",
                "url",
                "posted_at",
                "category",
                "campaign__title",
                "excerpt",
                "citations",
                "impressions",
                "likes",
                "shares",
                "comments",
                "clicks",
                "disclosure",
                "disclosure_text",
                "status",
                "proof",
                "proof_summary",
                "created_at",
            )
        )
        datasets["campaigns"] = list(
            clinician.participations.values("campaign__title", "campaign__slug", "joined_at", "left_at")
        )
        datasets["learning_completions"] = list(
            clinician.completions.values(
                "module__title", "module_version", "completed_at", "public_id", "is_public", "attempt__score_percent"
            )
        )
        datasets["learning_attempts"] = list(
            clinician.quiz_attempts.values("module__title", "module_version", "score_percent", "passed", "created_at")
        )
        datasets["ledger"] = list(
            LedgerEntry.objects.filter(clinician=clinician).values(
                "created_at", "kind", "amount", "memo", "activity__url"
            )
        )
        datasets["badges"] = list(
            Award.objects.filter(clinician=clinician).values("badge__code", "badge__name", "awarded_at")
        )
        datasets["redemptions"] = list(
            Redemption.objects.filter(clinician=clinician).values(
                "reward__name", "cost", "status", "note", "created_at"
            )
        )
    datasets["notifications"] = list(
        Notification.objects.for_user(user).values("kind", "title", "body", "url", "created_at", "read_at")
    )
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


def _files_delete(files: list[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)


def account_delete(*, user: User) -> str:
    """Remove or anonymise the user's personal data; return the pseudonym left in its place.

    Kept (anonymised) so the association's totals do not change: ledger entries, scores, awards,
    participations, redemptions (without notes), and activities' category, platform, dates and metrics.
    Nothing more is earned: posts still waiting are withdrawn and the verification ends.
    """
    pseudonym = uuid.uuid4().hex[:8]
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        clinician = Clinician.objects.filter(user=user).first()
        if clinician is not None:
            evidence_files = [
                (credential.evidence.storage, credential.evidence.name)
                for credential in clinician.credentials.exclude(evidence="")
            ]
            # Nothing more is earned: waiting posts are withdrawn and verification ends (as a lapse
            # now, so the points already in the kept ledger stay as they were).
            activities_withdraw_pending(clinician_id=clinician.pk)
            clinician = clinician_verification_end(clinician=clinician)
            clinician.credentials.all().delete()
            clinician.social_accounts.all().delete()
            Activity.objects.for_clinician(clinician).update(
                url=Concat(Value(DELETED_ACTIVITY_URL), Cast("pk", output_field=CharField()), output_field=CharField()),
                submitted_url="",
                excerpt="",
                citations=[],
                privacy_hits=[],
                review_reason="",
                proof_summary="",
            )
            Activity.objects.for_clinician(clinician).filter(disclosure=Disclosure.DISCLOSED).update(
                disclosure_text=WITHHELD_DISCLOSURE
            )
            Redemption.objects.filter(clinician=clinician).update(note="")
            # Certificates stay counted in the learning report but no longer verify publicly.
            clinician.completions.update(is_public=False)
            clinician.display_name = f"Deleted clinician {pseudonym}"
            clinician.public_id = uuid.uuid4()
            clinician.organisation = ""
            clinician.specialty_other = ""
            clinician.state = ""
            clinician.bio = ""
            clinician.public_profile = False
            clinician.leaderboard_opt_in = False
            clinician.full_clean()
            clinician.save(
                update_fields=[
                    "display_name",
                    "public_id",
                    "organisation",
                    "specialty_other",
                    "state",
                    "bio",
                    "public_profile",
                    "leaderboard_opt_in",
                    "updated_at",
                ]
            )
            # Files are removed only once the rows are gone for good.
            transaction.on_commit(lambda: _files_delete(evidence_files))
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Notification.objects.filter(user=user).delete()
        NotificationEmailPreference.objects.filter(user=user).delete()
        user.email = f"deleted-{uuid.uuid4().hex}@{DELETED_EMAIL_DOMAIN}"
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
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
