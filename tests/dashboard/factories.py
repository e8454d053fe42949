"""Factories for the records the dashboards read, created directly (the owning apps' services are
built in parallel and the dashboards only read)."""

import factory
from django.utils import timezone

from clinicians.models import Platform, SocialAccount
from core.models import Notification, NotificationKind
from incentives.models import Award, Badge, LedgerEntry, LedgerKind, Redemption, Reward, Score
from reports.models import Report, ReportFormat, ReportKind, ReportStatus
from tests.factories import UserFactory, VerifiedClinicianFactory


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    clinician = factory.SubFactory(VerifiedClinicianFactory)
    platform = Platform.X
    handle = factory.Sequence(lambda n: f"drexample{n}")
    profile_url = factory.LazyAttribute(lambda o: f"https://x.com/{o.handle}")


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    clinician = factory.SubFactory(VerifiedClinicianFactory)
    amount = 10
    kind = LedgerKind.AWARD
    memo = "Accepted post"
    idempotency_key = factory.Sequence(lambda n: f"test-entry-{n}")
    created_at = factory.LazyFunction(timezone.now)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score
        django_get_or_create = ("clinician",)

    clinician = factory.SubFactory(VerifiedClinicianFactory)
    lifetime = 240
    balance = 200
    last_30_days = 60
    rank_overall = 3
    tier = "bronze"


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"badge-{n}")
    name = factory.Sequence(lambda n: f"Badge {n}")
    description = "Earned for a first accepted post."
    icon = "🌱"


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    badge = factory.SubFactory(BadgeFactory)
    clinician = factory.SubFactory(VerifiedClinicianFactory)


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"Conference ticket {n}")
    cost = 100


class RedemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Redemption

    reward = factory.SubFactory(RewardFactory)
    clinician = factory.SubFactory(VerifiedClinicianFactory)
    cost = 100
    note = "Ship to 12 Elm Street"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = ReportKind.ADVOCACY_SUMMARY
    format = ReportFormat.CSV
    status = ReportStatus.SUCCEEDED
    progress = 100
    requested_by = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = NotificationKind.BADGE_EARNED
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Well done."
    url = "/dashboard/"
