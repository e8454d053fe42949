"""Rewards: redemptions deduct through the ledger, never overdraw balance or stock (also under real
concurrency on PostgreSQL), and admin decisions (cancel refunds)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse

from core.models import Notification, NotificationKind
from incentives.models import LedgerEntry, LedgerKind, Redemption, RedemptionStatus, Reward, Score
from incentives.services import ledger_adjust, redemption_decide, redemption_request
from tests.conftest import reauthenticate, require_services
from tests.factories import UserFactory, VerifiedClinicianFactory
from tests.incentives.factories import RewardFactory

pytestmark = pytest.mark.django_db


def funded(points: int):
    clinician = VerifiedClinicianFactory()
    ledger_adjust(clinician=clinician, amount=points, reason="Opening balance", actor=UserFactory(is_staff=True))
    return clinician


def balance(clinician) -> int:
    return sum(LedgerEntry.objects.filter(clinician=clinician).values_list("amount", flat=True))


def test_it_deducts_the_cost_and_takes_one_from_stock():
    clinician = funded(120)
    reward = RewardFactory(cost=50, stock=2)
    redemption = redemption_request(clinician=clinician, reward=reward)
    assert (redemption.status, redemption.cost) == (RedemptionStatus.REQUESTED, 50)
    assert balance(clinician) == 70
    assert Score.objects.get(clinician=clinician).balance == 70
    assert Reward.objects.get(pk=reward.pk).stock == 1
    entry = LedgerEntry.objects.get(kind=LedgerKind.REDEMPTION)
    assert (entry.amount, entry.idempotency_key) == (-50, f"redemption:{redemption.pk}")
    assert Notification.objects.filter(kind=NotificationKind.REDEMPTION_STATUS).exists()


def test_it_refuses_without_enough_balance_or_stock_and_writes_nothing():
    clinician = funded(40)
    with pytest.raises(ValidationError, match="costs 50 points; your balance is 40"):
        redemption_request(clinician=clinician, reward=RewardFactory(cost=50))
    with pytest.raises(ValidationError, match="out of stock"):
        redemption_request(clinician=clinician, reward=RewardFactory(cost=10, stock=0))
    assert not Redemption.objects.exists()
    assert balance(clinician) == 40


def test_cancel_refunds_and_restocks_and_decisions_follow_the_workflow():
    clinician = funded(100)
    admin = UserFactory(is_staff=True)
    reward = RewardFactory(cost=60, stock=1)
    redemption = redemption_request(clinician=clinician, reward=reward)
    with pytest.raises(ValidationError):
        redemption_decide(redemption=redemption, status=RedemptionStatus.FULFILLED, actor=admin)
    redemption_decide(redemption=redemption, status=RedemptionStatus.APPROVED, actor=admin)
    redemption_decide(redemption=redemption, status=RedemptionStatus.CANCELLED, actor=admin)
    assert balance(clinician) == 100
    assert Reward.objects.get(pk=reward.pk).stock == 1
    assert LedgerEntry.objects.get(kind=LedgerKind.REFUND).amount == 60
    with pytest.raises(ValidationError):
        redemption_decide(redemption=redemption, status=RedemptionStatus.CANCELLED, actor=admin)
    assert LedgerEntry.objects.filter(kind=LedgerKind.REFUND).count() == 1


def test_admin_actions_approve_and_fulfil(client, admin_user):
    redemption = redemption_request(clinician=funded(100), reward=RewardFactory(cost=10))
    client.force_login(admin_user)
    reauthenticate(client)
    url = reverse("admin:incentives_redemption_changelist")
    for action in ("redemption_approve", "redemption_fulfil"):
        client.post(url, {"action": action, "_selected_action": [redemption.pk]})
    redemption.refresh_from_db()
    assert (redemption.status, redemption.decided_by) == (RedemptionStatus.FULFILLED, admin_user)


def _race(target, count: int) -> list:
    barrier = threading.Barrier(count)
    outcomes: list = []

    def run():
        close_old_connections()
        try:
            barrier.wait()
            outcomes.append(target())
        except Exception as error:  # noqa: BLE001 - the outcome of each racer is the assertion
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_overdraw_balance_or_stock():
    require_services()
    clinician = funded(100)
    reward = RewardFactory(cost=30, stock=10)
    outcomes = _race(lambda: redemption_request(clinician=clinician, reward=reward), 6)
    assert sum(isinstance(o, Redemption) for o in outcomes) == 3
    assert all(isinstance(o, Redemption | ValidationError) for o in outcomes), outcomes
    assert balance(clinician) == 10
    scarce = RewardFactory(cost=1, stock=2)
    many = [funded(10) for _ in range(5)]
    iterator = iter(many)
    lock = threading.Lock()

    def next_request():
        with lock:
            who = next(iterator)
        return redemption_request(clinician=who, reward=scarce)

    outcomes = _race(next_request, 5)
    assert sum(isinstance(o, Redemption) for o in outcomes) == 2
    assert Reward.objects.get(pk=scarce.pk).stock == 0
