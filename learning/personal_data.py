"""The learner's share of "My data": module completions, quiz attempts and lessons read for the
export, and, when the account is deleted, the end of the certificates' public verification and the
removal of the lessons read.

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
LESSON_PROGRESS_FIELDS = ("lesson__module__title", "lesson__title", "read_at")


def learning_personal_data(*, clinician: Clinician) -> dict[str, list[dict]]:
    """The clinician's completions, quiz attempts and lessons marked as read."""
    return {
        "learning_completions": list(clinician.completions.values(*COMPLETION_FIELDS)),
        "learning_attempts": list(clinician.quiz_attempts.values(*ATTEMPT_FIELDS)),
        "learning_lessons_read": list(
            clinician.lesson_progress.order_by("read_at", "pk").values(*LESSON_PROGRESS_FIELDS)
        ),
    }


def learning_personal_data_erase(*, clinician: Clinician) -> None:
    """Certificates stay counted in the learning report but no longer verify publicly; the lessons
    read (only the learner's own progress, in no report) are deleted."""
    clinician.completions.update(is_public=False)
    clinician.lesson_progress.all().delete()
