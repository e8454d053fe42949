"""A learner's own data: completions and attempts are in "My data"; deleting the account keeps
the completions for the totals but switches their public verification off."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from advocacy_portal.services import account_delete, my_data_export
from learning import services
from learning.models import Completion, LessonProgress
from learning.personal_data import learning_personal_data, learning_personal_data_erase
from tests.factories import VerifiedClinicianFactory
from tests.learning.factories import ModuleFactory, answers

pytestmark = pytest.mark.django_db


def test_my_data_holds_the_learning_record_and_deletion_ends_public_verification(client):
    clinician = VerifiedClinicianFactory()
    module = ModuleFactory(title="Handling harassment and trolling")
    services.quiz_submit(clinician=clinician, module=module, answers=answers(module))
    completion = services.completion_set_public(completion=Completion.objects.get(), is_public=True)
    archive = zipfile.ZipFile(io.BytesIO(my_data_export(user=clinician.user)))
    [row] = json.loads(archive.read("learning_completions.json"))
    assert row["module__title"] == "Handling harassment and trolling" and row["module_version"] == 1
    assert len(json.loads(archive.read("learning_attempts.json"))) == 1
    account_delete(user=clinician.user)
    completion.refresh_from_db()
    assert not completion.is_public
    assert client.get(reverse("learning:certificate_verify", args=[completion.public_id])).status_code == 404


def test_it_exports_the_learners_completions_and_attempts_only():
    clinician, other = VerifiedClinicianFactory(), VerifiedClinicianFactory()
    module = ModuleFactory(title="Handling harassment and trolling")
    services.quiz_submit(clinician=clinician, module=module, answers=answers(module, correct=False))
    services.quiz_submit(clinician=clinician, module=module, answers=answers(module))
    services.quiz_submit(clinician=other, module=module, answers=answers(module))

    data = learning_personal_data(clinician=clinician)

    [completion] = data["learning_completions"]
    assert (completion["module__title"], completion["attempt__score_percent"]) == (module.title, 100)
    assert sorted(row["passed"] for row in data["learning_attempts"]) == [False, True]


def test_it_switches_public_verification_off_and_keeps_the_completions():
    clinician, other = VerifiedClinicianFactory(), VerifiedClinicianFactory()
    module = ModuleFactory()
    for learner in (clinician, other):
        services.quiz_submit(clinician=learner, module=module, answers=answers(module))
        services.completion_set_public(completion=Completion.objects.get(clinician=learner), is_public=True)

    learning_personal_data_erase(clinician=clinician)

    assert list(Completion.objects.filter(clinician=clinician).values_list("is_public", flat=True)) == [False]
    assert Completion.objects.get(clinician=other).is_public


def test_lessons_read_are_exported_and_deleted_with_the_account():
    clinician, other = VerifiedClinicianFactory(), VerifiedClinicianFactory()
    module = ModuleFactory(title="Handling harassment and trolling")
    first, second = module.lessons.order_by("position")[:2]
    services.lesson_mark_read(clinician=clinician, lesson=first)
    services.lesson_mark_read(clinician=clinician, lesson=second)
    services.lesson_mark_read(clinician=other, lesson=first)

    rows = learning_personal_data(clinician=clinician)["learning_lessons_read"]

    assert [(row["lesson__module__title"], row["lesson__title"]) for row in rows] == [
        (module.title, first.title),
        (module.title, second.title),
    ]
    assert all(row["read_at"] for row in rows)

    learning_personal_data_erase(clinician=clinician)

    assert not LessonProgress.objects.filter(clinician=clinician).exists()
    assert LessonProgress.objects.filter(clinician=other).count() == 1
