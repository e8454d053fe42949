"""No dead ends: each role follows every navigation link and every link on its dashboard without a
404 or 500; a clinician shares a toolkit post on each platform, logs it and sees what it earned."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from campaigns.models import Activity, ToolkitItem, ToolkitItemKind, TrackedLink
from clinicians.models import Platform
from tests.browser.conftest import axe_violations, screenshot, sign_in_code_if_asked
from tests.factories import (
    DEFAULT_PASSWORD,
    ActivityFactory,
    CampaignFactory,
    ParticipationFactory,
    ProvenSocialAccountFactory,
    VerifiedClinicianFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SUGGESTED = "Flu season is here: a yearly flu shot cuts hospital stays. Ask us at your next visit. #FluFacts"
EVIDENCE = "https://www.cdc.gov/flu/prevent/keyfacts.htm"


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    sign_in_code_if_asked(page, email)
    page.wait_for_url("**/dashboard/**")


def _links(page, selector: str) -> set[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(link => link.getAttribute('href'))")
    return {href.split("#")[0] for href in hrefs if href and href.startswith("/") and not href.startswith("/static/")}


def _campaign_with_posts():
    campaign = CampaignFactory(title="Flu shots save lives", slug="flu-shots")
    ToolkitItem.objects.create(campaign=campaign, kind=ToolkitItemKind.SUGGESTED_POST, text=SUGGESTED, url=EVIDENCE)
    ActivityFactory(campaign=campaign)
    return campaign


@pytest.mark.parametrize("role", ["clinician", "staff", "admin"])
def test_each_role_follows_every_navigation_and_dashboard_link_without_a_dead_end(page, role, request):
    campaign = _campaign_with_posts()
    if role == "clinician":
        clinician = VerifiedClinicianFactory(user__email="nav@example.org")
        ParticipationFactory(clinician=clinician, campaign=campaign)
        user = clinician.user
    else:
        user = request.getfixturevalue(f"{role}_user")
    _log_in(page, user.email)
    links = _links(page, "nav.site-nav a") | _links(page, "main a")
    assert "/campaigns/" in links and "/leaderboard/" in links
    if role != "clinician":
        assert "/activities/" not in links and "/points/" not in links
    visited = {}
    for link in sorted(links):
        response = page.goto(link)
        visited[link] = response.status
        # Every campaign card on the dashboard and the campaign list leads somewhere too.
        if link == "/campaigns/":
            for card in sorted(_links(page, ".campaign-card a") - set(links)):
                visited[card] = page.goto(card).status
    dead = {link: status for link, status in visited.items() if status >= 400}
    assert dead == {}, f"{role}: {dead}"
    assert f"/campaigns/{campaign.slug}/" in visited
    page.goto(f"/campaigns/{campaign.slug}/")
    screenshot(page, f"campaign-detail-{role}")
    assert axe_violations(page) == []
    page.goto("/no-such-page/")
    assert "We could not find that page" in page.inner_text("main")
    screenshot(page, f"not-found-{role}")


def test_a_clinician_shares_a_toolkit_post_logs_it_and_sees_what_it_earned(page, live_server):
    clinician = VerifiedClinicianFactory(user__email="share@example.org", display_name="Dr Share")
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.X, handle="drshare")
    campaign = _campaign_with_posts()
    ParticipationFactory(clinician=clinician, campaign=campaign)
    _log_in(page, "share@example.org")

    page.goto(f"/campaigns/{campaign.slug}/")
    page.get_by_label("On Mastodon? Your server").fill("@drshare@med-mastodon.com")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/campaigns/{campaign.slug}/**")
    # A member shares their own tracked short link to the evidence, which counts clicks.
    link = f"{live_server.url}/l/{TrackedLink.objects.get(clinician=clinician).code}"
    expected = {
        "x": ("x.com", "/intent/post", {"text": [SUGGESTED], "url": [link]}),
        "linkedin": ("www.linkedin.com", "/sharing/share-offsite/", {"url": [link]}),
        "bluesky": ("bsky.app", "/intent/compose", {"text": [f"{SUGGESTED} {link}"]}),
        "threads": ("www.threads.net", "/intent/post", {"text": [f"{SUGGESTED} {link}"]}),
        "facebook": ("www.facebook.com", "/sharer/sharer.php", {"u": [link]}),
        "reddit": ("www.reddit.com", "/submit", {"url": [link], "title": [SUGGESTED]}),
        "mastodon": ("med-mastodon.com", "/share", {"text": [f"{SUGGESTED} {link}"]}),
    }
    for platform, (host, path, query) in expected.items():
        button = page.locator(f'.share-buttons a[data-platform="{platform}"]')
        assert button.get_attribute("target") == "_blank"
        parts = urlsplit(button.get_attribute("href"))
        assert (parts.scheme, parts.netloc, parts.path, parse_qs(parts.query)) == ("https", host, path, query)
    screenshot(page, "campaign-share")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Shared it? Log this post").click()
    assert page.get_by_label("Campaign (optional)").input_value() == str(campaign.pk)
    page.get_by_label("Link to the post").fill("https://x.com/drshare/status/1790000000123?s=20&t=abc")
    posted = timezone.localtime() - dt.timedelta(hours=2)
    page.get_by_label("Posted at").fill(posted.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Category").select_option("public_education")
    page.get_by_label("Text of the post (optional)").fill(SUGGESTED)
    page.get_by_label("Impressions").fill("2500")
    page.get_by_role("button", name="Log post").click()
    page.wait_for_url("**/activities/*/")

    activity = Activity.objects.get(clinician=clinician)
    assert activity.url == "https://x.com/drshare/status/1790000000123"
    points = page.get_by_test_id("activity-points").inner_text()
    assert int(points) > 0
    main = page.inner_text("main")
    assert "Base points for a public education post" in main
    assert "Reach bonus for 2,500 impressions" in main
    assert "None" not in main.split()
    screenshot(page, "activity-points")
    assert axe_violations(page) == []

    page.goto("/activities/")
    assert page.get_by_test_id(f"points-{activity.pk}").inner_text() == points
    screenshot(page, "activity-list-points")
    assert axe_violations(page) == []
    page.goto("/points/")
    screenshot(page, "points-statement-grouped")
