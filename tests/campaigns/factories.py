"""Factories for the campaigns tests: linked social accounts and toolkit items."""

import factory

from campaigns.models import ToolkitItem, ToolkitItemKind
from clinicians.models import Platform, SocialAccount
from tests.factories import CampaignFactory, VerifiedClinicianFactory


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    clinician = factory.SubFactory(VerifiedClinicianFactory)
    platform = Platform.X
    handle = factory.Sequence(lambda n: f"drhandle{n}")


class ToolkitItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolkitItem

    campaign = factory.SubFactory(CampaignFactory)
    kind = ToolkitItemKind.SUGGESTED_POST
    text = factory.Sequence(lambda n: f"Suggested post number {n}: vaccines save lives. #vaccineswork")
    position = factory.Sequence(lambda n: n)
