"""No dead ends: every link in the navigation and on the dashboard opens for the role that sees it,
and errors are shown in the portal's own pages."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from campaigns.models import Activity
from tests.factories import ActivityFactory, CampaignFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="container site-nav".*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"#]*)"')


def _nav_links(html: str) -> list[str]:
    return HREF.findall(NAV.search(html).group(0))


def _dashboard_links(html: str) -> list[str]:
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return HREF.findall(main)


@pytest.fixture
def campaign(db):
    campaign = CampaignFactory(title="Flu shots save lives")
    ActivityFactory(campaign=campaign)
    return campaign


@pytest.mark.parametrize("role", ["clinician", "staff", "admin"])
def test_it_every_navigation_and_dashboard_link_opens_for_each_role(client, campaign, role, request):
    user = VerifiedClinicianFactory().user if role == "clinician" else request.getfixturevalue(f"{role}_user")
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    links = set(_nav_links(page)) | {link for link in _dashboard_links(page) if not link.startswith("/static/")}
    assert reverse("campaigns:campaign_list") in links
    for link in sorted(links):
        response = client.get(link)
        assert response.status_code in (200, 302), f"{role}: {link} answered {response.status_code}"


def test_it_offers_staff_only_the_pages_of_their_role(client, staff_user):
    client.force_login(staff_user)
    links = _nav_links(client.get(reverse("dashboard")).content.decode())
    for clinician_page in ("campaigns:activity_list", "incentives:statement", "incentives:reward_list"):
        assert reverse(clinician_page) not in links
    assert reverse("campaigns:campaign_list") in links
    assert reverse("incentives:leaderboard") in links


def test_it_lets_staff_read_a_campaign_and_the_leaderboard(client, staff_user, campaign):
    client.force_login(staff_user)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug]))
    assert page.status_code == 200
    assert "Flu shots save lives" in page.content.decode()
    assert "Join campaign" not in page.content.decode()
    board = client.get(reverse("incentives:leaderboard"))
    assert board.status_code == 200
    assert "Your rank" not in board.content.decode()


def test_it_says_what_an_activity_without_campaign_or_evidence_has(client):
    activity = ActivityFactory(campaign=None, citations=[])
    client.force_login(activity.clinician.user)
    page = client.get(reverse("campaigns:activity_detail", args=[activity.pk])).content.decode()
    assert "<dd>None</dd>" not in page
    assert "Not part of a campaign" in page
    assert "No evidence cited" in page


def test_it_shows_a_missing_page_in_the_portal_layout(client, clinician_user):
    client.force_login(clinician_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page
    assert 'class="site-nav"' in page or "site-nav" in page


def test_it_shows_a_refusal_in_the_portal_layout(client, clinician_user):
    client.force_login(clinician_user)
    response = client.get(reverse("reports:report_list"))
    assert response.status_code == 403
    assert "This page is not open to your account" in response.content.decode()


def test_it_renders_the_server_error_page_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert Activity.objects.count() == 0
