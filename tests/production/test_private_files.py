"""Private files behind nginx: with PRIVATE_FILES_SERVED_BY=nginx the views check access and answer
X-Accel-Redirect with an empty body, and never open the file (nginx sends the bytes; the production
leg's test_deployed.py proves that side)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from reports.models import Report, ReportStatus
from tests.factories import CredentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nginx_serves(settings):
    settings.PRIVATE_FILES_SERVED_BY = "nginx"
    settings.PRIVATE_FILES_NGINX_LOCATION = "/_private/"


@pytest.fixture
def no_file_opened(monkeypatch):
    """Fail the test if anything opens a file of the private storage."""

    def refuse(self, name, mode="rb"):
        raise AssertionError(f"Python opened the private file {name}")

    monkeypatch.setattr(FileSystemStorage, "_open", refuse)


def test_it_hands_an_evidence_download_to_nginx(client, clinician_user, nginx_serves, no_file_opened):
    credential = CredentialFactory(clinician=clinician_user.clinician, evidence_content_type="application/pdf")
    credential.evidence.save("licence scan.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    client.force_login(clinician_user)

    response = client.get(f"/credentials/{credential.pk}/evidence/")

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/_private/" + credential.evidence.name.replace(" ", "%20")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="credential-{credential.pk}-evidence.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_it_checks_access_before_handing_over(client, other_clinician_user, clinician_user, nginx_serves):
    credential = CredentialFactory(clinician=clinician_user.clinician)
    credential.evidence.save("scan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    client.force_login(other_clinician_user)

    response = client.get(f"/credentials/{credential.pk}/evidence/")

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_it_hands_a_report_download_to_nginx(client, staff_user, nginx_serves, no_file_opened):
    report = Report.objects.create(kind="activity_export", format="csv", status=ReportStatus.SUCCEEDED)
    report.file.name = f"reports/report-{report.pk}.csv"
    report.save(update_fields=["file"])
    client.force_login(staff_user)

    response = client.get(f"/reports/{report.pk}/download/")

    assert response.status_code == 200, response.content[:300]
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/reports/report-{report.pk}.csv"
    assert response["Content-Type"].startswith("text/csv")


def test_django_streams_the_file_by_default(client, clinician_user):
    credential = CredentialFactory(clinician=clinician_user.clinician, evidence_content_type="application/pdf")
    credential.evidence.save("scan.pdf", ContentFile(b"%PDF-1.4 bytes"), save=True)
    client.force_login(clinician_user)

    response = client.get(f"/credentials/{credential.pk}/evidence/")

    assert b"".join(response.streaming_content) == b"%PDF-1.4 bytes"
    assert "X-Accel-Redirect" not in response
