"""Campaign prerequisites: a campaign that requires learning modules can be joined only after they
are completed (any version), and its page says what to complete first, with links."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Participation
from campaigns.participation import campaign_join
from learning import services
from tests.factories import CampaignFactory, VerifiedClinicianFactory
from tests.learning.factories import ModuleFactory, answers

pytestmark = pytest.mark.django_db


def test_it_refuses_to_join_until_the_required_modules_are_completed():
    clinician = VerifiedClinicianFactory()
    module = ModuleFactory(title="Protecting patient privacy on social media")
    campaign = CampaignFactory()
    campaign.required_modules.add(module)
    with pytest.raises(ValidationError, match="Protecting patient privacy"):
        campaign_join(clinician=clinician, campaign=campaign)
    assert not Participation.objects.exists()
    services.quiz_submit(clinician=clinician, module=module, answers=answers(module))
    services.module_publish_new_version(module=module)  # an earlier version still counts
    assert campaign_join(clinician=clinician, campaign=campaign).clinician == clinician


def test_the_campaign_page_links_to_what_to_complete_first(client):
    clinician = VerifiedClinicianFactory()
    client.force_login(clinician.user)
    module = ModuleFactory(title="Protecting patient privacy on social media")
    campaign = CampaignFactory()
    campaign.required_modules.add(module)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert "Before you join" in page
    assert reverse("learning:module_detail", args=[module.slug]) in page
    assert "Join campaign" not in page
    response = client.post(reverse("campaigns:campaign_join", args=[campaign.slug]), follow=True)
    assert "Complete these learning modules before joining" in response.content.decode()
