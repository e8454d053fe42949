"""Factories for the learning app: a published module with lessons and a two-question quiz."""

import factory

from learning.models import Choice, Lesson, Module, Question, QuestionKind


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"module-{n}")
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "A short module."
    estimated_minutes = 30
    pass_mark_percent = 50
    is_published = True

    @factory.post_generation
    def content(self, create, extracted, **kwargs):
        """Two lessons; a single-choice and a multiple-choice question."""
        if not create or extracted is False:
            return
        Lesson.objects.create(module=self, position=1, title="First lesson", body="Read **this**.")
        Lesson.objects.create(module=self, position=2, title="Second lesson", body="And this.")
        single = Question.objects.create(module=self, position=1, text="Pick the right one", kind=QuestionKind.SINGLE)
        Choice.objects.create(question=single, text="Right", is_correct=True, feedback="Yes.")
        Choice.objects.create(question=single, text="Wrong", is_correct=False, feedback="No.")
        multiple = Question.objects.create(module=self, position=2, text="Pick both", kind=QuestionKind.MULTIPLE)
        Choice.objects.create(question=multiple, text="A", is_correct=True, feedback="A is right.")
        Choice.objects.create(question=multiple, text="B", is_correct=True, feedback="B is right.")
        Choice.objects.create(question=multiple, text="C", is_correct=False, feedback="C is wrong.")


def answers(module: Module, *, correct: bool = True) -> dict[int, set[int]]:
    """Answers to every question: all the correct choices, or one wrong choice each."""
    result = {}
    for question in module.questions.prefetch_related("choices"):
        choices = [c for c in question.choices.all() if c.is_correct == correct]
        result[question.pk] = {c.pk for c in (choices if correct else choices[:1])}
    return result
