"""The clinician's share of "My data" held by incentives: ledger, badges and redemptions; on
deletion only the redemptions' notes go (the ledger stays, the totals rest on it)."""

import pytest
from django.db.models import Sum

from incentives.models import LedgerEntry, Redemption
from incentives.personal_data import incentives_personal_data, incentives_personal_data_erase
from tests.dashboard.factories import AwardFactory, RedemptionFactory
from tests.factories import ActivityFactory, LedgerEntryFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


def test_it_exports_the_clinicians_ledger_badges_and_redemptions_only():
    clinician = VerifiedClinicianFactory()
    activity = ActivityFactory(clinician=clinician)
    LedgerEntryFactory(clinician=clinician, activity=activity, amount=30)
    LedgerEntryFactory(clinician=clinician, amount=-5, kind="adjustment", memo="Duplicate post")
    LedgerEntryFactory(amount=99)
    AwardFactory(clinician=clinician, badge__name="First voice")
    RedemptionFactory(clinician=clinician, note="Ship to 12 Elm Street")

    data = incentives_personal_data(clinician=clinician)

    assert sorted((row["amount"], row["activity__url"]) for row in data["ledger"]) == [(-5, None), (30, activity.url)]
    assert [row["badge__name"] for row in data["badges"]] == ["First voice"]
    [redemption] = data["redemptions"]
    assert redemption["note"] == "Ship to 12 Elm Street" and redemption["cost"] == 50


def test_it_empties_the_redemption_notes_and_keeps_the_ledger():
    clinician = VerifiedClinicianFactory()
    LedgerEntryFactory(clinician=clinician, amount=30)
    RedemptionFactory(clinician=clinician, note="Ship to 12 Elm Street")
    other = RedemptionFactory(note="Ship to 3 Oak Road")

    incentives_personal_data_erase(clinician=clinician)

    assert list(Redemption.objects.filter(clinician=clinician).values_list("note", "cost")) == [("", 50)]
    assert Redemption.objects.get(pk=other.pk).note == "Ship to 3 Oak Road"
    assert LedgerEntry.objects.filter(clinician=clinician).aggregate(total=Sum("amount"))["total"] == 30


def test_delivery_details_and_digests_are_exported_then_erased():
    from django.utils import timezone

    from incentives.models import WeeklyDigest

    clinician = VerifiedClinicianFactory()
    RedemptionFactory(clinician=clinician, delivery_name="Dr A. Person", delivery_address="12 Elm Street\nSpringfield")
    WeeklyDigest.objects.create(clinician=clinician, week_of=timezone.localdate(), rank_overall=3, lifetime=120)
    other = RedemptionFactory(delivery_name="Dr B. Other", delivery_address="3 Oak Road")

    data = incentives_personal_data(clinician=clinician)
    [redemption] = data["redemptions"]
    assert (redemption["delivery_name"], redemption["delivery_address"]) == (
        "Dr A. Person",
        "12 Elm Street\nSpringfield",
    )
    assert [(row["rank_overall"], row["lifetime"]) for row in data["weekly_digests"]] == [(3, 120)]

    incentives_personal_data_erase(clinician=clinician)

    assert list(Redemption.objects.filter(clinician=clinician).values_list("delivery_name", "delivery_address")) == [
        ("", "")
    ]
    assert not WeeklyDigest.objects.filter(clinician=clinician).exists()
    assert Redemption.objects.get(pk=other.pk).delivery_address == "3 Oak Road"
