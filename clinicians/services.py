"""Writes for clinicians: one keyword-only function per business action."""

from django.db import transaction

from clinicians.models import Clinician
from core.models import User


@transaction.atomic
def clinician_register(*, user: User) -> Clinician:
    """Give a newly signed-up user a (still incomplete) clinician profile. Safe to call twice."""
    clinician, _ = Clinician.objects.get_or_create(user=user)
    return clinician
