"""The clinician's share of "My data" held by campaigns: logged posts, campaign participation,
activity imports and short links for the export, and, when the account is deleted, the posts'
anonymisation, the imports' removal and the short links' new codes.

The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

import secrets

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from campaigns.models import Activity, ActivityImportBatch, Disclosure, TrackedLink
from campaigns.services import METRIC_FIELDS, activities_withdraw_pending
from clinicians.models import Clinician

DELETED_ACTIVITY_URL = "https://deleted.invalid/activity/"
WITHHELD_DISCLOSURE = "Withheld: the account was deleted."
ACTIVITY_FIELDS = (
    "platform",
    "url",
    "posted_at",
    "category",
    "campaign__title",
    "excerpt",
    "citations",
    *METRIC_FIELDS,
    "disclosure",
    "disclosure_text",
    "status",
    "proof",
    "proof_summary",
    "created_at",
)
PARTICIPATION_FIELDS = ("campaign__title", "campaign__slug", "joined_at", "left_at")
TRACKED_LINK_FIELDS = ("code", "campaign__title", "toolkit_item__url", "clicks", "created_at")


def _import_summary(batch: ActivityImportBatch) -> dict:
    """An activity import as the person sees it on the import page: the file, when, and the counts
    (the rows themselves are in `activities` once saved)."""
    return {
        "filename": batch.filename,
        "created_at": batch.created_at,
        "confirmed_at": batch.confirmed_at,
        "rows": len(batch.rows),
        "rows_with_problems": len(batch.invalid_rows),
        "saved_count": batch.saved_count,
        "rejected_count": len(batch.rejected),
    }


def campaigns_personal_data(*, clinician: Clinician) -> dict[str, list[dict]]:
    """The clinician's activities, campaign participations, activity imports (a summary of each)
    and short links with their click counts."""
    return {
        "activities": list(Activity.objects.for_clinician(clinician).values(*ACTIVITY_FIELDS)),
        "campaigns": list(clinician.participations.values(*PARTICIPATION_FIELDS)),
        "activity_imports": [_import_summary(batch) for batch in clinician.import_batches.order_by("created_at", "pk")],
        "short_links": list(clinician.tracked_links.order_by("created_at", "pk").values(*TRACKED_LINK_FIELDS)),
    }


@transaction.atomic
def campaigns_personal_data_erase(*, clinician: Clinician) -> None:
    """Withdraw the posts still waiting (nothing logged before deletion is priced after it), then
    strip every post of what identifies its author: the link becomes a unique placeholder, the
    excerpt, citations, privacy hits, review reason and proof summary go, a disclosure is withheld.
    Category, platform, dates, metrics, status and participations stay, so the figures do not change.

    Activity imports are deleted (their stored rows hold the links and excerpts; no figure counts
    them). Short links keep their rows and click counts on the anonymised clinician, so every report
    figure (campaign, evidence link, specialty, per clinician) stays as it was, but each gets a new
    random code: the address in the person's public posts (`/l/<old code>`) no longer leads to the
    kept record (it answers 404 and counts nothing more)."""
    activities_withdraw_pending(clinician_id=clinician.pk)
    activities = Activity.objects.for_clinician(clinician)
    activities.update(
        url=Concat(Value(DELETED_ACTIVITY_URL), Cast("pk", output_field=CharField()), output_field=CharField()),
        submitted_url="",
        excerpt="",
        citations=[],
        privacy_hits=[],
        review_reason="",
        proof_summary="",
    )
    activities.filter(disclosure=Disclosure.DISCLOSED).update(disclosure_text=WITHHELD_DISCLOSURE)
    clinician.import_batches.all().delete()
    links = list(TrackedLink.objects.filter(clinician=clinician).only("pk"))
    for link in links:
        link.code = secrets.token_urlsafe(12)  # 16 characters, never handed out
    TrackedLink.objects.bulk_update(links, ["code"])
