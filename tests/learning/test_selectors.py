"""Learning selectors: shuffled quizzes, progress and "continue where you left off", prerequisites."""

import random

import pytest

from learning import selectors, services
from tests.factories import VerifiedClinicianFactory
from tests.learning.factories import ModuleFactory, answers

pytestmark = pytest.mark.django_db


def test_quiz_questions_and_choices_come_in_a_shuffled_order():
    module = ModuleFactory()
    orders = set()
    for seed in range(20):
        questions = selectors.quiz_questions(module=module, shuffle=random.Random(seed))
        assert sorted(q.pk for q in questions) == sorted(module.questions.values_list("pk", flat=True))
        orders.add(tuple((q.pk, *(c.pk for c in q.shuffled_choices)) for q in questions))
    assert len(orders) > 1


def test_progress_and_continue_follow_the_last_lesson_read():
    clinician = VerifiedClinicianFactory()
    first, second = ModuleFactory(position=1), ModuleFactory(position=2)
    assert selectors.module_continue(clinician=clinician).module == first
    services.lesson_mark_read(clinician=clinician, lesson=second.lessons.get(position=1))
    item = selectors.module_continue(clinician=clinician)
    assert (item.module, item.lessons_read, item.next_lesson.position, item.percent) == (second, 1, 2, 33)
    services.quiz_submit(clinician=clinician, module=second, answers=answers(second))
    assert selectors.module_continue(clinician=clinician).module == first
    progress = {p.module: p for p in selectors.progress_for(clinician=clinician)}
    assert progress[second].percent == 100 and progress[first].percent == 0


def test_progress_is_read_in_a_fixed_number_of_queries(django_assert_num_queries):
    clinician = VerifiedClinicianFactory()
    for _ in range(3):
        ModuleFactory()
    with django_assert_num_queries(4):
        assert len(selectors.progress_for(clinician=clinician)) == 3


def test_modules_missing_counts_any_completed_version():
    clinician = VerifiedClinicianFactory()
    done, todo = ModuleFactory(), ModuleFactory()
    services.quiz_submit(clinician=clinician, module=done, answers=answers(done))
    services.module_publish_new_version(module=done)
    modules = type(done).objects.filter(pk__in=[done.pk, todo.pk])
    assert selectors.modules_missing_for(clinician=clinician, modules=modules) == [todo]
