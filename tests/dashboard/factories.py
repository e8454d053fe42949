"""Dashboard test data: badges, finished reports, notifications, and scores with figures to show."""

import factory

from core.models import Notification, NotificationKind
from incentives.models import Award, Badge
from reports.models import Report, ReportFormat, ReportKind, ReportStatus
from tests import factories as shared
from tests.factories import (  # noqa: F401 (shared ones re-exported for these tests)
    LedgerEntryFactory,
    RewardFactory,
    SocialAccountFactory,
    UserFactory,
    VerifiedClinicianFactory,
)


class ScoreFactory(shared.ScoreFactory):
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


class RedemptionFactory(shared.RedemptionFactory):
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
