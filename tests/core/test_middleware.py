"""Request and response guards for every page: control characters in query strings answer 400,
Permissions-Policy everywhere, nothing a signed-in user sees is cached, and a Content-Security-Policy
without 'unsafe-inline' scripts whose nonce matches the page's one inline script."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

# `?status__exact=%00` answered 500 on five admin changelists on PostgreSQL (it refuses NUL in text).
HOSTILE_QUERIES = ["status__exact=%00", "q=%00", "q=abc%00def", "%00=1", "o=%1B", "page=%7F"]


def changelist_urls() -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]


def test_it_answers_400_to_control_characters_on_every_admin_changelist(client, admin_user):
    client.force_login(admin_user)
    failures = {}
    for url in changelist_urls():
        for query in HOSTILE_QUERIES:
            status = client.get(f"{url}?{query}").status_code
            if status != 400:
                failures[f"{url}?{query}"] = status
    assert failures == {}
    assert len(changelist_urls()) >= 20


def test_every_admin_changelist_still_answers_a_search_with_a_tab(client, admin_user):
    client.force_login(admin_user)
    assert {url: client.get(f"{url}?q=a%09b").status_code for url in changelist_urls()} == dict.fromkeys(
        changelist_urls(), 200
    )


@pytest.mark.parametrize(
    "url",
    [
        "/activities/?status=%00",
        "/activities/?campaign=%00&page=1",
        "/activities/?page=%00",
        "/activities/new/?campaign=%00",
        "/activities/new/check/?excerpt=%00&category=education",
        "/points/?page=%00",
        "/leaderboard/?period=%00",
        "/notifications/?page=%00",
        "/campaigns/?q=%00",
        "/reports/?kind=%00",
        "/?next=%00",
        "/accounts/login/?next=%00",
    ],
)
def test_it_answers_400_to_control_characters_on_portal_pages(client, clinician_user, url):
    ActivityFactory(clinician=clinician_user.clinician)
    client.force_login(clinician_user)
    assert client.get(url).status_code == 400


def test_portal_filters_without_control_characters_still_work(client, clinician_user):
    ActivityFactory(clinician=clinician_user.clinician)
    client.force_login(clinician_user)
    assert client.get("/activities/?status=accepted&page=1").status_code == 200


def _directives(response) -> set[str]:
    return {d.strip().lower() for d in response["Cache-Control"].split(",")}


SIGNED_IN_PAGES = [
    "/dashboard/",
    "/credentials/",
    "/credentials/new/",
    "/activities/",
    "/activities/new/",
    "/profile/",
    "/profile/social/",
    "/points/",
    "/rewards/",
    "/leaderboard/",
    "/notifications/",
    "/notifications/settings/",
    "/my-data/",
    "/accounts/email/",
    "/campaigns/",
]


def test_every_page_a_signed_in_clinician_sees_is_private_and_not_stored(client, clinician_user):
    client.force_login(clinician_user)
    for url in SIGNED_IN_PAGES:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert {"private", "no-store"} <= _directives(response), url
        assert "Cookie" in response["Vary"], url


def test_staff_pages_and_admin_are_private_and_not_stored(client, staff_user, admin_user):
    client.force_login(staff_user)
    for url in ("/reports/", "/dashboard/"):
        assert {"private", "no-store"} <= _directives(client.get(url)), url
    client.force_login(admin_user)
    for url in ("/admin/", *changelist_urls()[:5], "/admin/incentives/ledgerentry/adjust/"):
        assert {"private", "no-store"} <= _directives(client.get(url)), url


def test_anonymous_public_pages_may_be_cached(client):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_response_carries_the_permissions_policy(client, clinician_user):
    for response in (client.get("/"), client.get("/accounts/login/")):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy
    client.force_login(clinician_user)
    assert "camera=()" in client.get("/dashboard/")["Permissions-Policy"]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_the_content_security_policy_allows_no_inline_script_but_the_nonced_one(client, clinician_user, admin_user):
    client.force_login(clinician_user)
    response = client.get("/dashboard/")
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy["script-src"])).group(1)
    html = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", html)
    assert inline_scripts == [f' nonce="{nonce}"']
    # A new nonce for every response.
    assert _policy(client.get("/dashboard/"))["script-src"] != policy["script-src"]
    client.force_login(admin_user)
    assert "'unsafe-inline'" not in _policy(client.get("/admin/"))["script-src"]
