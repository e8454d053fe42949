"""Pages of the incentives app: the points statement, leaderboards and the rewards catalogue."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from clinicians.models import Clinician
from incentives import selectors, services
from incentives.forms import LeaderboardFilterForm


def _clinician(request: HttpRequest) -> Clinician:
    """The signed-in user's clinician record; accounts without one (admins) have no points pages."""
    clinician = selectors.clinician_for_user(user=request.user)
    if clinician is None:
        raise Http404("Only clinicians have points.")
    return clinician


@login_required
def statement(request: HttpRequest) -> HttpResponse:
    clinician = _clinician(request)
    page = Paginator(selectors.statement_entries(clinician=clinician), settings.INCENTIVES_STATEMENT_PAGE_SIZE)
    entries = page.get_page(request.GET.get("page"))
    score = selectors.score_of(clinician=clinician)
    return render(
        request,
        "incentives/ledger_statement.html",
        {
            "clinician": clinician,
            "entries": entries,
            "score": score,
            "progress": selectors.tier_progress(lifetime=score.lifetime),
            "awards": selectors.awards_of(clinician=clinician),
        },
    )


@login_required
def leaderboard(request: HttpRequest) -> HttpResponse:
    # Staff read the leaderboard too; they are not on it (no clinician record).
    clinician = selectors.clinician_for_user(user=request.user)
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


@login_required
def reward_list(request: HttpRequest) -> HttpResponse:
    clinician = _clinician(request)
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


@login_required
@require_http_methods(["GET", "POST"])
def reward_redeem(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation step (what it costs, the balance after); POST: the redemption."""
    clinician = _clinician(request)
    reward = get_object_or_404(selectors.rewards_available(), pk=pk)
    if request.method == "GET":
        balance = services.clinician_balance(clinician_id=clinician.pk)
        context = {"reward": reward, "balance": balance, "balance_after": balance - reward.cost}
        return render(request, "incentives/reward_confirm.html", context)
    try:
        services.redemption_request(clinician=clinician, reward=reward)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Requested {reward.name}: {reward.cost} points were deducted.")
    return redirect("incentives:reward_list")
