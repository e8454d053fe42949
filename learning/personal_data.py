"""The learner's share of "My data": module completions and quiz attempts for the export, and,
when the account is deleted, the end of the certificates' public verification.

The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

from clinicians.models import Clinician

COMPLETION_FIELDS = (
    "module__title",
    "module_version",
    "completed_at",
    "public_id",
    "is_public",
    "attempt__score_percent",
)
ATTEMPT_FIELDS = ("module__title", "module_version", "score_percent", "passed", "created_at")


def learning_personal_data(*, clinician: Clinician) -> dict[str, list[dict]]:
    """The clinician's completions and quiz attempts."""
    return {
        "learning_completions": list(clinician.completions.values(*COMPLETION_FIELDS)),
        "learning_attempts": list(clinician.quiz_attempts.values(*ATTEMPT_FIELDS)),
    }


def learning_personal_data_erase(*, clinician: Clinician) -> None:
    """Certificates stay counted in the learning report but no longer verify publicly."""
    clinician.completions.update(is_public=False)
