"""Evidence citations on an activity: DOIs, PubMed ids and web links, checked by syntax only."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(?P<doi>10\.\d{4,9}/\S+)$", re.IGNORECASE)
PMID = re.compile(r"^(?:PMID:?\s*)?(?P<pmid>\d{1,9})$", re.IGNORECASE)
SEPARATORS = re.compile(r"[\n;]+")
MAX_CITATIONS = 20


def citation_normalise(text: str) -> str:
    """One citation in canonical form ('10.xxxx/...', 'PMID:123', or the URL); ValidationError if none fits."""
    value = text.strip().rstrip(".,")
    if match := DOI.match(value):
        return match.group("doi")
    if match := PMID.match(value):
        return f"PMID:{int(match.group('pmid'))}"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            f"“{value[:80]}” is not a DOI (10.xxxx/...), a PMID (digits) or a web link.", code="citation"
        ) from None
    return value


def citations_parse(text: str) -> list[str]:
    """Split text on new lines or semicolons and normalise each citation, dropping duplicates."""
    found: list[str] = []
    errors: list[ValidationError] = []
    for part in SEPARATORS.split(text or ""):
        if not part.strip():
            continue
        try:
            citation = citation_normalise(part)
        except ValidationError as error:
            errors.append(error)
            continue
        if citation not in found:
            found.append(citation)
    if errors:
        raise ValidationError(errors)
    if len(found) > MAX_CITATIONS:
        raise ValidationError(f"At most {MAX_CITATIONS} citations.", code="citations_too_many")
    return found
