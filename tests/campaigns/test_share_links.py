"""One-click share: each platform's compose/share page, pre-filled, and Mastodon on the clinician's server."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from campaigns.share_links import mastodon_instance_clean, share_links, share_url
from clinicians.models import Platform
from tests.campaigns.factories import ToolkitItemFactory
from tests.factories import CampaignFactory, ParticipationFactory, VerifiedClinicianFactory

TEXT = "Flu shots are safe & free at 65+ #FluFacts"
LINK = "https://www.cdc.gov/flu/prevent/keyfacts.htm?x=1&y=2"


def _parts(url: str) -> tuple[str, str, dict[str, list[str]]]:
    parts = urlsplit(url)
    return parts.netloc, parts.path, parse_qs(parts.query)


@pytest.mark.parametrize(
    ("platform", "host", "path", "query"),
    [
        (Platform.X, "x.com", "/intent/post", {"text": [TEXT], "url": [LINK]}),
        (Platform.LINKEDIN, "www.linkedin.com", "/sharing/share-offsite/", {"url": [LINK]}),
        (Platform.BLUESKY, "bsky.app", "/intent/compose", {"text": [f"{TEXT} {LINK}"]}),
        (Platform.THREADS, "www.threads.net", "/intent/post", {"text": [f"{TEXT} {LINK}"]}),
        (Platform.FACEBOOK, "www.facebook.com", "/sharer/sharer.php", {"u": [LINK]}),
        (Platform.REDDIT, "www.reddit.com", "/submit", {"url": [LINK], "title": [TEXT]}),
        (Platform.MASTODON, "med-mastodon.com", "/share", {"text": [f"{TEXT} {LINK}"]}),
    ],
)
def test_it_builds_each_platforms_prefilled_share_url(platform, host, path, query):
    url = share_url(platform=platform, text=TEXT, url=LINK, instance="med-mastodon.com")
    assert url.startswith("https://")
    assert _parts(url) == (host, path, query)


def test_a_link_already_in_the_text_is_not_repeated():
    text = f"Read this: {LINK}"
    assert _parts(share_url(platform=Platform.BLUESKY, text=text, url=LINK))[2] == {"text": [text]}


@pytest.mark.parametrize(
    ("typed", "server"),
    [
        ("mastodon.social", "mastodon.social"),
        ("@drjane@Med-Mastodon.com", "med-mastodon.com"),
        ("https://mastodon.social/@drjane", "mastodon.social"),
        ("not a server", ""),
        ("javascript:alert(1)", ""),
        ("evil.com/x?y", "evil.com"),
    ],
)
def test_it_reads_the_mastodon_server_from_what_the_clinician_typed(typed, server):
    assert mastodon_instance_clean(typed) == server


def test_mastodon_is_offered_only_once_the_server_is_known():
    assert Platform.MASTODON not in {link.platform for link in share_links(text=TEXT, url=LINK)}
    assert Platform.MASTODON in {link.platform for link in share_links(text=TEXT, url=LINK, instance="a.social")}


@pytest.mark.django_db
def test_the_campaign_page_offers_share_buttons_then_logging_with_the_campaign_chosen(client):
    clinician = VerifiedClinicianFactory()
    campaign = CampaignFactory()
    ParticipationFactory(clinician=clinician, campaign=campaign)
    ToolkitItemFactory(campaign=campaign, text=TEXT, url=LINK)
    client.force_login(clinician.user)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert 'href="https://x.com/intent/post?text=' in page
    assert "med-mastodon.com/share" not in page
    assert f"{reverse('campaigns:activity_create')}?campaign={campaign.pk}" in page
    response = client.post(
        reverse("campaigns:share_mastodon_instance"), {"instance": "@me@med-mastodon.com", "campaign": campaign.slug}
    )
    assert response.status_code == 302
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert 'href="https://med-mastodon.com/share?text=' in page
