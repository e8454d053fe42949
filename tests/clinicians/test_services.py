"""Services: status derivation (incl. lapsed), decisions and their history, duplicates, expiry and reminders."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clinicians import services
from clinicians.models import CredentialDecision, CredentialKind, CredentialStatus, VerificationStatus
from clinicians.signals import verification_status_changed
from tests.clinicians.conftest import stored_files
from tests.clinicians.factories import PDF_BYTES, LicenceFactory
from tests.factories import ClinicianFactory, CredentialFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return UserFactory(email="reviewer@example.org", is_staff=True)


@pytest.fixture
def status_changes():
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["clinician_id"], kwargs["old_status"], kwargs["new_status"]))

    verification_status_changed.connect(receiver)
    yield received
    verification_status_changed.disconnect(receiver)


def test_submitting_makes_the_clinician_pending(django_capture_on_commit_callbacks, private_files, settings):
    settings.NPPES_BASE_URL = "http://127.0.0.1:9"
    clinician = ClinicianFactory()
    with django_capture_on_commit_callbacks():
        credential = services.credential_submit(
            clinician=clinician,
            kind=CredentialKind.MEDICAL_LICENCE,
            identifier="036-123456",
            issuer="Illinois",
            expires_on=timezone.localdate() + dt.timedelta(days=400),
            evidence=SimpleUploadedFile("my licence.pdf", PDF_BYTES),
            evidence_content_type="application/pdf",
        )
    clinician.refresh_from_db()
    assert clinician.verification_status == VerificationStatus.PENDING
    assert credential.evidence_original_name == "my licence.pdf"
    assert credential.evidence.name.startswith("evidence/") and credential.evidence.name.endswith(".pdf")
    assert "licence" not in credential.evidence.name
    assert [p.name for p in stored_files(private_files)] == [credential.evidence.name.split("/")[1]]


def test_verify_reject_and_reverify_keep_the_whole_history(
    reviewer, status_changes, mailoutbox, django_capture_on_commit_callbacks
):
    credential = LicenceFactory()
    clinician = credential.clinician
    with django_capture_on_commit_callbacks(execute=True):
        services.credential_verify(credential=credential, actor=reviewer, reason="Licence checked.")
    clinician.refresh_from_db()
    assert clinician.verification_status == VerificationStatus.VERIFIED
    assert clinician.verified_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.credential_reject(credential=credential, actor=reviewer, reason="Wrong state board.")
    clinician.refresh_from_db()
    assert clinician.verification_status == VerificationStatus.UNVERIFIED
    history = list(CredentialDecision.objects.filter(credential=credential).order_by("id"))
    assert [(d.status, d.actor, d.reason) for d in history] == [
        ("verified", reviewer, "Licence checked."),
        ("rejected", reviewer, "Wrong state board."),
    ]
    assert status_changes == [
        (clinician.pk, "unverified", "verified"),
        (clinician.pk, "verified", "unverified"),
    ]
    assert [m.to for m in mailoutbox] == [[clinician.user.email]] * 2
    assert "Wrong state board." in mailoutbox[-1].body
    assert mailoutbox[-1].alternatives[0][1] == "text/html"
    assert clinician.user.notifications.count() == 2


def test_a_rejection_needs_a_reason(reviewer):
    with pytest.raises(ValueError, match="reason"):
        services.credential_reject(credential=CredentialFactory(), actor=reviewer, reason="  ")


def test_a_board_certification_alone_does_not_verify(reviewer):
    credential = LicenceFactory(kind=CredentialKind.BOARD_CERTIFICATION)
    services.credential_verify(credential=credential, actor=reviewer)
    credential.clinician.refresh_from_db()
    assert credential.clinician.verification_status == VerificationStatus.UNVERIFIED


def test_status_becomes_lapsed_when_every_verified_credential_expired_and_clears_on_reverification(
    reviewer, status_changes, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    clinician = ClinicianFactory()
    first = LicenceFactory(clinician=clinician, expires_on=today + dt.timedelta(days=3))
    second = LicenceFactory(clinician=clinician, expires_on=today + dt.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        services.credential_verify(credential=first, actor=reviewer)
        services.credential_verify(credential=second, actor=reviewer)
        services.credentials_expire_and_remind(today=today + dt.timedelta(days=5))
    clinician.refresh_from_db()
    assert clinician.verification_status == VerificationStatus.VERIFIED
    with django_capture_on_commit_callbacks(execute=True):
        services.credentials_expire_and_remind(today=today + dt.timedelta(days=11))
    clinician.refresh_from_db()
    assert clinician.verification_status == VerificationStatus.LAPSED
    assert clinician.lapsed_at is not None
    renewed = LicenceFactory(clinician=clinician, expires_on=today + dt.timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        services.credential_verify(credential=renewed, actor=reviewer)
    clinician.refresh_from_db()
    assert clinician.verification_status == VerificationStatus.VERIFIED
    assert clinician.lapsed_at is None
    assert [change[2] for change in status_changes] == ["verified", "lapsed", "verified"]
    assert first.decisions.filter(status=CredentialStatus.EXPIRED).count() == 1


def test_reminders_go_out_at_30_and_7_days_once_each(reviewer, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    credential = LicenceFactory(expires_on=today + dt.timedelta(days=40))
    services.credential_verify(credential=credential, actor=reviewer)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.credentials_expire_and_remind(today=today)["reminded"] == 0
        assert services.credentials_expire_and_remind(today=today + dt.timedelta(days=10))["reminded"] == 1
        assert services.credentials_expire_and_remind(today=today + dt.timedelta(days=11))["reminded"] == 0
        assert services.credentials_expire_and_remind(today=today + dt.timedelta(days=33))["reminded"] == 1
        assert services.credentials_expire_and_remind(today=today + dt.timedelta(days=34))["reminded"] == 0
    credential.refresh_from_db()
    assert credential.reminded_30_at and credential.reminded_7_at
    assert [m.subject.split("expires in ")[1] for m in mailoutbox] == ["30 days", "7 days"]


def test_a_credential_first_seen_within_7_days_gets_one_reminder(
    reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    credential = LicenceFactory(expires_on=today + dt.timedelta(days=5))
    services.credential_verify(credential=credential, actor=reviewer)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.credentials_expire_and_remind(today=today) == {"expired": 0, "reminded": 1}
        assert services.credentials_expire_and_remind(today=today) == {"expired": 0, "reminded": 0}
    assert len(mailoutbox) == 1


def test_the_beat_task_runs_the_service(reviewer):
    from clinicians.tasks import credentials_expire_and_remind

    credential = LicenceFactory(
        expires_on=timezone.localdate() - dt.timedelta(days=1), status=CredentialStatus.VERIFIED
    )
    assert credentials_expire_and_remind.delay().get() == {"expired": 1, "reminded": 0}
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.EXPIRED


def test_a_second_claim_of_the_same_identifier_goes_to_review(settings):
    settings.NPPES_BASE_URL = "http://127.0.0.1:9"
    first = CredentialFactory(identifier="1558598797")
    other = ClinicianFactory()
    second = services.credential_submit(clinician=other, kind=CredentialKind.NPI, identifier="1558598797")
    first.refresh_from_db()
    assert second.duplicate_claim and first.duplicate_claim
    assert second.status == CredentialStatus.NEEDS_REVIEW
    assert "another account" in second.review_reason
    assert first.status == CredentialStatus.SUBMITTED


def test_the_same_identifier_of_another_kind_is_not_a_duplicate():
    LicenceFactory(identifier="ABC-1")
    second = services.credential_submit(
        clinician=ClinicianFactory(),
        kind=CredentialKind.NURSING_LICENCE,
        identifier="ABC-1",
        issuer="Ohio",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    assert not second.duplicate_claim


def test_profile_update_completes_onboarding_once():
    clinician = ClinicianFactory(profile_completed_at=None, display_name="")
    data = {"display_name": "Dr Ann Lee", "profession": "np", "specialty": "family", "country": "CA", "state": "IL"}
    services.clinician_profile_update(clinician=clinician, data=data)
    clinician.refresh_from_db()
    completed = clinician.profile_completed_at
    assert completed is not None and clinician.state == ""
    services.clinician_profile_update(clinician=clinician, data={**data, "bio": "Hello"})
    clinician.refresh_from_db()
    assert clinician.profile_completed_at == completed and clinician.bio == "Hello"
