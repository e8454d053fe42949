"""The deployed topology, end to end (the production leg: deploy/ci-production-leg sets
PORTAL_BASE_URL and starts nginx, gunicorn, PgBouncer, the streaming replica and the workers).
Elsewhere these tests skip.

The test process writes its data straight to the primary; the deployed portal reads it through
PgBouncer (and, for reports, from the replica)."""

import datetime as dt
import os
import subprocess
import time

import psycopg2
import pytest
import requests
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import Report, ReportStatus
from reports.services import report_request
from tests.conftest import PORTAL_BASE_URL, wait_for
from tests.factories import DEFAULT_PASSWORD, ActivityFactory, CredentialFactory, VerifiedClinicianFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not PORTAL_BASE_URL, reason="needs the production leg (deploy/ci-production-leg)"),
]
CA_CERT = os.environ.get("PORTAL_CA_CERT", "")
EVIDENCE = b"%PDF-1.4\n" + bytes(range(256)) * 4000 + b"\n%%EOF\n"  # about 1 MB, every byte value


def signed_in(email: str) -> requests.Session:
    session = requests.Session()
    session.verify = CA_CERT
    session.get(f"{PORTAL_BASE_URL}/accounts/login/").raise_for_status()
    response = session.post(
        f"{PORTAL_BASE_URL}/accounts/login/",
        data={"login": email, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{PORTAL_BASE_URL}/accounts/login/"},
    )
    response.raise_for_status()
    assert "sessionid" in session.cookies, response.text[:500]
    return session


def test_it_serves_an_evidence_download_from_nginx(clinician_user):
    credential = CredentialFactory(clinician=clinician_user.clinician, evidence_content_type="application/pdf")
    credential.evidence.save("scan.pdf", ContentFile(EVIDENCE), save=True)
    session = signed_in(clinician_user.email)

    # A client claiming another address in X-Forwarded-For: nginx replaces it with the real one.
    response = session.get(
        f"{PORTAL_BASE_URL}/credentials/{credential.pk}/evidence/", headers={"X-Forwarded-For": "203.0.113.9"}
    )

    assert response.status_code == 200
    assert response.content == EVIDENCE
    # nginx sent the bytes: its internal location's header, its Server, and the sendfile'd length;
    # Django's response (tests/production/test_private_files.py) had an empty body and opened nothing.
    assert response.headers["X-Served-By"] == "nginx"
    assert response.headers["Server"] == "nginx"
    assert "X-Accel-Redirect" not in response.headers
    assert int(response.headers["Content-Length"]) == len(EVIDENCE)
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="credential-{credential.pk}-evidence.pdf"'
    entry = LogEntry.objects.filter(object_pk=str(credential.pk), additional_data__event="evidence_downloaded").get()
    assert entry.remote_addr == "127.0.0.1"


def test_private_files_are_not_reachable_from_outside(clinician_user):
    credential = CredentialFactory(clinician=clinician_user.clinician)
    credential.evidence.save("scan.pdf", ContentFile(b"%PDF-1.4 secret"), save=True)

    response = requests.get(f"{PORTAL_BASE_URL}/_private/{credential.evidence.name}", verify=CA_CERT)

    assert response.status_code == 404
    assert b"secret" not in response.content


def test_it_speaks_http2_with_tls_and_tags_each_request():
    result = subprocess.run(
        ["curl", "-sS", "--http2", "--cacert", CA_CERT, "-D", "-", "-o", "/dev/null", f"{PORTAL_BASE_URL}/healthz"],
        capture_output=True,
        text=True,
        check=True,
    )
    status_line, *header_lines = result.stdout.splitlines()
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines if ":" in line)}
    assert status_line.startswith("HTTP/2 200")
    assert headers["strict-transport-security"].startswith("max-age=")
    assert len(headers["x-request-id"]) == 32  # nginx's $request_id, passed to Django and back


def test_metrics_answer_the_token_holder_only():
    url = f"{PORTAL_BASE_URL}/metrics"
    assert requests.get(url, verify=CA_CERT).status_code == 404
    token = {"Authorization": f"Bearer {os.environ['PORTAL_METRICS_TOKEN']}"}

    def scraped() -> str:
        body = requests.get(url, headers=token, verify=CA_CERT).text
        # Beat's every-minute tasks ran in the workers: their counts reach the web's endpoint.
        return body if "portal_celery_tasks_total{" in body else ""

    body = wait_for(scraped, timeout=90, interval=2, message="task counts from the workers in /metrics")
    assert 'portal_celery_queue_length{queue="reports"}' in body
    assert "portal_outbox_unsent_messages" in body
    assert "portal_celery_task_duration_seconds_bucket" in body
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in body


def test_the_replica_streams_and_reports_read_it(live_worker):
    primary = psycopg2.connect(os.environ["PORTAL_PRIMARY_URL"])
    replica = psycopg2.connect(os.environ["PORTAL_REPLICA_URL"])
    primary.autocommit = replica.autocommit = True
    with primary.cursor() as on_primary, replica.cursor() as on_replica:
        on_replica.execute("SELECT pg_is_in_recovery()")
        assert on_replica.fetchone()[0] is True
        # Replication lag: a commit on the primary until the replica has replayed it.
        on_primary.execute("SELECT txid_current(), pg_current_wal_lsn()::text")
        lsn = on_primary.fetchone()[1]
        started = time.monotonic()

        def replayed() -> bool:
            on_replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            return on_replica.fetchone()[0]

        wait_for(replayed, timeout=30, interval=0.01, message="the replica to replay the commit")
        print(f"replica replayed a commit {1000 * (time.monotonic() - started):.1f} ms after it")

        clinician = VerifiedClinicianFactory(display_name="Replica Reader")
        for _ in range(3):
            ActivityFactory(clinician=clinician)
        on_replica.execute("SELECT tup_returned FROM pg_stat_database WHERE datname = current_database()")
        read_before = on_replica.fetchone()[0]

        today = timezone.localdate()
        period = {"start": str(today - dt.timedelta(days=30)), "end": str(today)}
        report = report_request(user=None, kind="activity_export", parameters=period, format="csv")
        wait_for(
            lambda: Report.objects.filter(
                pk=report.pk, status__in=[ReportStatus.SUCCEEDED, ReportStatus.FAILED]
            ).exists(),
            timeout=120,
            message="the reports worker to build the report",
        )
        report.refresh_from_db()
        assert report.status == ReportStatus.SUCCEEDED, report.error

        # The build read its rows from the replica (statistics accumulate there a moment later).
        def replica_read() -> bool:
            on_replica.execute("SELECT pg_stat_clear_snapshot()")
            on_replica.execute("SELECT tup_returned FROM pg_stat_database WHERE datname = current_database()")
            return on_replica.fetchone()[0] > read_before

        wait_for(replica_read, timeout=30, interval=0.5, message="the replica's statistics to show the report's reads")
    primary.close()
    replica.close()
