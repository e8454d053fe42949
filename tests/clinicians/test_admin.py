"""The verification queue in Django admin: filters, search, change page, bulk verify and reject."""

import datetime as dt
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinicians.models import CredentialDecision, CredentialStatus, VerificationStatus
from clinicians.services import credential_submit
from tests.clinicians.conftest import registry_sample
from tests.clinicians.factories import PDF_BYTES, LicenceFactory
from tests.conftest import reauthenticate
from tests.factories import ClinicianFactory, CredentialFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:clinicians_credential_changelist")


@pytest.fixture
def admin_client_(client, admin_user):
    """An administrator who has just confirmed the password again, as credential decisions require."""
    client.force_login(admin_user)
    reauthenticate(client)
    return client


def test_bulk_verify_calls_the_service_for_each(
    admin_client_, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    credentials = LicenceFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            CHANGELIST, {"action": "verify_selected", ACTION_CHECKBOX_NAME: [c.pk for c in credentials]}, follow=True
        )
    assert "Verified 2 credential(s)." in response.content.decode()
    for credential in credentials:
        credential.refresh_from_db()
        credential.clinician.refresh_from_db()
        assert credential.status == CredentialStatus.VERIFIED and credential.decided_by == admin_user
        assert credential.clinician.verification_status == VerificationStatus.VERIFIED
    assert len(mailoutbox) == 2


def test_bulk_reject_asks_for_a_reason_first(admin_client_, admin_user):
    credential = LicenceFactory()
    data = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [credential.pk]}
    page = admin_client_.post(CHANGELIST, data)
    assert page.status_code == 200 and b"Reason (sent to the clinician)" in page.content
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.SUBMITTED
    blank = admin_client_.post(CHANGELIST, {**data, "apply": "1", "reason": ""})
    assert b"This field is required" in blank.content
    done = admin_client_.post(CHANGELIST, {**data, "apply": "1", "reason": "Licence belongs to someone else."})
    assert done.status_code == 302
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REJECTED
    assert credential.decision_reason == "Licence belongs to someone else."


def test_decisions_are_kept_not_overwritten(admin_client_):
    credential = LicenceFactory()
    admin_client_.post(CHANGELIST, {"action": "verify_selected", ACTION_CHECKBOX_NAME: [credential.pk]})
    admin_client_.post(
        CHANGELIST,
        {"action": "reject_selected", ACTION_CHECKBOX_NAME: [credential.pk], "apply": "1", "reason": "Forged."},
    )
    assert list(
        CredentialDecision.objects.filter(credential=credential).order_by("id").values_list("status", flat=True)
    ) == [
        "verified",
        "rejected",
    ]
    page = admin_client_.get(reverse("admin:clinicians_credential_change", args=[credential.pk])).content.decode()
    assert "Decision history" in page and "Forged." in page


def test_the_change_page_shows_evidence_snapshot_and_other_claims(admin_client_, settings):
    settings.NPPES_BASE_URL = "http://127.0.0.1:9"
    first = CredentialFactory(identifier="1083617021", registry_snapshot=registry_sample())
    other = ClinicianFactory(display_name="Dr Second Claimant")
    second = credential_submit(
        clinician=other,
        kind="npi",
        identifier="1083617021",
        evidence=SimpleUploadedFile("npi.pdf", PDF_BYTES),
        evidence_content_type="application/pdf",
    )
    page = admin_client_.get(reverse("admin:clinicians_credential_change", args=[second.pk])).content.decode()
    assert reverse("clinicians:credential_evidence", args=[second.pk]) in page
    assert first.clinician.user.email in page
    first_page = admin_client_.get(reverse("admin:clinicians_credential_change", args=[first.pk])).content.decode()
    assert "Dr Second Claimant" in first_page
    assert "&quot;last_name&quot;: &quot;EXAMPLE&quot;" in first_page
    assert admin_client_.get(reverse("clinicians:credential_evidence", args=[second.pk])).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=verified", {"verified-one"}),
        ("kind=medical_licence", {"old-one", "verified-one"}),
        ("issuer=Ohio", {"old-one"}),
        ("age=lt7", {"new-npi", "verified-one"}),
        ("age=gt30", {"old-one"}),
        ("q=newnpi%40example.org", {"new-npi"}),
        ("q=Jane+Searchable", {"old-one"}),
    ],
)
def test_the_queue_filters_and_searches(admin_client_, query, expected):
    now = timezone.now()
    LicenceFactory(identifier="old-one", issuer="Ohio", created_at=now - dt.timedelta(days=40),
                   clinician__display_name="Jane Searchable")  # fmt: skip
    LicenceFactory(identifier="verified-one", status=CredentialStatus.VERIFIED)
    CredentialFactory(identifier="new-npi", clinician__user__email="newnpi@example.org")
    response = admin_client_.get(f"{CHANGELIST}?{query}")
    shown = {c.identifier for c in response.context["cl"].result_list}
    assert shown == expected


def test_the_queue_runs_a_constant_number_of_queries(admin_client_, django_assert_num_queries):
    LicenceFactory()
    admin_client_.get(CHANGELIST, follow=True)
    with CaptureQueriesContext(connection) as small:
        admin_client_.get(CHANGELIST, follow=True)
    LicenceFactory.create_batch(10)
    with django_assert_num_queries(len(small.captured_queries)):
        admin_client_.get(CHANGELIST, follow=True)


def test_clinicians_cannot_reach_the_admin_queue(client, clinician_user):
    client.force_login(clinician_user)
    assert client.get(CHANGELIST).status_code == 302


def test_each_queue_row_has_an_action_checkbox_that_selects_it(admin_client_):
    credential = LicenceFactory(identifier="pick-me")
    page = admin_client_.get(CHANGELIST, follow=True).content.decode()
    assert (
        f'<input type="checkbox" name="_selected_action" value="{credential.pk}" class="action-select"'
        f' aria-label="Select this object for an action - {credential}">'
    ) in page
    assert '<input type="checkbox" id="action-toggle"' in page


def test_the_queue_shows_who_what_status_registry_duplicate_and_age_in_six_columns(client, admin_user):
    from tests.factories import CredentialFactory

    credential = CredentialFactory(identifier="1234567893", issuer="IL")
    client.force_login(admin_user)
    page = client.get(CHANGELIST, follow=True).content.decode()
    headers = re.findall(r'<th scope="col" class="(?:sortable )?column-(\w+)', page)
    assert headers == ["who", "what", "status", "registry_result", "duplicate_claim", "age"]
    assert credential.clinician.user.email in page
    assert "1234567893 · IL" in page
    assert re.search(r"<td class=\"field-age\"><span title=\"[^\"]+\">0\xa0minutes ago</span>", page), re.findall(
        r"field-age.{0,120}", page
    )


def test_the_queue_opens_on_what_waits_for_a_decision(admin_client_):
    LicenceFactory(identifier="WAIT-1")
    LicenceFactory(identifier="REVIEW-1", status=CredentialStatus.NEEDS_REVIEW)
    LicenceFactory(identifier="DONE-1", status=CredentialStatus.VERIFIED)
    LicenceFactory(identifier="NOPE-1", status=CredentialStatus.REJECTED)

    def shown(query: str) -> set[str]:
        page = admin_client_.get(f"{CHANGELIST}{query}")
        assert page.status_code == 200
        return {c.identifier for c in page.context["cl"].result_list}

    opened = admin_client_.get(CHANGELIST)
    assert opened.status_code == 302 and opened["Location"] == f"{CHANGELIST}?status=awaiting"
    assert shown("?status=awaiting") == {"WAIT-1", "REVIEW-1"}
    assert shown("?o=1") == {"WAIT-1", "REVIEW-1", "DONE-1", "NOPE-1"}  # "All"
    assert shown("?status=verified") == {"DONE-1"}
    page = admin_client_.get(f"{CHANGELIST}?status=awaiting").content.decode()
    assert re.search(r'class="selected">\s*<a href="\?status=awaiting"', page)
