"""Pages of the incentives app: the points statement, leaderboards and the rewards catalogue."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinicians.access import clinician_or_staff, clinician_required
from clinicians.models import Clinician
from core.images import image_content_type
from incentives import selectors, services
from incentives.forms import LeaderboardFilterForm, RedemptionDeliveryForm
from incentives.models import Reward


@clinician_required
def statement(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    page = Paginator(selectors.statement_entries(clinician=clinician), settings.INCENTIVES_STATEMENT_PAGE_SIZE)
    entries = page.get_page(request.GET.get("page"))
    selectors.statement_metric_sources(entries=entries)
    score = selectors.score_of(clinician=clinician)
    return render(
        request,
        "incentives/ledger_statement.html",
        {
            "clinician": clinician,
            "entries": entries,
            "score": score,
            "progress": selectors.tier_progress(score=score, rule_set=selectors.rule_set_latest()),
            "awards": selectors.awards_of(clinician=clinician),
        },
    )


@clinician_or_staff
def leaderboard(request: HttpRequest, clinician: Clinician | None) -> HttpResponse:
    # Staff read the leaderboard too; they are not on it (no clinician record).
    form = LeaderboardFilterForm(request.GET or None)
    filters = {"period": "all", "specialty": "", "campaign": None}
    if form.is_valid():
        filters.update(form.cleaned_data)
    board = selectors.leaderboard(viewer=clinician, **filters)
    return render(
        request,
        "incentives/leaderboard_list.html",
        {
            "clinician": clinician,
            "form": form,
            "board": board,
            "period_label": selectors.PERIODS[filters["period"]][0],
            "campaign": filters["campaign"],
        },
    )


@clinician_required
def reward_list(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    balance = services.clinician_balance(clinician_id=clinician.pk)
    rewards = list(selectors.rewards_available())
    for reward in rewards:
        reward.points_needed = max(0, reward.cost - balance)
    return render(
        request,
        "incentives/reward_list.html",
        {
            "clinician": clinician,
            "rewards": rewards,
            "balance": balance,
            "redemptions": selectors.redemptions_of(clinician=clinician)[:50],
        },
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def reward_redeem(request: HttpRequest, clinician: Clinician, pk: int) -> HttpResponse:
    """GET: the confirmation step (what it costs, the balance after, where to send it if it is
    posted); POST: the redemption, or the same page with the delivery form's errors."""
    reward = get_object_or_404(selectors.rewards_available(), pk=pk)
    form = RedemptionDeliveryForm(request.POST or None) if reward.needs_delivery_address else None
    if request.method == "POST" and (form is None or form.is_valid()):
        delivery = form.cleaned_data if form is not None else {}
        try:
            services.redemption_request(clinician=clinician, reward=reward, **delivery)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Requested {reward.name}: {reward.cost} points were deducted.")
        return redirect("incentives:reward_list")
    balance = services.clinician_balance(clinician_id=clinician.pk)
    context = {"reward": reward, "balance": balance, "balance_after": balance - reward.cost, "form": form}
    return render(request, "incentives/reward_confirm.html", context, status=400 if request.method == "POST" else 200)


@clinician_or_staff
@require_GET
def reward_image(request: HttpRequest, clinician: Clinician | None, pk: int) -> FileResponse:
    """A reward's picture, to signed-in clinicians and staff, with its own content type."""
    reward = get_object_or_404(Reward.objects.exclude(image=""), pk=pk)
    response = FileResponse(reward.image.open("rb"), content_type=image_content_type(reward.image.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
