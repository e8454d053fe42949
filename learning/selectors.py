"""Reads of the learning app. Every learner read is scoped to one clinician, so nobody sees
another's progress, attempts or certificates."""

import random
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from clinicians.models import Clinician
from learning.models import Attempt, Completion, Lesson, LessonProgress, Module, Question


def modules_published() -> QuerySet[Module]:
    return Module.objects.filter(is_published=True).annotate(lesson_count=Count("lessons", distinct=True))


def module_get(*, slug: str) -> Module:
    module = Module.objects.filter(slug=slug, is_published=True).first()
    if module is None:
        raise Http404("No such module.")
    return module


def lesson_get(*, module: Module, position: int) -> Lesson:
    lesson = module.lessons.filter(position=position).first()
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


@dataclass
class ModuleProgress:
    module: Module
    lessons_read: int
    lesson_count: int
    completion: Completion | None
    completed_earlier_version: bool
    next_lesson: Lesson | None

    @property
    def percent(self) -> int:
        if self.completion is not None:
            return 100
        steps = self.lesson_count + 1  # the quiz is the last step
        return round(100 * self.lessons_read / steps) if steps else 0

    @property
    def started(self) -> bool:
        return self.lessons_read > 0 or self.completion is not None


def progress_for(*, clinician: Clinician) -> list[ModuleProgress]:
    """Every published module with this clinician's progress, in three queries."""
    modules = list(
        modules_published().prefetch_related(Prefetch("lessons", queryset=Lesson.objects.order_by("position")))
    )
    read = set(
        LessonProgress.objects.filter(clinician=clinician, lesson__module__in=modules).values_list(
            "lesson_id", flat=True
        )
    )
    completions: dict[int, list[Completion]] = {}
    for completion in Completion.objects.filter(clinician=clinician).order_by("-module_version"):
        completions.setdefault(completion.module_id, []).append(completion)
    result = []
    for module in modules:
        lessons = list(module.lessons.all())
        mine = completions.get(module.pk, [])
        current = next((c for c in mine if c.module_version == module.version), None)
        result.append(
            ModuleProgress(
                module=module,
                lessons_read=sum(1 for lesson in lessons if lesson.pk in read),
                lesson_count=len(lessons),
                completion=current,
                completed_earlier_version=current is None and bool(mine),
                next_lesson=next((lesson for lesson in lessons if lesson.pk not in read), None),
            )
        )
    return result


def module_continue(*, clinician: Clinician) -> ModuleProgress | None:
    """ "Continue where you left off": the module of the lesson read last, if it is not finished;
    otherwise the first module not yet completed (the dashboard's suggestion)."""
    progress = progress_for(clinician=clinician)
    last = (
        LessonProgress.objects.filter(clinician=clinician, lesson__module__is_published=True)
        .order_by("-read_at", "-id")
        .values_list("lesson__module_id", flat=True)
        .first()
    )
    unfinished = [p for p in progress if p.completion is None]
    for item in unfinished:
        if item.module.pk == last:
            return item
    return unfinished[0] if unfinished else None


def lessons_read_ids(*, clinician: Clinician, module: Module) -> set[int]:
    return set(
        LessonProgress.objects.filter(clinician=clinician, lesson__module=module).values_list("lesson_id", flat=True)
    )


def quiz_questions(*, module: Module, shuffle: random.Random | None = None) -> list[Question]:
    """The module's questions with their choices, questions and choices in a shuffled order."""
    rng = shuffle or random.SystemRandom()
    questions = list(module.questions.prefetch_related("choices"))
    rng.shuffle(questions)
    for question in questions:
        question.shuffled_choices = list(question.choices.all())
        rng.shuffle(question.shuffled_choices)
    return questions


def attempts_for(*, clinician: Clinician, module: Module) -> QuerySet[Attempt]:
    return Attempt.objects.filter(clinician=clinician, module=module)


def attempt_get(*, clinician: Clinician, pk: int) -> Attempt:
    """One of this clinician's attempts, with its answers; anybody else's is a 404."""
    attempt = (
        Attempt.objects.filter(clinician=clinician, pk=pk)
        .select_related("module")
        .prefetch_related("answers__choices", "answers__question__choices")
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


def completion_get_own(*, clinician: Clinician, public_id) -> Completion:
    completion = Completion.objects.filter(clinician=clinician, public_id=public_id).select_related("module").first()
    if completion is None:
        raise Http404("No such certificate.")
    return completion


def completion_get_public(*, public_id) -> Completion:
    """A certificate the clinician chose to make verifiable; others are a 404 like unknown ids."""
    completion = (
        Completion.objects.filter(public_id=public_id, is_public=True).select_related("module", "clinician").first()
    )
    if completion is None:
        raise Http404("No such certificate.")
    return completion


def completions_for(*, clinician: Clinician) -> QuerySet[Completion]:
    return Completion.objects.filter(clinician=clinician).select_related("module")


def modules_missing_for(*, clinician: Clinician, modules: QuerySet[Module]) -> list[Module]:
    """Of ``modules`` (a campaign's prerequisites), those the clinician has not completed in any version."""
    return list(modules.exclude(completions__clinician=clinician).order_by("position", "title"))
