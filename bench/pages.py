"""Pages under load: gunicorn (2 workers) on the seeded database, wrk on 127.0.0.1, queries per page.

Sessions are created directly with the session engine for a chosen clinician and a superuser, and
sent as a cookie; each URL gets a bounded wrk run (threads, connections and seconds are fixed), and
its throughput is reported as a ratio to `/healthz` on the same server. Queries per page are counted
in-process with Django's test client against the same database.
"""

import base64
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from clinicians.models import Clinician, VerificationStatus
from core.models import User
from core.services import user_totp_enrol

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
BENCH_ADMIN_EMAIL = "bench-admin@bench.advocacy.example"

# (path, who asks): clinician pages as the busiest clinician, staff pages as a superuser.
CLINICIAN_PAGES = ["/dashboard/", "/leaderboard/", "/activities/", "/campaigns/{campaign}/", "/points/"]
STAFF_PAGES = [
    # The staff dashboard: the bench superuser has no clinician profile, so /dashboard/ is the staff one.
    "/dashboard/",
    "/reports/",
    "/admin/campaigns/activity/",
    "/admin/incentives/ledgerentry/",
    # The verification queue opens on the credentials awaiting a decision (a bare URL redirects there).
    "/admin/clinicians/credential/?status=awaiting",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_users() -> tuple[User, User]:
    """The verified clinician with the most activities, and a superuser made for the benchmark."""
    clinician = (
        Clinician.objects.filter(verification_status=VerificationStatus.VERIFIED)
        .annotate(posts=Count("activities"))
        .order_by("-posts", "pk")
        .select_related("user")
        .first()
    )
    if clinician is None:
        raise RuntimeError("No verified clinician: seed the database first (manage.py seed_demo ...).")
    admin, created = User.objects.get_or_create(
        email=BENCH_ADMIN_EMAIL, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_unusable_password()
        admin.save(update_fields=["password"])
    # Privileged accounts must have TOTP or every page redirects to enrolment (core.middleware); the
    # benchmark signs in with a prepared session, so the secret is random and never used.
    user_totp_enrol(user=admin, secret=base64.b32encode(secrets.token_bytes(20)).decode())
    return clinician.user, admin


def session_for(user: User) -> str:
    """A logged-in session for `user`, saved by the configured session engine; returns its key."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # As allauth records a sign-in with a TOTP code, so the admin's sensitive pages (credential
    # evidence) answer instead of asking to re-authenticate: a wrk run lasts far less than the timeout.
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "mfa", "type": "totp", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return session.session_key


def queries_per_page(user: User, path: str) -> dict:
    """Status and number of queries of one request (after a warm-up request), in-process."""
    client = Client()
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return {"status": response.status_code, "queries": len(captured.captured_queries)}


class Server:
    """gunicorn with 2 workers on a free loopback port, stopped when the block ends."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = _free_port()
        self.process: subprocess.Popen | None = None
        # gunicorn logs every 404 of pages not merged yet; kept out of the table, shown if it fails.
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> "Server":
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(  # noqa: S603
            [gunicorn, "advocacy_portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/healthz")
                return self
            except OSError:
                time.sleep(0.5)
        tail = self.log_tail()
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{tail}")

    def log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read()[-2000:]

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            if self.process.returncode not in (0, -15):
                print(self.log_tail(), file=sys.stderr)
        self.log.close()

    def get(self, path: str, session_key: str | None = None) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"} if session_key else {}
        conn.request("GET", path, headers=headers)
        status = conn.getresponse().status
        conn.close()
        return status

    def load(self, path: str, *, session_key: str | None, seconds: int, connections: int) -> dict:
        """A bounded wrk run (2 threads, `connections` connections, `seconds` seconds) on one URL."""
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(LUA_SCRIPT)]
        if session_key:
            command += ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={session_key}"]
        command.append(f"http://127.0.0.1:{self.port}{path}")
        completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)  # noqa: S603
        for line in completed.stdout.splitlines():
            if line.startswith("BENCH_JSON "):
                figures = json.loads(line.removeprefix("BENCH_JSON "))
                figures["requests_per_second"] = figures["requests"] / max(figures["duration_us"] / 1e6, 1e-9)
                return figures
        raise RuntimeError(f"wrk gave no figures: {completed.stderr[-400:]}")


def pages_measure(*, env: dict[str, str], seconds: int, connections: int) -> list[dict]:
    """Latency, throughput (ratio to /healthz), errors and queries for each page; 404s are reported."""
    if shutil.which("wrk") is None:
        return [{"path": "(all pages)", "status": "not available: wrk is not installed (apt-get install -y wrk)"}]
    clinician, admin = bench_users()
    campaign = Campaign.objects.order_by("-ends_on", "pk").values_list("slug", flat=True).first() or "none"
    plan = [("/healthz", None)]
    plan += [(path.format(campaign=campaign), clinician) for path in CLINICIAN_PAGES]
    plan += [(path, admin) for path in STAFF_PAGES]
    sessions = {user.pk: session_for(user) for user in (clinician, admin)}
    results = []
    with Server(env) as server:
        for path, user in plan:
            key = sessions[user.pk] if user else None
            row = {"path": path, "as": "anonymous" if user is None else ("clinician" if user == clinician else "admin")}
            status = server.get(path, key)
            row["http_status"] = status
            if user is not None:
                row.update(queries_per_page(user, path))
            if status == 404:
                row["status"] = "not available (404)"
            elif status != 200:
                row["status"] = f"answered {status} before load"
            else:
                row["status"] = "measured"
                row.update(server.load(path, session_key=key, seconds=seconds, connections=connections))
            results.append(row)
    baseline = next((r for r in results if r["path"] == "/healthz" and "requests_per_second" in r), None)
    for row in results:
        if baseline and "requests_per_second" in row:
            row["throughput_ratio_to_healthz"] = row["requests_per_second"] / baseline["requests_per_second"]
    return results


def server_env(base: dict[str, str]) -> dict[str, str]:
    """The environment for gunicorn: production settings, but plain HTTP on loopback."""
    env = dict(os.environ)
    env.update(base)
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    return env
