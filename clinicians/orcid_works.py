"""Reading the works on a clinician's ORCID record, to know which DOIs are their own publications.

Called by the worker only (clinicians.tasks.orcid_works_fetch). ORCID's public API v3.0,
``GET <ORCID_PUBLIC_API_URL>/v3.0/<orcid>/works`` with ``Accept: application/json``, needs no token
for public works: each ``group`` lists the work's ``external-ids``; the DOIs with relationship
``self`` are the clinician's own works (a ``part-of`` DOI names the journal or book, not the work).
"""

import re

import requests
from django.conf import settings

ORCID_ID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


class WorksUnavailable(Exception):
    """ORCID could not answer now (network, timeout, 429, 5xx): try again later."""


def doi_key(value: str) -> str:
    """A DOI in the form two citations of the same work compare equal (DOIs are case-insensitive)."""
    text = value.strip().lower()
    for prefix in DOI_PREFIXES:
        text = text.removeprefix(prefix)
    return text.strip()


def orcid_work_dois(*, orcid: str) -> list[str]:
    """The DOIs of the record's own works, lower-case, sorted; raises WorksUnavailable or ValueError."""
    if not ORCID_ID.match(orcid):
        raise ValueError(f"{orcid!r} is not an ORCID iD")
    base = settings.ORCID_PUBLIC_API_URL.rstrip("/")
    try:
        response = requests.get(
            f"{base}/v3.0/{orcid}/works",
            headers={"Accept": "application/json", "User-Agent": "AdvocacyPortal-ORCID/1.0"},
            timeout=settings.ORCID_FETCH_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise WorksUnavailable(f"{type(error).__name__} reading ORCID") from error
    if response.status_code == 429 or response.status_code >= 500:
        raise WorksUnavailable(f"ORCID answered {response.status_code}")
    if response.status_code != 200:
        raise ValueError(f"ORCID answered {response.status_code}")
    try:
        groups = response.json().get("group") or []
    except (ValueError, AttributeError) as error:
        raise WorksUnavailable("ORCID answered something that is not a works list") from error
    dois: set[str] = set()
    for group in groups:
        for external in ((group or {}).get("external-ids") or {}).get("external-id") or []:
            if (
                isinstance(external, dict)
                and str(external.get("external-id-type", "")).lower() == "doi"
                and external.get("external-id-relationship", "self") == "self"
                and external.get("external-id-value")
            ):
                dois.add(doi_key(str(external["external-id-value"])))
    return sorted(dois)
