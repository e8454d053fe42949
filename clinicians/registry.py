"""Client for the NPPES NPI Registry API (v2.1) and the comparison of its answer with a profile.

The comparison is deliberately simple and explainable to a reviewer:
- name: the profile's display name, without titles ("Dr", "MD", ...) and punctuation, must contain
  the registry's first and last name as words (case-insensitive);
- state: the profile's US state must equal the state of a LOCATION address or of a taxonomy;
- taxonomy: one word of the profession/specialty vocabulary (below) must appear in a taxonomy
  description, e.g. specialty "gastroenterology" matches "Internal Medicine, Gastroenterology".
"""

import re
from dataclasses import dataclass, field

import requests
from django.conf import settings

from clinicians.models import Clinician

RegistryUnreachable = requests.RequestException

TITLE_WORDS = {"dr", "doctor", "md", "do", "np", "pa", "rn", "pharmd", "dds", "dmd", "phd", "mr", "mrs", "ms", "prof"}

# Words expected in an NPPES taxonomy description for each profession and specialty.
TAXONOMY_WORDS: dict[str, tuple[str, ...]] = {
    "md": ("medicine", "surgery", "pediatrics", "psychiatry", "radiology", "anesthesiology", "physician"),
    "do": ("medicine", "surgery", "pediatrics", "psychiatry", "radiology", "anesthesiology", "physician"),
    "np": ("nurse practitioner",),
    "pa": ("physician assistant",),
    "rn": ("registered nurse",),
    "pharmd": ("pharmacist",),
    "dds": ("dentist",),
    "psychologist": ("psycholog",),
    "dietitian": ("dietitian", "nutrition"),
    "pt": ("physical therapist",),
    "allergy": ("allergy",),
    "anesthesiology": ("anesthesiology",),
    "cardiology": ("cardio",),
    "dermatology": ("dermatology",),
    "emergency": ("emergency",),
    "endocrinology": ("endocrin",),
    "family": ("family",),
    "gastroenterology": ("gastroenterology",),
    "geriatrics": ("geriatric",),
    "infectious": ("infectious",),
    "internal": ("internal medicine",),
    "nephrology": ("nephrology",),
    "neurology": ("neurology",),
    "nursing": ("nurse",),
    "nutrition": ("dietitian", "nutrition"),
    "obgyn": ("obstetrics", "gynecology"),
    "oncology": ("oncology",),
    "ophthalmology": ("ophthalmology",),
    "pediatrics": ("pediatric",),
    "pharmacy": ("pharmacist",),
    "physical_therapy": ("physical therapist",),
    "psychiatry": ("psychiatry",),
    "psychology": ("psycholog",),
    "public_health": ("public health", "preventive"),
    "pulmonology": ("pulmonary",),
    "radiology": ("radiology",),
    "surgery": ("surgery",),
}


@dataclass
class RegistryComparison:
    """The outcome of comparing one registry answer with a clinician profile."""

    found: bool
    active: bool = False
    name_ok: bool = False
    state_ok: bool = False
    taxonomy_ok: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def full_match(self) -> bool:
        return self.found and self.name_ok and self.state_ok and self.taxonomy_ok


def npi_lookup(*, number: str) -> dict:
    """GET the registry's answer for one NPI. Raises RegistryUnreachable when it cannot be had."""
    response = requests.get(
        f"{settings.NPPES_BASE_URL.rstrip('/')}/api/",
        params={"version": "2.1", "number": number},
        timeout=settings.NPPES_TIMEOUT_SECONDS,
    )
    response.raise_for_status()
    try:
        return response.json()
    except ValueError as error:
        raise requests.RequestException(f"registry answered something other than JSON: {error}") from error


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[^a-z]+", text.lower()) if word and word not in TITLE_WORDS]


def registry_compare(*, answer: dict, clinician: Clinician) -> RegistryComparison:
    """Compare a registry answer with the profile: name, state and taxonomy (see module docstring)."""
    if answer.get("Errors"):
        descriptions = "; ".join(str(e.get("description", "")) for e in answer["Errors"])
        return RegistryComparison(found=False, problems=[f"The registry refused the query: {descriptions}"])
    results = answer.get("results") or []
    if not answer.get("result_count") or not results:
        return RegistryComparison(found=False, problems=["The registry does not know this NPI."])
    result = results[0]
    basic = result.get("basic") or {}
    taxonomies = result.get("taxonomies") or []
    comparison = RegistryComparison(found=True, active=basic.get("status") == "A")
    if not comparison.active:
        comparison.problems.append(f"The registry lists this NPI as not active (status {basic.get('status')!r}).")

    profile_words = _words(clinician.display_name)
    registry_names = [_words(basic.get("first_name", "")), _words(basic.get("last_name", ""))]
    comparison.name_ok = all(name and all(w in profile_words for w in name) for name in registry_names)
    if not comparison.name_ok:
        registry_name = f"{basic.get('first_name', '')} {basic.get('last_name', '')}".strip()
        comparison.problems.append(f"Name differs: registry {registry_name!r}, profile {clinician.display_name!r}.")

    states = {
        a.get("state", "").upper() for a in result.get("addresses") or [] if a.get("address_purpose") == "LOCATION"
    }
    states |= {t.get("state", "").upper() for t in taxonomies}
    comparison.state_ok = bool(clinician.state) and clinician.state.upper() in states
    if not comparison.state_ok:
        listed = ", ".join(sorted(s for s in states if s)) or "none"
        comparison.problems.append(f"State differs: registry {listed}, profile {clinician.state or 'none'}.")

    descriptions = " ".join(t.get("desc", "") for t in taxonomies).lower()
    expected = TAXONOMY_WORDS.get(clinician.specialty, ()) + TAXONOMY_WORDS.get(clinician.profession, ())
    comparison.taxonomy_ok = any(word in descriptions for word in expected)
    if not comparison.taxonomy_ok:
        comparison.problems.append(
            f"Taxonomy differs: registry {descriptions or 'none'!r}, profile "
            f"{clinician.get_profession_display()} / {clinician.get_specialty_display()}."
        )
    return comparison
