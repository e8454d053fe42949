"""The clinician's share of "My data" held by incentives: ledger entries, badges and redemptions
and weekly digests for the export, and, when the account is deleted, the redemptions' notes and
delivery details and the digests' record.

The ledger, scores and awards are kept as they are: the association's totals rest on them, and
without the profile (erased by clinicians) nothing in them identifies the person.
The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

from clinicians.models import Clinician
from incentives.models import Award, LedgerEntry, Redemption, WeeklyDigest

LEDGER_FIELDS = ("created_at", "kind", "amount", "memo", "activity__url")
AWARD_FIELDS = ("badge__code", "badge__name", "awarded_at")
REDEMPTION_FIELDS = ("reward__name", "cost", "status", "note", "delivery_name", "delivery_address", "created_at")
DIGEST_FIELDS = ("week_of", "rank_overall", "lifetime", "sent_at")


def incentives_personal_data(*, clinician: Clinician) -> dict[str, list[dict]]:
    """The clinician's ledger entries, badges, redemptions and weekly digests sent."""
    return {
        "ledger": list(LedgerEntry.objects.filter(clinician=clinician).values(*LEDGER_FIELDS)),
        "badges": list(Award.objects.filter(clinician=clinician).values(*AWARD_FIELDS)),
        "redemptions": list(Redemption.objects.filter(clinician=clinician).values(*REDEMPTION_FIELDS)),
        "weekly_digests": list(WeeklyDigest.objects.filter(clinician=clinician).values(*DIGEST_FIELDS)),
    }


def incentives_personal_data_erase(*, clinician: Clinician) -> None:
    """Redemptions are kept (the rewards were handed out) without the clinician's notes and delivery
    details; the record of digests sent goes (no figure rests on it)."""
    Redemption.objects.filter(clinician=clinician).update(note="", delivery_name="", delivery_address="")
    WeeklyDigest.objects.filter(clinician=clinician).delete()
