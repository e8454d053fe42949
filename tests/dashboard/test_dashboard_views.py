"""The /dashboard/ page: a clinician's own picture, the staff picture, and who sees which."""

import pytest
from django.urls import reverse

from reports.models import ReportStatus
from tests.dashboard.factories import AwardFactory, LedgerEntryFactory, ReportFactory, ScoreFactory
from tests.factories import ActivityFactory, CampaignFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_new_clinician_sees_the_checklist_and_the_next_step(client, clinician_user):
    client.force_login(clinician_user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Getting started" in html
    assert "Submit a credential" in html
    assert "Unverified" in html
    assert "No points yet." in html
    assert "100 points to Bronze" in html
    assert 'role="img"' in html
    assert "chart-4.5.1.umd.min.js" in html


def test_a_clinician_with_data_sees_points_badges_campaigns_and_ledger(client, clinician_user):
    clinician = clinician_user.clinician
    clinician.verification_status = "verified"  # only verified clinicians are ranked
    clinician.save(update_fields=["verification_status"])
    ScoreFactory(
        clinician=clinician, balance=321, lifetime=654, leaderboard_lifetime=654, last_30_days=87, tier="silver"
    )
    ScoreFactory(leaderboard_lifetime=900)  # one verified clinician ahead: the live rank is 2
    AwardFactory(clinician=clinician, badge__name="First voice")
    campaign = CampaignFactory(title="Flu shots now", goal_target=4)
    ParticipationFactory(clinician=clinician, campaign=campaign)
    activity = ActivityFactory(clinician=clinician, campaign=campaign)
    LedgerEntryFactory(clinician=clinician, activity=activity, amount=25, memo="Flu myth corrected")
    client.force_login(clinician_user)
    html = client.get(reverse("dashboard")).content.decode()
    for text in (
        "321",
        "654",
        "87",
        "#2",
        "Tier: Silver",
        "First voice",
        "Flu shots now",
        "1 of 4 accepted posts (25%) · your accepted posts: 1",
    ):
        assert text in html, text
    assert "+25" in html and "Flu myth corrected" in html
    assert 'id="chart-points-weekly-data"' in html
    assert "Public education" in html


def test_staff_without_a_clinician_profile_see_the_staff_dashboard(client, staff_user):
    ReportFactory(status=ReportStatus.SUCCEEDED)
    CampaignFactory(title="Sun safety")
    client.force_login(staff_user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Association dashboard" in html
    assert "Verified clinicians" in html
    assert "Sun safety" in html
    assert "Advocacy summary" in html
    assert 'id="chart-activities-weekly"' in html


def test_a_clinician_without_the_permission_sees_their_own_dashboard(client, clinician_user):
    client.force_login(clinician_user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Association dashboard" not in html
    assert "Getting started" in html


def test_a_user_without_profile_or_permission_sees_the_welcome_page(client, django_user_model):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    html = client.get(reverse("dashboard")).content.decode()
    assert "Nothing here yet" in html


def test_the_checklist_disappears_once_everything_is_done(client, clinician_user):
    from tests.dashboard.factories import SocialAccountFactory
    from tests.factories import CredentialFactory

    clinician = clinician_user.clinician
    CredentialFactory(clinician=clinician)
    SocialAccountFactory(clinician=clinician)
    ActivityFactory(clinician=clinician)
    ParticipationFactory(clinician=clinician)
    client.force_login(clinician_user)
    assert "Getting started" not in client.get(reverse("dashboard")).content.decode()


def test_every_chart_has_a_named_canvas_and_a_table(client, clinician_user):
    client.force_login(clinician_user)
    html = client.get(reverse("dashboard")).content.decode()
    assert html.count('role="img" aria-label="') == 3
    assert html.count('<details class="chart-table">') == 3
    assert html.count('type="application/json"') == 3


def test_a_superuser_without_a_clinician_profile_sees_the_staff_dashboard(client, admin_user):
    client.force_login(admin_user)
    assert "Association dashboard" in client.get(reverse("dashboard")).content.decode()
