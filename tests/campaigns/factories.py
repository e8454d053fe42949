"""Factories for the campaigns tests: linked social accounts and toolkit items."""

import factory

from campaigns.models import ToolkitItem, ToolkitItemKind
from tests.factories import CampaignFactory, SocialAccountFactory  # noqa: F401 (re-exported for these tests)


class ToolkitItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolkitItem

    campaign = factory.SubFactory(CampaignFactory)
    kind = ToolkitItemKind.SUGGESTED_POST
    text = factory.Sequence(lambda n: f"Suggested post number {n}: vaccines save lives. #vaccineswork")
    position = factory.Sequence(lambda n: n)
