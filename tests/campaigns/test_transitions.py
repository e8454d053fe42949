"""The activity status moves, pinned: one table (campaigns.models.ACTIVITY_TRANSITIONS) that the
services enforce and the pages ask before offering a button."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import ActivityStatus
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

S, A, F, R, W = (
    ActivityStatus.SUBMITTED,
    ActivityStatus.ACCEPTED,
    ActivityStatus.FLAGGED,
    ActivityStatus.REJECTED,
    ActivityStatus.WITHDRAWN,
)
ALLOWED = {W: {S, A, F}, A: {S, F, R}, R: {S, F, A}, F: {S, A}}
MOVES = {
    W: lambda activity: services.activity_withdraw(activity=activity),
    A: lambda activity: services.activity_accept(activity=activity),
    R: lambda activity: services.activity_reject(activity=activity, actor=None, reason="Off topic"),
    F: lambda activity: services.activity_flag(activity=activity, reason="Check the source"),
}


@pytest.mark.parametrize("target", list(MOVES))
@pytest.mark.parametrize("start", [S, A, F, R, W])
def test_the_services_make_exactly_the_moves_the_table_allows(start, target):
    activity = ActivityFactory(status=start)
    assert activity.can_become(target) == (start in ALLOWED[target])
    if start == target or start in ALLOWED[target]:
        assert MOVES[target](activity).status == target
    else:
        with pytest.raises(ValidationError):
            MOVES[target](activity)
        activity.refresh_from_db()
        assert activity.status == start


@pytest.mark.parametrize("start", [S, A, F, R, W])
def test_the_page_offers_withdrawal_and_editing_where_the_service_allows_them(client, start):
    activity = ActivityFactory(status=start)
    client.force_login(activity.clinician.user)
    page = client.get(reverse("campaigns:activity_detail", args=[activity.pk]))
    assert page.context["can_withdraw"] == (start in ALLOWED[W])
    edit = client.get(reverse("campaigns:activity_edit", args=[activity.pk]))
    assert (edit.status_code == 200) == (start not in (W, R))
