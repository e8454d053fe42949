"""Learner pages (/learn/) and the public certificate verification page (/verify/<id>/). Thin:
access through learning.selectors (scoped to the signed-in clinician), writes through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinicians.access import clinician_required
from clinicians.models import Clinician
from learning import selectors, services
from learning.certificates import certificate_pdf


@clinician_required
@require_GET
def module_list(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    return render(
        request,
        "learning/module_list.html",
        {
            "progress": selectors.progress_for(clinician=clinician),
            "continue_with": selectors.module_continue(clinician=clinician),
        },
    )


@clinician_required
@require_GET
def module_detail(request: HttpRequest, clinician: Clinician, slug: str) -> HttpResponse:
    module = selectors.module_get(slug=slug)
    read = selectors.lessons_read_ids(clinician=clinician, module=module)
    lessons = list(module.lessons.all())
    return render(
        request,
        "learning/module_detail.html",
        {
            "module": module,
            "lessons": [(lesson, lesson.pk in read) for lesson in lessons],
            "all_read": all(lesson.pk in read for lesson in lessons),
            "attempts": selectors.attempts_for(clinician=clinician, module=module)[:5],
            "completions": selectors.completions_for(clinician=clinician).filter(module=module),
        },
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def lesson_detail(request: HttpRequest, clinician: Clinician, slug: str, position: int) -> HttpResponse:
    module = selectors.module_get(slug=slug)
    lesson = selectors.lesson_get(module=module, position=position)
    following = module.lessons.filter(position__gt=lesson.position).order_by("position").first()
    if request.method == "POST":
        services.lesson_mark_read(clinician=clinician, lesson=lesson)
        if following is not None:
            return redirect(reverse("learning:lesson_detail", args=[module.slug, following.position]))
        return redirect(reverse("learning:quiz", args=[module.slug]))
    lessons = list(module.lessons.all())
    return render(
        request,
        "learning/lesson_detail.html",
        {
            "module": module,
            "lesson": lesson,
            "following": following,
            "number": lessons.index(lesson) + 1,
            "lesson_count": len(lessons),
        },
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, clinician: Clinician, slug: str) -> HttpResponse:
    module = selectors.module_get(slug=slug)
    if request.method == "POST":
        answers: dict[int, set[int]] = {}
        try:
            for question in module.questions.all():
                chosen = request.POST.getlist(f"question-{question.pk}")
                answers[question.pk] = {int(value) for value in chosen}
            attempt = services.quiz_submit(clinician=clinician, module=module, answers=answers)
        except (ValueError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", ["Those answers could not be read."])))
            return redirect(reverse("learning:quiz", args=[module.slug]))
        return redirect(reverse("learning:attempt_detail", args=[attempt.pk]))
    return render(
        request, "learning/quiz_form.html", {"module": module, "questions": selectors.quiz_questions(module=module)}
    )


@clinician_required
@require_GET
def attempt_detail(request: HttpRequest, clinician: Clinician, pk: int) -> HttpResponse:
    attempt = selectors.attempt_get(clinician=clinician, pk=pk)
    completion = getattr(attempt, "completion", None) or (
        selectors.completions_for(clinician=clinician)
        .filter(module=attempt.module, module_version=attempt.module_version)
        .first()
    )
    answers = []
    for answer in attempt.answers.all():
        chosen = {choice.pk for choice in answer.choices.all()}
        answers.append(
            {
                "answer": answer,
                "choices": [(choice, choice.pk in chosen) for choice in answer.question.choices.all()],
            }
        )
    return render(
        request,
        "learning/attempt_detail.html",
        {"attempt": attempt, "module": attempt.module, "answers": answers, "completion": completion},
    )


def _verify_url(request: HttpRequest, public_id) -> str:
    return request.build_absolute_uri(reverse("learning:certificate_verify", args=[public_id]))


@clinician_required
@require_GET
def certificate_download(request: HttpRequest, clinician: Clinician, public_id) -> HttpResponse:
    completion = selectors.completion_get_own(clinician=clinician, public_id=public_id)
    response = HttpResponse(
        certificate_pdf(completion=completion, verify_url=_verify_url(request, public_id)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{completion.module.slug}.pdf"'
    return response


@clinician_required
@require_POST
def certificate_visibility(request: HttpRequest, clinician: Clinician, public_id) -> HttpResponse:
    completion = selectors.completion_get_own(clinician=clinician, public_id=public_id)
    is_public = request.POST.get("is_public") == "1"
    services.completion_set_public(completion=completion, is_public=is_public)
    if is_public:
        messages.success(request, f"Anyone with this link can verify it: {_verify_url(request, public_id)}")
    else:
        messages.success(request, "The verification page of this certificate is now switched off.")
    return redirect(reverse("learning:module_detail", args=[completion.module.slug]))


@require_GET
def certificate_verify(request: HttpRequest, public_id) -> HttpResponse:
    """Public: a certificate its holder opted in to show; anything else is a plain 404."""
    completion = selectors.completion_get_public(public_id=public_id)
    return render(request, "learning/certificate_verify.html", {"completion": completion, "module": completion.module})
