"""The NPI registry check against a real HTTP server on 127.0.0.1: match, mismatch, unknown, errors, down."""

import pytest

from clinicians.models import CredentialStatus, RegistryResult, Specialty, VerificationStatus
from clinicians.services import credential_submit
from clinicians.tasks import credential_registry_check
from tests.clinicians.conftest import registry_sample
from tests.factories import ClinicianFactory, UserFactory

pytestmark = pytest.mark.django_db

NPI = "1234567893"


@pytest.fixture
def jane():
    return ClinicianFactory(display_name="Dr. Jane Example", state="IL", specialty=Specialty.GASTROENTEROLOGY)


def submit_npi(clinician, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        credential = credential_submit(clinician=clinician, kind="npi", identifier=NPI)
    credential.refresh_from_db()
    clinician.refresh_from_db()
    return credential


def test_it_verifies_a_full_active_match(jane, fake_registry, django_capture_on_commit_callbacks, mailoutbox):
    fake_registry.answer(NPI, registry_sample())
    credential = submit_npi(jane, django_capture_on_commit_callbacks)
    assert fake_registry.requests[0]["number"] == [NPI]
    assert fake_registry.requests[0]["version"] == ["2.1"]
    assert credential.status == CredentialStatus.VERIFIED
    assert credential.registry_result == RegistryResult.MATCH
    assert credential.registry_snapshot["results"][0]["basic"]["last_name"] == "EXAMPLE"
    assert credential.decided_by is None
    assert jane.verification_status == VerificationStatus.VERIFIED
    assert [d.status for d in credential.decisions.order_by("id")] == ["submitted", "verified"]
    assert "verified" in mailoutbox[-1].subject


def test_it_sends_a_full_match_to_review_when_auto_verify_is_off(
    jane, fake_registry, settings, django_capture_on_commit_callbacks
):
    settings.NPI_AUTO_VERIFY = False
    fake_registry.answer(NPI, registry_sample())
    credential = submit_npi(jane, django_capture_on_commit_callbacks)
    assert credential.status == CredentialStatus.NEEDS_REVIEW
    assert credential.registry_result == RegistryResult.MATCH
    assert "automatic verification is off" in credential.review_reason


def test_it_sends_an_inactive_match_to_review(jane, fake_registry, django_capture_on_commit_callbacks):
    answer = registry_sample()
    answer["results"][0]["basic"]["status"] = "D"
    fake_registry.answer(NPI, answer)
    credential = submit_npi(jane, django_capture_on_commit_callbacks)
    assert credential.status == CredentialStatus.NEEDS_REVIEW
    assert "not active" in credential.review_reason


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"display_name": "Dr John Other"}, "Name differs"),
        ({"state": "CA"}, "State differs"),
        ({"specialty": Specialty.DERMATOLOGY, "profession": "dietitian"}, "Taxonomy differs"),
    ],
)
def test_it_sends_a_mismatch_to_review_with_the_reason(
    jane, fake_registry, django_capture_on_commit_callbacks, change, words
):
    for field, value in change.items():
        setattr(jane, field, value)
    jane.save()
    fake_registry.answer(NPI, registry_sample())
    credential = submit_npi(jane, django_capture_on_commit_callbacks)
    assert credential.status == CredentialStatus.NEEDS_REVIEW
    assert credential.registry_result == RegistryResult.MISMATCH
    assert words in credential.review_reason
    assert jane.verification_status == VerificationStatus.PENDING


def test_it_sends_an_unknown_number_to_review(jane, fake_registry, django_capture_on_commit_callbacks):
    credential = submit_npi(jane, django_capture_on_commit_callbacks)
    assert credential.status == CredentialStatus.NEEDS_REVIEW
    assert credential.registry_result == RegistryResult.NOT_FOUND
    assert "does not know this NPI" in credential.review_reason
    assert credential.registry_snapshot == {"result_count": 0, "results": []}


def test_it_sends_a_registry_error_answer_to_review(jane, fake_registry, django_capture_on_commit_callbacks):
    fake_registry.answer(NPI, {"Errors": [{"description": "Invalid NPI", "field": "number", "number": "01"}]})
    credential = submit_npi(jane, django_capture_on_commit_callbacks)
    assert credential.status == CredentialStatus.NEEDS_REVIEW
    assert "Invalid NPI" in credential.review_reason


@pytest.fixture
def eager_retries():
    """Eager apply() runs every retry at once; keep the Retry inside the result instead of raising."""
    from tests.celery_conf import celery_conf

    with celery_conf(task_eager_propagates=False):
        yield


def test_it_records_an_unreachable_registry_retries_and_never_verifies(
    jane, settings, closed_port_url, django_capture_on_commit_callbacks, eager_retries
):
    settings.NPPES_BASE_URL = closed_port_url
    with django_capture_on_commit_callbacks() as callbacks:
        credential = credential_submit(clinician=jane, kind="npi", identifier=NPI)
    assert "credential_registry_check" in repr(callbacks)  # the registry check waits for the commit
    assert credential_registry_check.apply(args=[credential.pk]).get() == "unreachable; left for review"
    credential.refresh_from_db()
    jane.refresh_from_db()
    assert credential.status == CredentialStatus.NEEDS_REVIEW
    assert credential.registry_result == RegistryResult.UNREACHABLE
    assert "unreachable" in credential.review_reason
    # Every attempt found the registry down; the history says so once, not once per attempt.
    assert list(credential.decisions.values_list("status", flat=True).order_by("id")) == ["submitted", "needs_review"]
    assert jane.verification_status == VerificationStatus.PENDING


def test_it_retries_a_server_error_five_times(jane, fake_registry, eager_retries):
    fake_registry.answer(NPI, "oops", status=503)
    credential = credential_submit(clinician=jane, kind="npi", identifier=NPI)
    credential_registry_check.apply(args=[credential.pk])
    assert len(fake_registry.requests) == 1 + credential_registry_check.max_retries == 6
    credential.refresh_from_db()
    assert credential.registry_result == RegistryResult.UNREACHABLE
    assert credential.status == CredentialStatus.NEEDS_REVIEW


def test_a_later_run_after_the_registry_is_back_verifies(jane, settings, closed_port_url, fake_registry, eager_retries):
    settings.NPPES_BASE_URL = closed_port_url
    credential = credential_submit(clinician=jane, kind="npi", identifier=NPI)
    credential_registry_check.apply(args=[credential.pk])
    settings.NPPES_BASE_URL = fake_registry.url
    fake_registry.answer(NPI, registry_sample())
    credential_registry_check.apply(args=[credential.pk])
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.VERIFIED


def test_a_second_run_after_a_decision_does_nothing(jane, fake_registry, django_capture_on_commit_callbacks):
    from clinicians.services import credential_reject

    credential = submit_npi(jane, django_capture_on_commit_callbacks)
    credential_reject(credential=credential, actor=UserFactory(is_staff=True), reason="Not yours.")
    fake_registry.answer(NPI, registry_sample())
    assert credential_registry_check.delay(credential.pk).get() == "already decided"
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REJECTED
    assert len(fake_registry.requests) == 2
