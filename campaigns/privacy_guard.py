"""Patient-privacy guard: finds likely patient identifiers in a post's text before it is saved.

It is deliberately a set of plain, readable patterns rather than a model: each hit names the rule
that fired and the exact span, so the clinician sees what to remove and a moderator sees why an
activity was flagged. It favours recall on the identifiers HIPAA names (dates of birth, record and
account numbers, phone numbers, emails, street addresses) and on case descriptions ("my patient" with
an age or a condition, a name next to clinical details), and keeps precision by ignoring public
hotlines (toll-free numbers) and generic talk about patients. Its precision and recall are measured
on a labelled set in tests/campaigns/privacy_labelled.py.
"""

import re
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PrivacyHit:
    kind: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


KIND_LABELS = {
    "date_of_birth": "Date of birth",
    "record_number": "Medical record or account number",
    "phone": "Phone number",
    "email": "Email address",
    "street_address": "Street address",
    "case_description": "Patient with an age or condition",
    "name_with_clinical_detail": "Name next to clinical details",
}

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*"
DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    rf"|{MONTH}\.? \d{{1,2}},? \d{{4}}|\d{{1,2}} {MONTH} \d{{4}})"
)
CONDITIONS = (
    r"cancer|carcinoma|leukemia|lymphoma|melanoma|tumou?r|diabetes|hiv|aids|hepatitis|covid|measles|"
    r"tuberculosis|tb|stroke|heart attack|myocardial infarction|mi|sepsis|overdose|schizophrenia|"
    r"bipolar|depression|dementia|alzheimer'?s|parkinson'?s|ms|multiple sclerosis|copd|asthma|"
    r"pneumonia|fracture|miscarriage|pregnan\w*|anorexia|opioid use disorder|addiction|seizures?|"
    r"epilepsy|kidney failure|dialysis|transplant|std|sti|syphilis|chlamydia|gonorrh?ea|psychosis|"
    r"suicid\w*|[a-z]+itis|[a-z]+oma"
)
AGE = r"\b\d{1,3}[- ]?(?:year|yr|month|week)s?[- ]old\b|\b\d{1,3}\s?(?:yo|y/o|M|F)\b"
PATIENT_REFERENCE = (
    r"\b(?:my|our|this|a) (?:patient|pt)s?\b|\bpatient of mine\b"
    r"|\bI (?:saw|treated|admitted|diagnosed|examined|delivered)\b"
)
NAME = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][a-z]+|[A-Z][a-z]+ [A-Z][a-z]+|[A-Z][a-z]+"
CLINICAL_VERB = (
    r"(?:was|is|got|has been|had been|came in|presented)\s+(?:diagnosed|admitted|discharged|treated|"
    r"intubated|prescribed|hospitali[sz]ed|rushed|brought|with)"
)
NOT_NAMES = frozenset(
    [
        "She",
        "He",
        "They",
        "It",
        "This",
        "That",
        "Everyone",
        "Nobody",
        "Someone",
        "Anyone",
        "Who",
        "Which",
        "Patient",
        "Patients",
        "My",
        "Our",
        "Your",
        "Their",
        "His",
        "Her",
        "The",
        "A",
        "An",
        "One",
        "Nothing",
        "Everybody",
        "Somebody",
        "What",
        "When",
        "Where",
        "Why",
        "How",
        "Today",
        "Yesterday",
    ]
)

RULES: list[tuple[str, re.Pattern]] = [
    (
        "date_of_birth",
        re.compile(
            rf"\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?|birthdate|b\.)\s*(?:is\s+|was\s+|:\s*)?{DATE}",
            re.IGNORECASE,
        ),
    ),
    (
        "record_number",
        re.compile(
            r"\b(?:MRN|medical record(?: number| no\.?| #)?|record (?:number|no\.?|#)|account (?:number|no\.?|#)|"
            r"acct\.?(?: no\.?| #)?|chart (?:number|no\.?|#)|patient id|SSN|social security number)"
            r"\s*[:#]?\s*[A-Z]{0,3}\d[\d-]{3,}",
            re.IGNORECASE,
        ),
    ),
    (
        "phone",
        re.compile(
            r"(?<![\d-])(?:\+?1[\s.-]?)?\(?(?!8(?:00|33|44|55|66|77|88)\b)[2-9]\d{2}\)?[\s.-]\d{3}[\s.-]\d{4}\b"
        ),
    ),
    ("email", re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")),
    (
        "street_address",
        re.compile(
            r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|"
            r"Court|Ct|Way|Place|Pl|Terrace|Circle)\b\.?"
        ),
    ),
    (
        "case_description",
        re.compile(
            rf"(?:{PATIENT_REFERENCE})[^.!?\n]{{0,80}}?(?:{AGE}|\b(?:{CONDITIONS})\b)"
            rf"|(?:{AGE})[^.!?\n]{{0,40}}?(?:{PATIENT_REFERENCE})",
            re.IGNORECASE,
        ),
    ),
    (
        "name_with_clinical_detail",
        re.compile(
            rf"\b(?:[Pp]atient|[Pp]t\.?)\s+(?P<a>{NAME})\b"
            rf"|\b(?P<b>{NAME}),?\s+(?:(?:age |aged )?\d{{1,3}},?\s+)?{CLINICAL_VERB}"
        ),
    ),
]


def _is_name_hit(match: re.Match) -> bool:
    name = match.group("a") or match.group("b") or ""
    first = name.split()[0].rstrip(".") if name else ""
    return bool(name) and first not in NOT_NAMES


def privacy_scan(text: str) -> list[PrivacyHit]:
    """Every likely patient identifier in text, as non-overlapping spans in reading order."""
    hits: list[PrivacyHit] = []
    for kind, pattern in RULES:
        for match in pattern.finditer(text or ""):
            if kind == "name_with_clinical_detail" and not _is_name_hit(match):
                continue
            hits.append(PrivacyHit(kind=kind, start=match.start(), end=match.end(), text=match.group(0)))
    hits.sort(key=lambda hit: (hit.start, -hit.end))
    kept: list[PrivacyHit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept
