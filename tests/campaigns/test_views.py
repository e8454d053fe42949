"""Pages of the campaigns app: access, the activity form, My activity, campaigns."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Activity, ActivityStatus, Category, GoalKind, Participation
from clinicians.models import Platform
from tests.campaigns.factories import ToolkitItemFactory
from tests.campaigns.privacy_records import records_load
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    ParticipationFactory,
    ProvenSocialAccountFactory,
    VerifiedClinicianFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician(client):
    clinician = VerifiedClinicianFactory()
    client.force_login(clinician.user)
    return clinician


def _form(**overrides) -> dict:
    values = {
        "url": "https://www.instagram.com/p/Cabc/?igshid=1",
        "posted_at": (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "category": Category.PUBLIC_EDUCATION,
        "excerpt": "Wash your hands. It stops germs.",
        "citations": "10.1056/NEJMoa2034577\nPMID: 33301246",
        "impressions": "120",
        "likes": "4",
        "shares": "",
        "comments": "0",
        "clicks": "0",
        "disclosure": "none",
    }
    return {**values, **overrides}


ACTIVITY_URLS = ["activity_detail", "activity_edit"]


@pytest.mark.parametrize("name", ACTIVITY_URLS)
def test_another_clinicians_activity_is_a_404(client, clinician, name):
    other = ActivityFactory()
    assert client.get(reverse(f"campaigns:{name}", args=[other.pk])).status_code == 404
    if name == "activity_edit":
        assert client.post(reverse(f"campaigns:{name}", args=[other.pk]), {"impressions": 1}).status_code == 404


def test_another_clinicians_activity_cannot_be_withdrawn(client, clinician):
    other = ActivityFactory()
    assert client.post(reverse("campaigns:activity_withdraw", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == ActivityStatus.ACCEPTED


@pytest.mark.parametrize(
    "url",
    [
        reverse("campaigns:activity_list"),
        reverse("campaigns:activity_create"),
        reverse("campaigns:activity_detail", args=[1]),
        reverse("campaigns:activity_import"),
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_detail", args=["x"]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_user_without_a_clinician_profile_gets_a_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("campaigns:activity_list")).status_code == 404


def test_logging_a_post_normalises_it_and_holds_a_link_that_does_not_show_its_author(client, clinician):
    response = client.post(reverse("campaigns:activity_create"), _form())
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:activity_detail", args=[activity.pk]
    )
    assert activity.url == "https://instagram.com/p/Cabc"
    assert activity.platform == Platform.INSTAGRAM
    assert activity.citations == ["10.1056/NEJMoa2034577", "PMID:33301246"]
    assert (activity.impressions, activity.likes, activity.shares) == (120, 4, 0)
    assert activity.status == ActivityStatus.FLAGGED
    page = client.get(response["Location"]).content.decode()
    assert "You have not linked an Instagram account" in page and "Reading grade" in page


def test_bad_input_is_answered_on_the_fields(client, clinician):
    response = client.post(
        reverse("campaigns:activity_create"),
        _form(url="instagram", citations="not a citation", likes="-2", disclosure="disclosed"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"citations", "likes"}
    assert not Activity.objects.exists()
    # The post's rules are the service's (checked once the fields have their shapes); the form shows
    # its messages on the fields.
    response = client.post(reverse("campaigns:activity_create"), _form(url="instagram"))
    assert "https://" in response.context["form"].errors["url"][0]
    response = client.post(reverse("campaigns:activity_create"), _form(disclosure="disclosed"))
    assert response.context["form"].errors["disclosure_text"] == [
        "Describe the conflict of interest you are disclosing."
    ]
    assert not Activity.objects.exists()


def test_a_link_with_an_impossible_port_is_answered_on_the_field(client, clinician):
    response = client.post(reverse("campaigns:activity_create"), _form(url="https://x.com:99999/me/status/1"))
    assert response.status_code == 200
    assert "not a valid web address" in response.context["form"].errors["url"][0]


def test_a_metric_beyond_any_real_post_is_refused_in_words(client, clinician):
    response = client.post(reverse("campaigns:activity_create"), _form(impressions=str(10**19)))
    assert response.status_code == 200
    message = response.context["form"].errors["impressions"][0]
    assert message == "Enter at most 2 billion."
    assert "9223372036854775807" not in response.content.decode()
    assert not Activity.objects.exists()


def test_a_duplicate_links_to_the_existing_entry(client, clinician):
    existing = ActivityFactory(clinician=clinician, url="https://instagram.com/p/Cabc")
    response = client.post(reverse("campaigns:activity_create"), _form())
    page = response.content.decode()
    assert f'href="{reverse("campaigns:activity_detail", args=[existing.pk])}"' in page
    assert "Open the entry you already logged" in page


def _hits_shown(page: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each hit listed by _privacy_hits.html, the partial both the live check and the form use."""
    return [
        (kind, int(start), int(end))
        for kind, start, end in re.findall(r'<li data-kind="(\w+)" data-start="(\d+)" data-end="(\d+)">', page)
    ]


def test_privacy_hits_are_shown_with_their_kinds_and_the_confirmation_names_them(client, clinician):
    excerpt = "Mrs. Alvarez was admitted to bed 7 with pneumonia after refusing the vaccine."
    response = client.post(reverse("campaigns:activity_create"), _form(excerpt=excerpt))
    page = response.content.decode()
    assert '<mark data-kind="name" title="Patient&#x27;s name">Mrs. Alvarez</mark>' in page
    assert '<mark data-kind="room_bed_unit"' in page and ">bed 7</mark>" in page
    assert _hits_shown(page) == [("name", 0, 12), ("room_bed_unit", 29, 34)]
    assert "I have checked Patient&#x27;s name: “Mrs. Alvarez”; Room, bed, unit or ward: “bed 7”" in page
    assert not Activity.objects.exists()
    fingerprint = re.search(r'name="privacy_confirmed" value="(\w+)"', page).group(1)

    response = client.post(reverse("campaigns:activity_create"), _form(excerpt=excerpt, save_anyway="on"))
    assert response.status_code == 200, "a tick without the fingerprint of what was shown confirms nothing"
    response = client.post(
        reverse("campaigns:activity_create"),
        _form(excerpt=excerpt, save_anyway="on", privacy_confirmed=fingerprint),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.status == ActivityStatus.FLAGGED
    assert "Mrs. Alvarez" in activity.review_reason


def test_the_live_check_highlights_exactly_what_the_submit_stops_on(client, clinician):
    """The same texts go to the htmx live check and to the form's submit: the hits shown while typing are
    the hits a save stops on, and a text the live check passes is saved without a question."""
    texts = [record.text for record in records_load("dev")][::9] or [
        "Maria Lopez came into our ER last night with a stroke.",
        "Call our clinic at (312) 555-0198 to book your flu shot.",
    ]
    texts += [
        "Her son's mobile is +44 7911 123456 if anyone has news.",
        "Two doses of MMR protect 97% of people from measles. #VaccinesWork",
    ]
    # Posts from the clinician's proven account, so only the privacy guard can hold one back.
    ProvenSocialAccountFactory(clinician=clinician, platform="x", handle="drlive")
    stopped = 0
    for number, text in enumerate(texts):
        live = client.get(
            reverse("campaigns:activity_excerpt_check"), {"excerpt": text, "category": Category.RECRUITMENT}
        )
        code = f"/status/{7_000 + number}"
        url = f"https://x.com/drlive{code}"
        submit = client.post(reverse("campaigns:activity_create"), _form(url=url, excerpt=text))
        shown = _hits_shown(live.content.decode())
        if shown:
            stopped += 1
            assert submit.status_code == 200, text
            assert _hits_shown(submit.content.decode()) == shown, text
            assert not Activity.objects.filter(url__endswith=code).exists()
        else:
            assert submit.status_code == 302, text
            assert Activity.objects.get(url__endswith=code).status == ActivityStatus.ACCEPTED
    assert 0 < stopped < len(texts)


def test_editing_the_text_runs_the_guard_and_a_metrics_only_post_keeps_the_text(client, clinician):
    activity = ActivityFactory(clinician=clinician, excerpt="Flu shots save lives.", impressions=5)
    edit = reverse("campaigns:activity_edit", args=[activity.pk])
    figures = {"impressions": "9", "likes": "0", "shares": "0", "comments": "0", "clicks": "0"}
    assert client.post(edit, figures).status_code == 302
    activity.refresh_from_db()
    assert (activity.excerpt, activity.impressions) == ("Flu shots save lives.", 9)

    text = "Flu shots save lives. Ask Mr. Okafor in room 12, admitted with flu pneumonia."
    response = client.post(edit, {**figures, "excerpt": text})
    assert response.status_code == 200
    assert [kind for kind, _, _ in _hits_shown(response.content.decode())] == ["name", "room_bed_unit"]
    fingerprint = re.search(r'name="privacy_confirmed" value="(\w+)"', response.content.decode()).group(1)
    response = client.post(edit, {**figures, "excerpt": text, "save_anyway": "on", "privacy_confirmed": fingerprint})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.excerpt, activity.status) == (text, ActivityStatus.FLAGGED)


def test_campaign_hashtags_in_the_excerpt_suggest_the_campaign(client, clinician):
    campaign = CampaignFactory(title="Flu fighters", hashtags=["flufighters"])
    response = client.get(
        reverse("campaigns:activity_excerpt_check"),
        {"excerpt": "Get your shot #FluFighters", "category": Category.PUBLIC_EDUCATION},
    )
    page = response.content.decode()
    assert "Flu fighters" in page and "Join it" in page and "Reading grade" in page
    ParticipationFactory(clinician=clinician, campaign=campaign)
    response = client.post(reverse("campaigns:activity_create"), _form(url="bad", excerpt="#flufighters"))
    assert "Choose it under" in response.content.decode()


def test_the_form_offers_only_joined_campaigns(client, clinician):
    joined = ParticipationFactory(clinician=clinician).campaign
    CampaignFactory(title="Not joined")
    choices = list(client.get(reverse("campaigns:activity_create")).context["form"].fields["campaign"].queryset)
    assert choices == [joined]


def test_metrics_edit_keeps_the_previous_values(client, clinician):
    activity = ActivityFactory(clinician=clinician, impressions=10)
    response = client.post(
        reverse("campaigns:activity_edit", args=[activity.pk]),
        {"impressions": 99, "likes": 1, "shares": 0, "comments": 0, "clicks": 0},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.impressions == 99 and activity.metric_revisions.get().impressions == 10
    response = client.post(reverse("campaigns:activity_edit", args=[activity.pk]), {"impressions": "lots"})
    assert response.status_code == 200 and "impressions" in response.context["form"].errors


def test_a_metric_left_empty_on_edit_is_refused_not_saved_as_zero(client, clinician):
    """A number input holding text ("1.2k") is submitted empty by the browser: that must not erase
    the figure."""
    activity = ActivityFactory(clinician=clinician, impressions=500, likes=7)
    response = client.post(
        reverse("campaigns:activity_edit", args=[activity.pk]),
        {"impressions": "", "likes": "8", "shares": "0", "comments": "0", "clicks": "0"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["impressions"] == ["Enter a whole number (0 if there were none)."]
    activity.refresh_from_db()
    assert (activity.impressions, activity.likes) == (500, 7)
    response = client.post(
        reverse("campaigns:activity_edit", args=[activity.pk]),
        {"impressions": str(2**63), "likes": "8", "shares": "0", "comments": "0", "clicks": "0"},
    )
    assert response.context["form"].errors["impressions"] == ["Enter at most 2 billion."]


def test_the_owner_withdraws(client, clinician):
    activity = ActivityFactory(clinician=clinician)
    client.post(reverse("campaigns:activity_withdraw", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.WITHDRAWN
    assert client.get(reverse("campaigns:activity_withdraw", args=[activity.pk])).status_code == 405


def test_my_activity_filters_and_totals(client, clinician):
    campaign = CampaignFactory()
    ActivityFactory(clinician=clinician, platform=Platform.X, impressions=100, campaign=campaign)
    ActivityFactory(
        clinician=clinician,
        platform=Platform.TIKTOK,
        impressions=50,
        url="https://tiktok.com/@me/video/1",
        status=ActivityStatus.SUBMITTED,
        posted_at=timezone.now() - dt.timedelta(days=20),
    )
    ActivityFactory(impressions=999)
    response = client.get(reverse("campaigns:activity_list"))
    assert response.context["totals"]["count"] == 2 and response.context["totals"]["impressions"] == 150
    response = client.get(reverse("campaigns:activity_list"), {"platform": Platform.TIKTOK})
    assert [a.platform for a in response.context["page"]] == [Platform.TIKTOK]
    response = client.get(reverse("campaigns:activity_list"), {"status": "accepted", "campaign": campaign.pk})
    assert response.context["totals"]["count"] == 1
    since = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    response = client.get(reverse("campaigns:activity_list"), {"posted_from": since})
    assert response.context["totals"]["impressions"] == 100


@pytest.mark.parametrize("rows", [3, 30])
def test_my_activity_runs_a_constant_number_of_queries(
    client, clinician, django_assert_num_queries, session_read_queries, rows
):
    campaign = CampaignFactory()
    ParticipationFactory(clinician=clinician, campaign=campaign)
    ActivityFactory.create_batch(rows, clinician=clinician, campaign=campaign)
    # session, user, clinician (shared with the onboarding check), filter campaigns, totals, tracked-link
    # clicks, page count, page rows, and three for the navigation (permissions: two, unread: one)
    with django_assert_num_queries(10 + session_read_queries):
        response = client.get(reverse("campaigns:activity_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("campaigns", [2, 12])
def test_the_campaign_list_runs_a_constant_number_of_queries(
    client, clinician, django_assert_num_queries, session_read_queries, cache_read_queries, campaigns
):
    for campaign in CampaignFactory.create_batch(campaigns):
        ParticipationFactory(campaign=campaign)
        ActivityFactory(campaign=campaign)
    client.get(reverse("campaigns:campaign_list"))  # caches the campaign totals
    # session, user, clinician, open campaigns, closed campaigns (none, so no totals to read), one
    # read of the cached totals of the open ones, and three for the navigation
    with django_assert_num_queries(7 + session_read_queries + cache_read_queries):
        client.get(reverse("campaigns:campaign_list"))


def test_campaign_list_separates_closed_campaigns_which_stay_readable(client, clinician):
    today = timezone.localdate()
    CampaignFactory(title="Running now")
    CampaignFactory(title="Coming soon", starts_on=today + dt.timedelta(days=3), ends_on=today + dt.timedelta(days=9))
    closed = CampaignFactory(
        title="Last year", starts_on=today - dt.timedelta(days=60), ends_on=today - dt.timedelta(days=30)
    )
    CampaignFactory(title="Hidden draft", is_published=False)
    response = client.get(reverse("campaigns:campaign_list"))
    assert [c.title for c in response.context["open_campaigns"]] == ["Running now", "Coming soon"]
    assert [c.title for c in response.context["closed_campaigns"]] == ["Last year"]
    assert "Hidden draft" not in response.content.decode()
    page = client.get(reverse("campaigns:campaign_detail", args=[closed.slug])).content.decode()
    assert "Last year" in page and "Join campaign" not in page


def test_campaign_page_shows_sanitised_markdown_toolkit_and_progress(client, clinician):
    campaign = CampaignFactory(
        description="**Bold** claim.\n\n<script>alert(1)</script><a href='javascript:x()'>bad</a>",
        goal_kind=GoalKind.POSTS,
        goal_target=4,
    )
    item = ToolkitItemFactory(campaign=campaign, text="Vaccines save lives.")
    ParticipationFactory(campaign=campaign)
    ActivityFactory(campaign=campaign)
    ActivityFactory(campaign=campaign, status=ActivityStatus.SUBMITTED)
    response = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug]))
    page = response.content.decode()
    assert "<strong>Bold</strong>" in page
    assert "alert(1)" not in page and "javascript:" not in page
    assert f'data-copy-target="toolkit-{item.pk}"' in page and f'id="toolkit-{item.pk}"' in page
    assert response.context["campaign"].participant_count == 1
    assert "1 / 4" in page and 'value="25"' in page


def test_joining_and_leaving_a_campaign(client, clinician):
    campaign = CampaignFactory()
    assert client.get(reverse("campaigns:campaign_join", args=[campaign.slug])).status_code == 405
    client.post(reverse("campaigns:campaign_join", args=[campaign.slug]))
    assert Participation.objects.get(clinician=clinician, campaign=campaign).left_at is None
    client.post(reverse("campaigns:campaign_leave", args=[campaign.slug]))
    assert Participation.objects.get(clinician=clinician, campaign=campaign).left_at is not None


def test_with_the_broker_down_logging_a_post_answers_normally_and_it_is_priced_once_the_broker_is_back(
    client, clinician, django_capture_on_commit_callbacks
):
    from core.models import OutboxMessage
    from core.services import outbox_relay_batch
    from incentives.models import LedgerEntry
    from tests.faults.outbox_processes import broker_unreachable

    ProvenSocialAccountFactory(clinician=clinician, platform="x", handle="drbroker")
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("campaigns:activity_create"), _form(url="https://x.com/drbroker/status/42"))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:activity_detail", args=[activity.pk]
    )
    assert activity.status == ActivityStatus.ACCEPTED
    assert OutboxMessage.objects.filter(task="incentives.tasks.award_activity", args=[activity.pk]).exists()
    assert not LedgerEntry.objects.filter(activity=activity).exists()
    # Nothing to retry: the post is logged, and its page opens.
    assert client.get(response["Location"]).status_code == 200
    # The broker is back: the relay publishes the award (eager Celery prices it at once), once.
    outbox_relay_batch(now=timezone.now() + dt.timedelta(hours=1))
    outbox_relay_batch(now=timezone.now() + dt.timedelta(hours=2))
    assert LedgerEntry.objects.filter(activity=activity).count() == 1


def test_an_empty_activity_list_says_what_to_do_next(client, clinician):
    page = client.get(reverse("campaigns:activity_list")).content.decode()
    assert "Find a post to share" in page
    filtered = client.get(reverse("campaigns:activity_list"), {"platform": "x"}).content.decode()
    assert "Clear the filters" in filtered
