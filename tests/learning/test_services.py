"""Learning services: quiz scoring, completion once per module version, points once through the
ledger (signal → outbox → incentives), new versions, review flags and the badge track."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Notification, NotificationKind, OutboxMessage
from incentives.models import Award, LedgerEntry
from incentives.services import module_completion_award, rule_set_current
from learning import services
from learning.models import Attempt, Completion
from tests.factories import UserFactory, VerifiedClinicianFactory
from tests.learning.factories import ModuleFactory, answers

pytestmark = pytest.mark.django_db


def test_it_scores_a_question_right_only_with_exactly_its_correct_choices():
    module = ModuleFactory()
    single, multiple = module.questions.order_by("position")
    right = answers(module)
    assert services.quiz_score(module=module, answers=right)[0] == 100
    partial = {**right, multiple.pk: set(list(right[multiple.pk])[:1])}
    percent, per_question = services.quiz_score(module=module, answers=partial)
    assert percent == 50
    assert per_question == {single.pk: True, multiple.pk: False}
    too_many = {**right, multiple.pk: {c.pk for c in multiple.choices.all()}}
    assert services.quiz_score(module=module, answers=too_many)[0] == 50


def test_it_records_failed_attempts_without_completing():
    clinician = VerifiedClinicianFactory()
    module = ModuleFactory(pass_mark_percent=100)
    multiple = module.questions.get(position=2)
    right = answers(module)
    attempt = services.quiz_submit(
        clinician=clinician, module=module, answers={**right, multiple.pk: set(list(right[multiple.pk])[:1])}
    )
    assert (attempt.score_percent, attempt.passed) == (50, False)
    assert attempt.answers.get(question=multiple).is_correct is False
    assert not Completion.objects.exists()


def test_it_refuses_unanswered_questions_and_foreign_choices():
    clinician = VerifiedClinicianFactory()
    module, other = ModuleFactory(), ModuleFactory()
    right = answers(module)
    single = module.questions.order_by("position").first()
    with pytest.raises(ValidationError, match="Answer every question"):
        services.quiz_submit(clinician=clinician, module=module, answers={single.pk: right[single.pk]})
    foreign = next(iter(answers(other)[other.questions.first().pk]))
    with pytest.raises(ValidationError):
        services.quiz_submit(clinician=clinician, module=module, answers={**right, single.pk: {foreign}})
    wrong_single = {c.pk for c in single.choices.all()}
    with pytest.raises(ValidationError, match="Pick one"):
        services.quiz_submit(clinician=clinician, module=module, answers={**right, single.pk: wrong_single})
    assert not Attempt.objects.exists()


def test_it_completes_once_per_version_and_awards_points_once(django_capture_on_commit_callbacks):
    clinician = VerifiedClinicianFactory()
    module = ModuleFactory()
    points = rule_set_current().module_completion_points
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.quiz_submit(clinician=clinician, module=module, answers=answers(module))
    assert Attempt.objects.filter(clinician=clinician).count() == 2
    completion = Completion.objects.get(clinician=clinician)
    assert completion.module_version == 1
    entries = LedgerEntry.objects.filter(clinician=clinician)
    assert [e.amount for e in entries] == [points]
    assert entries[0].idempotency_key == f"module:{module.pk}:v1:clinician:{clinician.pk}"
    # A redelivered award message writes nothing.
    assert module_completion_award(completion_id=completion.pk) == 0
    assert LedgerEntry.objects.filter(clinician=clinician).count() == 1
    clinician.score.refresh_from_db()
    assert clinician.score.lifetime == points
    assert OutboxMessage.objects.filter(task="incentives.tasks.award_module_completion").count() == 1


def test_a_new_version_earns_credit_again_and_tells_earlier_completers(django_capture_on_commit_callbacks):
    clinician = VerifiedClinicianFactory()
    module = ModuleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.quiz_submit(clinician=clinician, module=module, answers=answers(module))
    module = services.module_publish_new_version(module=module, note="Updated for the new algorithm.")
    assert module.version == 2
    note = Notification.objects.get(user=clinician.user, kind=NotificationKind.MODULE_UPDATED)
    assert "v2" in note.title and note.body == "Updated for the new algorithm."
    with django_capture_on_commit_callbacks(execute=True):
        services.quiz_submit(clinician=clinician, module=module, answers=answers(module))
    assert sorted(Completion.objects.values_list("module_version", flat=True)) == [1, 2]
    assert LedgerEntry.objects.filter(clinician=clinician).count() == 2


def test_completing_a_first_module_earns_the_professional_development_badge(django_capture_on_commit_callbacks):
    clinician = VerifiedClinicianFactory()
    module = ModuleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.quiz_submit(clinician=clinician, module=module, answers=answers(module))
    assert list(Award.objects.filter(clinician=clinician).values_list("badge__code", flat=True)) == [
        "learning-first-module"
    ]
    assert Notification.objects.filter(user=clinician.user, kind=NotificationKind.BADGE_EARNED).count() == 1


def test_it_flags_a_module_past_its_review_date_to_its_owner_once():
    owner = UserFactory()
    today = timezone.localdate()
    due = ModuleFactory(owner=owner, last_reviewed_on=today - dt.timedelta(days=181), review_interval_days=180)
    ModuleFactory(owner=owner, last_reviewed_on=today - dt.timedelta(days=10), review_interval_days=180)
    assert due.is_being_updated()
    assert services.modules_review_flag() == [due]
    assert services.modules_review_flag() == []
    assert Notification.objects.filter(user=owner, kind=NotificationKind.MODULE_REVIEW_DUE).count() == 1
    services.module_mark_reviewed(module=due)
    due.refresh_from_db()
    assert not due.is_being_updated() and due.review_flagged_on is None


def test_lesson_images_need_alt_text():
    module = ModuleFactory()
    lesson = module.lessons.first()
    lesson.body = "See ![](/static/img/example.png)"
    with pytest.raises(ValidationError, match="alt text"):
        lesson.full_clean()
    lesson.body = "See ![A redacted post](/static/img/example.png)"
    lesson.full_clean()
