"""Factories for the incentives and credential models the reports read (tests/factories.py has the rest)."""

import factory
from django.utils import timezone

from clinicians.models import CredentialDecision, CredentialStatus
from incentives.models import LedgerEntry, LedgerKind, Redemption, Reward, Score
from reports.models import Report, ReportFormat, ReportKind
from tests.factories import ActivityFactory, CredentialFactory, VerifiedClinicianFactory


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    clinician = factory.SubFactory(VerifiedClinicianFactory)
    amount = 10
    kind = LedgerKind.AWARD
    idempotency_key = factory.Sequence(lambda n: f"test-ledger-{n}")
    created_at = factory.LazyFunction(timezone.now)


class AwardFactory(LedgerEntryFactory):
    """An award for an activity, to the activity's clinician."""

    activity = factory.SubFactory(ActivityFactory)
    clinician = factory.SelfAttribute("activity.clinician")


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    clinician = factory.SubFactory(VerifiedClinicianFactory)


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"Conference pass #{n}")
    cost = 50


class RedemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Redemption

    reward = factory.SubFactory(RewardFactory)
    clinician = factory.SubFactory(VerifiedClinicianFactory)
    cost = factory.SelfAttribute("reward.cost")


class CredentialDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialDecision

    credential = factory.SubFactory(CredentialFactory)
    status = CredentialStatus.VERIFIED


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = ReportKind.ACTIVITY_EXPORT
    format = ReportFormat.CSV
    parameters = factory.LazyFunction(lambda: {"start": "2026-10-01", "end": "2026-10-31"})
