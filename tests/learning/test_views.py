"""Learner pages: progress and "continue", lessons, the quiz with per-answer feedback, certificates
and their opt-in verification page; nobody sees another clinician's attempts or certificates."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from learning import services
from learning.models import Completion, LessonProgress
from learning.seed import modules_seed
from tests.factories import VerifiedClinicianFactory
from tests.learning.factories import ModuleFactory, answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    clinician = VerifiedClinicianFactory()
    client.force_login(clinician.user)
    return clinician


def test_it_lists_the_seeded_modules_with_progress_and_where_to_continue(client, learner):
    modules = modules_seed()
    assert len(modules) == 6
    privacy = modules[0]
    services.lesson_mark_read(clinician=learner, lesson=privacy.lessons.get(position=1))
    response = client.get(reverse("learning:module_list"))
    assert response.status_code == 200
    page = response.content.decode()
    for module in modules:
        assert module.title in page
    assert "Continue where you left off" in page
    assert reverse("learning:lesson_detail", args=[privacy.slug, 2]) in page
    assert "1 of 3 lessons read" in page


def test_a_lesson_is_sanitised_and_marking_it_read_moves_on(client, learner):
    module = ModuleFactory()
    lesson = module.lessons.get(position=1)
    lesson.body = "**Bold** <script>alert(1)</script> ![A chart](https://example.org/chart.png)"
    lesson.save()
    response = client.get(reverse("learning:lesson_detail", args=[module.slug, 1]))
    page = response.content.decode()
    assert "<strong>Bold</strong>" in page and "<script>alert" not in page
    assert 'alt="A chart"' in page
    response = client.post(reverse("learning:lesson_detail", args=[module.slug, 1]))
    assert response.url == reverse("learning:lesson_detail", args=[module.slug, 2])
    response = client.post(reverse("learning:lesson_detail", args=[module.slug, 2]))
    assert response.url == reverse("learning:quiz", args=[module.slug])
    assert LessonProgress.objects.filter(clinician=learner).count() == 2


def test_the_privacy_lesson_has_a_practice_box_that_calls_the_live_guard(client, learner):
    privacy = modules_seed()[0]
    page = client.get(reverse("learning:lesson_detail", args=[privacy.slug, 3])).content.decode()
    assert f'hx-get="{reverse("campaigns:activity_excerpt_check")}"' in page
    check = client.get(
        reverse("campaigns:activity_excerpt_check"), {"excerpt": "Her MRN is 448812, seen 3 March 2026."}
    )
    assert check.status_code == 200 and "privacy" in check.content.decode().lower()


def test_submitting_the_quiz_shows_feedback_per_answer_and_completes(
    client, learner, django_capture_on_commit_callbacks
):
    module = ModuleFactory()
    page = client.get(reverse("learning:quiz", args=[module.slug])).content.decode()
    assert "Pick the right one" in page and 'type="checkbox"' in page and 'type="radio"' in page
    form = {f"question-{q}": list(c) for q, c in answers(module).items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:quiz", args=[module.slug]), form)
    result = client.get(response.url).content.decode()
    assert "Passed: 100%" in result and "A is right." in result and "Download certificate" in result


def test_an_incomplete_quiz_is_refused_with_a_message(client, learner):
    module = ModuleFactory()
    response = client.post(reverse("learning:quiz", args=[module.slug]), {}, follow=True)
    assert "Answer every question" in response.content.decode()


def test_nobody_sees_another_clinicians_attempts_or_certificates(client, learner):
    module = ModuleFactory()
    other = VerifiedClinicianFactory()
    attempt = services.quiz_submit(clinician=other, module=module, answers=answers(module))
    completion = Completion.objects.get(clinician=other)
    assert client.get(reverse("learning:attempt_detail", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("learning:certificate_pdf", args=[completion.public_id])).status_code == 404
    response = client.post(reverse("learning:certificate_visibility", args=[completion.public_id]), {"is_public": "1"})
    assert response.status_code == 404
    completion.refresh_from_db()
    assert not completion.is_public
    # The other clinician's attempts are not listed on the module page either.
    assert (
        f"/learn/attempts/{attempt.pk}/"
        not in client.get(reverse("learning:module_detail", args=[module.slug])).content.decode()
    )


def test_the_certificate_is_a_pdf_and_verifiable_only_after_opting_in(client, learner):
    module = ModuleFactory(title="Getting started on LinkedIn", estimated_minutes=90)
    services.quiz_submit(clinician=learner, module=module, answers=answers(module))
    completion = Completion.objects.get(clinician=learner)
    pdf = client.get(reverse("learning:certificate_pdf", args=[completion.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Getting started on LinkedIn (version 1)" in text and "estimated 1.5 hours" in text
    assert learner.public_name in text
    verify_url = reverse("learning:certificate_verify", args=[completion.public_id])
    client.logout()
    assert client.get(verify_url).status_code == 404
    client.force_login(learner.user)
    response = client.post(reverse("learning:certificate_visibility", args=[completion.public_id]), {"is_public": "1"})
    assert response.status_code == 302, response.content[:500]
    completion.refresh_from_db()
    assert completion.is_public
    client.logout()
    page = client.get(verify_url).content.decode()
    assert "Getting started on LinkedIn" in page and "1.5 hours" in page and "<dd>1</dd>" in page


def test_learning_pages_need_a_clinician(client, staff_user):
    assert client.get(reverse("learning:module_list")).status_code == 302


def test_the_dashboard_suggests_the_next_module(client, learner):
    modules_seed()
    page = client.get(reverse("dashboard")).content.decode()
    assert "Suggested next module" in page and "Protecting patient privacy on social media" in page
