"""Tracked links: a member's short /l/<code> link to an evidence link counts clicks and redirects,
keeping nothing about who clicked."""

import pytest
from django.urls import reverse

from campaigns.models import TrackedLink
from campaigns.participation import tracked_link_follow, tracked_links_ensure
from tests.campaigns.factories import ToolkitItemFactory
from tests.factories import ActivityFactory, CampaignFactory, ParticipationFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db

EVIDENCE = "https://www.cdc.gov/flu/prevent/keyfacts.htm"


def test_it_gives_each_clinician_one_link_per_item_and_only_for_items_with_a_link():
    clinician = VerifiedClinicianFactory()
    with_link = ToolkitItemFactory(url=EVIDENCE)
    without = ToolkitItemFactory(campaign=with_link.campaign, url="")
    first = tracked_links_ensure(clinician=clinician, items=[with_link, without])
    again = tracked_links_ensure(clinician=clinician, items=[with_link, without])
    assert set(first) == {with_link.pk}
    assert first[with_link.pk].pk == again[with_link.pk].pk
    other = tracked_links_ensure(clinician=VerifiedClinicianFactory(), items=[with_link])
    assert other[with_link.pk].code != first[with_link.pk].code


def test_following_a_link_counts_the_click_and_redirects_without_keeping_the_visitor(client):
    item = ToolkitItemFactory(url=EVIDENCE)
    link = tracked_links_ensure(clinician=VerifiedClinicianFactory(), items=[item])[item.pk]
    for _ in range(3):
        response = client.get(f"/l/{link.code}", HTTP_USER_AGENT="Reader", REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302
        assert response["Location"] == EVIDENCE
    link.refresh_from_db()
    assert link.clicks == 3
    stored = {field.name for field in TrackedLink._meta.get_fields()}
    assert stored == {"id", "code", "clinician", "toolkit_item", "campaign", "clicks", "created_at"}


def test_an_unknown_code_is_a_404(client):
    assert client.get("/l/nothing").status_code == 404
    assert tracked_link_follow(code="nothing") is None


def test_a_member_shares_the_tracked_link_and_sees_its_clicks_on_the_campaign_page(client):
    clinician = VerifiedClinicianFactory()
    campaign = CampaignFactory()
    ParticipationFactory(clinician=clinician, campaign=campaign)
    item = ToolkitItemFactory(campaign=campaign, text="Flu facts", url=EVIDENCE)
    client.force_login(clinician.user)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    link = TrackedLink.objects.get(clinician=clinician, toolkit_item=item)
    assert f"http%3A%2F%2Ftestserver%2Fl%2F{link.code}" in page
    client.get(f"/l/{link.code}")
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert f'data-testid="clicks-{item.pk}">1<' in page
    assert 'data-testid="link-clicks">1<' in page


def test_clicks_appear_on_my_activity_and_on_the_activity_of_that_campaign(client):
    item = ToolkitItemFactory(url=EVIDENCE)
    participation = ParticipationFactory(campaign=item.campaign)
    clinician = participation.clinician
    link = tracked_links_ensure(clinician=clinician, items=[item])[item.pk]
    other_campaign = ToolkitItemFactory(url=EVIDENCE)
    other = tracked_links_ensure(clinician=clinician, items=[other_campaign])[other_campaign.pk]
    for code in (link.code, link.code, other.code):
        client.get(f"/l/{code}")
    in_campaign = ActivityFactory(clinician=clinician, campaign=item.campaign)
    outside = ActivityFactory(clinician=clinician, campaign=None)
    client.force_login(clinician.user)
    listing = client.get(reverse("campaigns:activity_list")).content.decode()
    assert 'data-testid="link-clicks">3</span> <span class="stat-label">clicks on your tracked links<' in listing
    page = client.get(reverse("campaigns:activity_detail", args=[in_campaign.pk])).content.decode()
    label = f"clicks on your tracked links for {item.campaign.title}"
    assert f'data-testid="link-clicks">2</span> <span class="stat-label">{label}<' in page
    page = client.get(reverse("campaigns:activity_detail", args=[outside.pk])).content.decode()
    assert 'data-testid="link-clicks"' not in page


def test_a_clinician_without_tracked_links_sees_no_click_figure(client):
    clinician = VerifiedClinicianFactory()
    client.force_login(clinician.user)
    assert 'data-testid="link-clicks"' not in client.get(reverse("campaigns:activity_list")).content.decode()
