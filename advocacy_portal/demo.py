"""Demo data for `make run`: an admin, a staff member and a few clinicians. Idempotent."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from clinicians.models import Clinician, Profession, Specialty, VerificationStatus
from core.models import User
from reports.services import staff_group_ensure

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credentials for local use only


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


DEMO_CLINICIANS = [
    ("ada@demo.advocacy.example", "Dr Ada Okafor", Profession.MD, Specialty.PEDIATRICS, "IL", True),
    ("ben@demo.advocacy.example", "Ben Carter, NP", Profession.NP, Specialty.FAMILY, "TX", True),
    ("chen@demo.advocacy.example", "Dr Mei Chen", Profession.DO, Specialty.INFECTIOUS, "CA", False),
]


def _user(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    _user("admin@demo.advocacy.example", is_staff=True, is_superuser=True)
    staff = _user("staff@demo.advocacy.example")
    staff.groups.add(staff_group_ensure())
    for email, name, profession, specialty, state, verified in DEMO_CLINICIANS:
        user = _user(email)
        Clinician.objects.get_or_create(
            user=user,
            defaults={
                "display_name": name,
                "profession": profession,
                "specialty": specialty,
                "state": state,
                "leaderboard_opt_in": True,
                "public_profile": verified,
                "profile_completed_at": timezone.now(),
                "verification_status": VerificationStatus.VERIFIED if verified else VerificationStatus.UNVERIFIED,
                "verified_at": timezone.now() if verified else None,
            },
        )
    return [
        DemoLogin("admin (Django admin)", "admin@demo.advocacy.example", DEMO_PASSWORD),
        DemoLogin("association staff", "staff@demo.advocacy.example", DEMO_PASSWORD),
        *(DemoLogin("clinician", email, DEMO_PASSWORD) for email, *_ in DEMO_CLINICIANS),
    ]
