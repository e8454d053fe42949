"""`manage.py seed_demo` without options: demo data that fills every page, idempotent."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Activity, ActivityStatus, Campaign, Participation, ToolkitItem, ToolkitItemKind
from campaigns.privacy_guard import privacy_hits_for
from clinicians.models import Clinician, Credential, CredentialStatus, SocialAccount, VerificationStatus
from clinicians.validators import npi_validate, npi_with_check_digit
from core.models import User
from incentives.models import Award, LedgerEntry, Reward, Score
from reports.models import Report, ReportKind, ReportStatus

pytestmark = pytest.mark.django_db

COUNTED = (User, Clinician, Credential, SocialAccount, Campaign, ToolkitItem, Participation, Activity, Reward)


def npi_is_valid(number: str) -> bool:
    try:
        npi_validate(number)
    except ValidationError:
        return False
    return True


def test_seeded_npis_use_the_validators_check_digit():
    for valid in ("1234567893", "1558598797", "1083617021", "1689872012"):
        assert npi_with_check_digit(int(valid[:9])) == valid


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_it_is_idempotent(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    output = capsys.readouterr().out
    assert "admin@demo.advocacy.example" in output
    assert "demo-password-2026" in output


def test_it_fills_campaigns_activities_and_rewards():
    call_command("seed_demo")
    today = timezone.now().date()
    assert Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).count() == 1
    assert Campaign.objects.filter(ends_on__lt=today).count() == 1
    active = Campaign.objects.get(ends_on__gte=today)
    assert active.toolkit_items.filter(kind=ToolkitItemKind.SUGGESTED_POST).count() >= 3
    assert active.toolkit_items.filter(kind=ToolkitItemKind.EVIDENCE_LINK).exists()
    assert active.toolkit_items.filter(kind=ToolkitItemKind.KEY_MESSAGE).exists()
    assert 200 <= Activity.objects.count() <= 500
    assert Activity.objects.filter(status=ActivityStatus.ACCEPTED).count() > Activity.objects.count() / 2
    assert Activity.objects.filter(campaign__isnull=False).exists()
    assert Activity.objects.exclude(citations=[]).exists()
    assert len(set(Activity.objects.values_list("category", flat=True))) >= 6
    assert len(set(Activity.objects.values_list("platform", flat=True))) >= 4
    assert 3 <= Reward.objects.count() <= 4


def test_it_prices_the_demo_through_the_real_recompute_and_builds_a_report():
    call_command("seed_demo")
    assert LedgerEntry.objects.exists()
    assert Score.objects.filter(lifetime__gt=0).count() >= 5
    assert Award.objects.exists()
    report = Report.objects.get(kind=ReportKind.ADVOCACY_SUMMARY)
    assert report.status == ReportStatus.SUCCEEDED and report.row_count > 0
    entries, reports = LedgerEntry.objects.count(), Report.objects.count()
    call_command("seed_demo")
    assert (LedgerEntry.objects.count(), Report.objects.count()) == (entries, reports)


def test_it_gives_most_clinicians_a_verified_valid_npi():
    call_command("seed_demo")
    assert Clinician.objects.count() == 12
    statuses = list(Clinician.objects.values_list("verification_status", flat=True))
    assert statuses.count(VerificationStatus.PENDING) == 1
    assert statuses.count(VerificationStatus.UNVERIFIED) == 1
    verified = Credential.objects.filter(status=CredentialStatus.VERIFIED)
    assert verified.count() == statuses.count(VerificationStatus.VERIFIED)
    assert all(npi_is_valid(identifier) for identifier in verified.values_list("identifier", flat=True))


def test_flagged_demo_posts_hold_the_patient_detail_the_guard_names_and_the_others_pass_it():
    call_command("seed_demo")
    flagged = Activity.objects.filter(status=ActivityStatus.FLAGGED)
    assert flagged.exists()
    for activity in flagged:
        assert activity.privacy_hits == privacy_hits_for(activity.excerpt) != []
        for hit in activity.privacy_hits:
            assert activity.excerpt[hit["start"] : hit["end"]] == hit["text"]
    for excerpt in Activity.objects.exclude(status=ActivityStatus.FLAGGED).values_list("excerpt", flat=True).distinct():
        assert privacy_hits_for(excerpt) == [], excerpt
    for text in ToolkitItem.objects.values_list("text", flat=True):
        assert privacy_hits_for(text) == [], text


def test_the_demo_admin_and_staff_sign_in_with_the_printed_totp_secret(client, capsys):
    from seeding.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from tests.factories import totp_code

    call_command("seed_demo")
    output = capsys.readouterr().out
    assert f"secret={DEMO_TOTP_SECRET}" in output and "manage.py demo_totp_code" in output
    call_command("demo_totp_code")
    assert capsys.readouterr().out.strip().isdigit()
    for email, landing in (("admin@demo.advocacy.example", "/admin/"), ("staff@demo.advocacy.example", "/reports/")):
        client.logout()
        password = client.post(f"/accounts/login/?next={landing}", {"login": email, "password": DEMO_PASSWORD})
        assert password["Location"] == "/accounts/2fa/authenticate/"
        code = client.post("/accounts/2fa/authenticate/", {"code": totp_code(DEMO_TOTP_SECRET)})
        assert code["Location"] == landing
        assert client.get(landing).status_code == 200


def test_demo_points_and_badges_are_spread_over_the_weeks_they_were_earned():
    from advocacy_portal.selectors import clinician_dashboard_get

    call_command("seed_demo")
    ada = Clinician.objects.get(user__email="ada@demo.advocacy.example")
    weeks_with_points = [week for week, points in clinician_dashboard_get(clinician=ada).weekly_points if points]
    assert len(weeks_with_points) >= 6
    today = timezone.now().date()
    award_days = {award.awarded_at.date() for award in Award.objects.all()}
    assert len(award_days) > 1
    assert min(award_days) < today
