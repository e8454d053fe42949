"""Patient-privacy guard: finds text in a post that could identify a patient, before it is saved.

Every path that stores post text calls `privacy_scan` (the activity form and its live check, the CSV
import through `activity_record`, metric edits, and campaign toolkit posts). Each hit names a kind
(HIPAA Safe Harbor's identifier kinds, plus the quasi-identifier combinations that identify a patient
in a small community), the exact character span, and a short explanation, so the clinician sees what
to remove and a moderator sees why the post was held.

How it decides:
- Identifiers that stand alone (a social security number, a labelled record, plan, account, licence,
  device or vehicle number, a room or bed number, an IP address) are hits wherever they appear.
- Phone and fax numbers are found by Google's libphonenumber (`phonenumbers`) in any national or
  international format; toll-free and short numbers, and numbers introduced as the clinician's own
  office or a hotline, are left alone.
- Everything else (names, places, dates and times, ages, photos, web pages) is a hit only when the
  sentence around it (or its neighbour) talks about one particular patient or one care event: "my
  patient", "a 34-year-old", "I delivered", "was admitted", "came in with". Statistics, research,
  hotlines, the clinician's own story and officials in their public role carry no such context.
- Every hit the rules find (also one their "not a patient" context set aside) is scored in its context by
  campaigns.privacy_hit_model (kind, which rule, the context's reasons, what the sentences around it are
  about, the words near it); the hits at or above its threshold are kept.
- When no hit is kept, a learned scorer (campaigns.privacy_model: a logistic regression over
  the post's words and the rules' sentence context, trained on the labelled corpus) reads the whole
  post; above its threshold it reports the sentence that weighs most, as kind "patient_detail".
- First and last names come from the US Census name lists shipped by the `names` package, read on
  first use so that importing this module stays cheap.
"""

import hashlib
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PrivacyHit:
    kind: str
    start: int
    end: int
    text: str
    explanation: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


KIND_LABELS = {
    "name": "Patient's name",
    "geographic": "Place (town, street, school, workplace)",
    "room_bed_unit": "Room, bed, unit or ward",
    "date": "Date or time tied to care",
    "phone": "Phone number",
    "fax": "Fax number",
    "email": "Email address",
    "ssn": "Social security or national insurance number",
    "mrn": "Medical record or health service number",
    "health_plan_id": "Health plan or insurance member ID",
    "account_number": "Account or billing number",
    "license_number": "Licence or ID card number",
    "vehicle_id": "Vehicle plate or VIN",
    "device_id": "Device serial number",
    "url": "Web address about a patient",
    "ip_address": "IP address",
    "biometric": "Biometric or distinctive mark",
    "photo": "Photo or screenshot of a patient",
    "other_unique_code": "Other unique code",
    "age_occupation_place": "Age with an occupation or place",
    "rare_condition_place_time": "Rare condition with a place or time",
    "public_figure_condition": "Well-known person with a condition",
    "first_name_or_initials_with_detail": "First name or initials with a detail",
    "child_name_town": "Child's name with a town",
    "patient_detail": "Details that together may identify a patient",
}


def privacy_scan(text: str) -> list[PrivacyHit]:
    """Every likely patient identifier in text, as non-overlapping spans in reading order."""
    if not text or not text.strip():
        return []
    # The rules compile a few hundred patterns and read the name lists: loaded by the first scan, so
    # that importing this module (every process start, through services and views) stays cheap.
    from campaigns import privacy_hit_model, privacy_model, privacy_rules

    found = privacy_rules.evidence(text)
    # Round 5: every recogniser's hit (also those the "not a patient" context set aside) is scored in its
    # context by a second learned layer; the hits it keeps stop the save, with the rules' kind, span and words.
    kept = privacy_hit_model.keep(found, privacy_model.tokens(text))
    if kept:
        return kept
    # The rules found nothing they know by shape: the learned scorer reads the whole post for wording
    # like the labelled posts that identify a patient, and points at the sentence that weighs most.
    verdict = privacy_model.judge(text, set(found.flags), found.sentences)
    if verdict.score < verdict.threshold or verdict.end <= verdict.start:
        return []
    words = ", ".join(f"“{word}”" for word in verdict.words)
    return [
        PrivacyHit(
            kind="patient_detail",
            start=verdict.start,
            end=verdict.end,
            text=text[verdict.start : verdict.end],
            explanation=(
                f"this sentence reads like posts that identify a patient (score {verdict.score:.2f} of 1"
                + (f"; most telling: {words}" if words else "")
                + "): a name, place, time or detail that singles someone out?"
            ),
        )
    ]


def privacy_hits_for(text: str) -> list[dict]:
    """The hits as stored on an activity and shown to people: each with its kind's label.

    The live check on the form and every save call this one function, so what the clinician sees
    highlighted while typing is exactly what a save would stop on."""
    return [{**hit.as_dict(), "label": KIND_LABELS.get(hit.kind, hit.kind)} for hit in privacy_scan(text)]


def privacy_summary(hits: list[dict]) -> str:
    """One line naming what was found, for the clinician's confirmation and the moderator's queue."""
    return "; ".join(f"{KIND_LABELS.get(hit['kind'], hit['kind'])}: “{hit['text']}”" for hit in hits)


def privacy_fingerprint(hits: list[dict]) -> str:
    """What the clinician confirmed, as a short digest of each hit's kind and text (not its position).

    A save anyway carries the fingerprint of the hits shown next to the tick; if the text then gains
    a new detail, the fingerprints differ and the clinician must confirm again."""
    if not hits:
        return ""
    material = "\n".join(f"{hit['kind']}\t{hit['text']}" for hit in hits)
    return hashlib.sha256(material.encode()).hexdigest()[:20]
