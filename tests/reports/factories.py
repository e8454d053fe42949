"""Factories for the incentives and credential models the reports read (tests/factories.py has the rest)."""

import factory

from clinicians.models import CredentialDecision, CredentialStatus
from reports.models import Report, ReportFormat, ReportKind
from tests.factories import (  # noqa: F401 (shared ones re-exported for these tests)
    ActivityFactory,
    CredentialFactory,
    LedgerEntryFactory,
    RedemptionFactory,
    RewardFactory,
    ScoreFactory,
)


class AwardFactory(LedgerEntryFactory):
    """An award for an activity, to the activity's clinician."""

    activity = factory.SubFactory(ActivityFactory)
    clinician = factory.SelfAttribute("activity.clinician")


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
