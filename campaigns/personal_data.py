"""The clinician's share of "My data" held by campaigns: logged posts and campaign participation
for the export, and, when the account is deleted, the posts' anonymisation.

The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from campaigns.models import Activity, Disclosure
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


def campaigns_personal_data(*, clinician: Clinician) -> dict[str, list[dict]]:
    """The clinician's activities and campaign participations."""
    return {
        "activities": list(Activity.objects.for_clinician(clinician).values(*ACTIVITY_FIELDS)),
        "campaigns": list(clinician.participations.values(*PARTICIPATION_FIELDS)),
    }


@transaction.atomic
def campaigns_personal_data_erase(*, clinician: Clinician) -> None:
    """Withdraw the posts still waiting (nothing logged before deletion is priced after it), then
    strip every post of what identifies its author: the link becomes a unique placeholder, the
    excerpt, citations, privacy hits, review reason and proof summary go, a disclosure is withheld.
    Category, platform, dates, metrics, status and participations stay, so the figures do not change."""
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
