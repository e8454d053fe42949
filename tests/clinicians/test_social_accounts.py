"""Linking social media accounts: the page, normalisation, duplicates across clinicians, unlinking."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinicians.models import SocialAccount
from tests.clinicians.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

URL = "/profile/social/"


def test_the_url_name_is_stable():
    assert reverse("clinicians:social_account_list") == URL


def test_it_links_a_normalised_account(client, clinician_user):
    client.force_login(clinician_user)
    response = client.post(URL, {"platform": "mastodon", "handle": "@Dr_Jane@Mastodon.Social"})
    assert response["Location"] == URL
    account = SocialAccount.objects.get(clinician__user=clinician_user)
    assert (account.handle, account.profile_url) == ("dr_jane@mastodon.social", "https://mastodon.social/@dr_jane")
    assert not account.needs_review
    page = client.get(URL).content.decode()
    assert "dr_jane@mastodon.social" in page and "Link account" in page


def test_a_bad_handle_is_answered_with_the_rule(client, clinician_user):
    client.force_login(clinician_user)
    response = client.post(URL, {"platform": "mastodon", "handle": "dr_jane"})
    assert response.status_code == 200
    assert "user@server" in " ".join(response.context["form"].errors["handle"])
    assert not SocialAccount.objects.exists()


def test_linking_the_same_account_twice_is_refused(client, clinician_user):
    client.force_login(clinician_user)
    client.post(URL, {"platform": "x", "handle": "@DrJane"})
    response = client.post(URL, {"platform": "x", "handle": "drjane"})
    assert "already linked" in " ".join(response.context["form"].errors["handle"])
    assert SocialAccount.objects.count() == 1


def test_a_handle_claimed_by_two_clinicians_goes_to_review_on_both_sides(client, clinician_user):
    first = SocialAccountFactory(platform="x", handle="drjane")
    client.force_login(clinician_user)
    client.post(URL, {"platform": "x", "handle": "@DrJane"})
    second = SocialAccount.objects.get(clinician__user=clinician_user)
    first.refresh_from_db()
    assert second.needs_review and first.needs_review


def test_a_clinician_unlinks_only_their_own_accounts(client, clinician_user, other_clinician_user):
    own = SocialAccountFactory(clinician=clinician_user.clinician)
    theirs = SocialAccountFactory(clinician=other_clinician_user.clinician)
    client.force_login(clinician_user)
    assert client.post(reverse("clinicians:social_account_delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("clinicians:social_account_delete", args=[own.pk])).status_code == 405
    assert client.post(reverse("clinicians:social_account_delete", args=[own.pk])).status_code == 302
    assert list(SocialAccount.objects.all()) == [theirs]


def test_anonymous_visitors_are_sent_to_login(client):
    account = SocialAccountFactory()
    for url in [URL, reverse("clinicians:social_account_delete", args=[account.pk])]:
        response = client.post(url) if "delete" in url else client.get(url)
        assert response["Location"].startswith("/accounts/login/")


def test_the_list_runs_a_constant_number_of_queries(client, clinician_user, django_assert_num_queries):
    client.force_login(clinician_user)
    SocialAccountFactory(clinician=clinician_user.clinician)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    SocialAccountFactory.create_batch(8, clinician=clinician_user.clinician)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_the_admin_lists_accounts_under_review_first(client, admin_user):
    SocialAccountFactory(handle="aaa_clean")
    SocialAccountFactory(handle="zzz_flagged", needs_review=True)
    client.force_login(admin_user)
    page = client.get(reverse("admin:clinicians_socialaccount_changelist")).content.decode()
    assert page.index("zzz_flagged") < page.index("aaa_clean")
