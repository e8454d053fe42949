"""Writes of the learning app: reading lessons, submitting quizzes, completing modules, publishing
new module versions and flagging modules due for review. Views, admin and tasks call these."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinicians.models import Clinician
from core.models import NotificationKind, User
from core.services import notification_send
from learning.models import Attempt, AttemptAnswer, Completion, Lesson, LessonProgress, Module, QuestionKind
from learning.signals import module_completed


def lesson_mark_read(*, clinician: Clinician, lesson: Lesson) -> LessonProgress:
    """Record that the clinician read the lesson (again: the time moves, for "continue")."""
    progress, created = LessonProgress.objects.get_or_create(clinician=clinician, lesson=lesson)
    if not created:
        progress.read_at = timezone.now()
        progress.save(update_fields=["read_at"])
    return progress


def quiz_score(*, module: Module, answers: dict[int, set[int]]) -> tuple[int, dict[int, bool]]:
    """The one scoring rule: a question is right when exactly its correct choices were picked.
    Returns the percentage (rounded down, so 79.9 % does not pass an 80 % mark) and per question."""
    results: dict[int, bool] = {}
    questions = list(module.questions.prefetch_related("choices"))
    for question in questions:
        correct = {choice.pk for choice in question.choices.all() if choice.is_correct}
        results[question.pk] = answers.get(question.pk, set()) == correct
    if not questions:
        return 0, results
    return 100 * sum(results.values()) // len(questions), results


@transaction.atomic
def quiz_submit(*, clinician: Clinician, module: Module, answers: dict[int, set[int]]) -> Attempt:
    """Record an attempt at the module's current version; passing completes that version.

    ``answers`` maps question ids to the chosen choice ids. Every question must be answered, with
    one choice for a single-choice question; choices of other questions are refused.
    """
    questions = {q.pk: q for q in module.questions.prefetch_related("choices")}
    for question_id, question in questions.items():
        chosen = answers.get(question_id, set())
        if not chosen:
            raise ValidationError(f"Answer every question (missing: “{question.text}”).")
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            raise ValidationError(f"Pick one answer for “{question.text}”.")
        if not chosen <= {choice.pk for choice in question.choices.all()}:
            raise ValidationError("An answer does not belong to its question.")
    if set(answers) - set(questions):
        raise ValidationError("An answer does not belong to this module.")
    # One clinician's submissions run one after the other, so two quick passes complete once.
    # (The module row is not locked: other learners' attempts need not wait for each other.)
    Clinician.objects.select_for_update().filter(pk=clinician.pk).exists()
    module = Module.objects.get(pk=module.pk)
    percent, results = quiz_score(module=module, answers=answers)
    attempt = Attempt.objects.create(
        clinician=clinician,
        module=module,
        module_version=module.version,
        score_percent=percent,
        passed=percent >= module.pass_mark_percent,
        created_at=timezone.now(),
    )
    for question_id, chosen in answers.items():
        answer = AttemptAnswer.objects.create(attempt=attempt, question_id=question_id, is_correct=results[question_id])
        answer.choices.set(chosen)
    if attempt.passed:
        completion_record(clinician=clinician, module=module, attempt=attempt)
    return attempt


def completion_record(*, clinician: Clinician, module: Module, attempt: Attempt) -> Completion | None:
    """Complete the module's version once; a later pass of the same version records nothing more.
    Sends ``module_completed`` (incentives promises the points through the outbox)."""
    if Completion.objects.filter(clinician=clinician, module=module, module_version=attempt.module_version).exists():
        return None
    completion = Completion.objects.create(
        clinician=clinician,
        module=module,
        module_version=attempt.module_version,
        attempt=attempt,
        completed_at=attempt.created_at,
    )
    module_completed.send(sender=Completion, completion_id=completion.pk)
    return completion


def completion_set_public(*, completion: Completion, is_public: bool) -> Completion:
    completion.is_public = is_public
    completion.save(update_fields=["is_public"])
    return completion


@transaction.atomic
def module_publish_new_version(*, module: Module, note: str = "", actor: User | None = None) -> Module:
    """A substantive edit: the version rises and the module counts as reviewed today. Clinicians who
    completed an earlier version are told; their certificates keep the version they earned."""
    module = Module.objects.select_for_update().get(pk=module.pk)
    module.version += 1
    module.version_note = note.strip()[:300]
    module.last_reviewed_on = timezone.localdate()
    module.review_flagged_on = None
    module.save(update_fields=["version", "version_note", "last_reviewed_on", "review_flagged_on"])
    users = User.objects.filter(clinician__completions__module=module).distinct()
    url = reverse("learning:module_detail", args=[module.slug])
    for user in users:
        notification_send(
            user=user,
            kind=NotificationKind.MODULE_UPDATED,
            title=f"“{module.title}” has a new version (v{module.version})",
            body=module.version_note or "The module was updated. Take it again to earn credit for the new version.",
            url=url,
        )
    return module


def module_mark_reviewed(*, module: Module) -> Module:
    """The owner checked the module and nothing needed to change: the review clock restarts."""
    module.last_reviewed_on = timezone.localdate()
    module.review_flagged_on = None
    module.save(update_fields=["last_reviewed_on", "review_flagged_on"])
    return module


def modules_review_flag(*, today: dt.date | None = None) -> list[Module]:
    """Daily: tell each owner once about their modules past the review date."""
    today = today or timezone.localdate()
    flagged = []
    candidates = Module.objects.filter(review_flagged_on__isnull=True).select_related("owner")
    for module in candidates:
        if not module.is_being_updated(today):
            continue
        with transaction.atomic():
            # Conditional update: a second run (or a concurrent one) claims nothing and sends nothing.
            if not Module.objects.filter(pk=module.pk, review_flagged_on__isnull=True).update(review_flagged_on=today):
                continue
            if module.owner is not None:
                notification_send(
                    user=module.owner,
                    kind=NotificationKind.MODULE_REVIEW_DUE,
                    title=f"“{module.title}” is due for review",
                    body=f"It was last reviewed on {module.last_reviewed_on:%d %b %Y}; learners now see it as being "
                    "updated. Publish a new version, or mark it reviewed if nothing changed.",
                    url=reverse("admin:learning_module_change", args=[module.pk]),
                )
        flagged.append(module)
    return flagged
