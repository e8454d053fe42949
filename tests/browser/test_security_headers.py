"""Content-Security-Policy sweep: every portal page, as a visitor, a clinician, a staff member and an
admin (Django admin included), loads in Chromium at 375 px and 1280 px without a single CSP violation
(the page's `securitypolicyviolation` events and Chromium's console are both watched), while the
scripts the policy must still allow do run: the nonced inline script, htmx (polling and swaps) and
Chart.js."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Activity
from clinicians.models import Credential
from core.models import AuditEvent
from core.services import audit_record
from reports.models import ReportStatus
from reports.services import report_request
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import clinician_with_history
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
});
"""

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


def clinician_pages(clinician) -> list[str]:
    activity = Activity.objects.filter(clinician=clinician).first()
    credential = Credential.objects.filter(clinician=clinician).first()
    return [
        "/dashboard/",
        "/activities/",
        "/activities/?status=accepted",
        "/activities/new/",
        "/activities/import/",
        reverse("campaigns:activity_detail", args=[activity.pk]),
        "/campaigns/",
        "/campaigns/measles-facts-now/",
        "/leaderboard/",
        "/points/",
        "/rewards/",
        "/profile/",
        "/profile/social/",
        "/credentials/",
        "/credentials/new/",
        reverse("clinicians:credential_detail", args=[credential.pk]),
        reverse("clinicians:public_verification", args=[clinician.public_id]),
        "/notifications/",
        "/notifications/settings/",
        "/my-data/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
    ]


STAFF_PAGES = ["/dashboard/", "/reports/"]


def admin_pages(clinician) -> list[str]:
    entry = audit_record(event=AuditEvent.REPORT_DOWNLOADED, target=clinician.user, actor=clinician.user)
    changelists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]
    return [
        "/admin/",
        *changelists,
        "/admin/clinicians/credential/?status__exact=submitted",
        reverse("admin:campaigns_campaign_add"),
        reverse("admin:incentives_ruleset_add"),
        reverse("admin:incentives_ledgerentry_adjust"),
        reverse("admin:core_user_change", args=[clinician.user.pk]),
        reverse("admin:clinicians_credential_change", args=[Credential.objects.first().pk]),
        reverse("admin:campaigns_activity_change", args=[Activity.objects.first().pk]),
        reverse("admin:auditlog_logentry_change", args=[entry.pk]),
    ]


def sign_in(page, live_server, user) -> None:
    """The signed-in session of a real login (force_login), handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def csp_sweep(page, urls: list[str]) -> dict[str, list[str]]:
    """Load every URL at both widths; return the violations (and failed loads) by page and width."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.context.add_init_script(WATCH_VIOLATIONS)
    problems: dict[str, list[str]] = {}
    for url in urls:
        # One load per page: at phone width until every script has run, then at desktop width (what
        # the wider layout fetches or runs, e.g. charts redrawn on resize, is checked too).
        console.clear()
        page.set_viewport_size(PHONE)
        response = page.goto(url, wait_until="load")
        page.set_viewport_size(DESKTOP)
        page.evaluate("new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
        found = list(page.evaluate("window.__cspViolations"))
        found += [text for text in console if "Content Security Policy" in text]
        if response.status >= 400:
            found.append(f"HTTP {response.status}")
        if "'unsafe-inline'" in response.headers.get("content-security-policy", "script-src 'unsafe-inline'"):
            found.append("no policy, or a policy with 'unsafe-inline'")
        if found:
            problems[url] = found
    return problems


def test_public_pages_load_without_a_csp_violation(page):
    assert csp_sweep(page, PUBLIC_PAGES) == {}
    assert page.evaluate("document.documentElement.classList.contains('js')"), "the nonced inline script ran"


def test_clinician_pages_load_without_a_csp_violation(page, live_server):
    clinician = clinician_with_history()
    clinician.public_profile = True
    clinician.save(update_fields=["public_profile"])
    sign_in(page, live_server, clinician.user)
    assert csp_sweep(page, clinician_pages(clinician)) == {}

    # What the policy must still allow: Chart.js draws, htmx swaps in the excerpt feedback.
    page.goto("/dashboard/")
    page.wait_for_selector("canvas[data-rendered='true']")
    page.goto("/activities/new/")
    page.select_option("#id_category", "public_education")
    with page.expect_response(lambda response: "/activities/new/check/" in response.url):
        page.fill("#id_excerpt", "Measles vaccines are safe and effective. Two doses protect 97 in 100 people.")
    page.wait_for_selector("#excerpt-feedback .reading-grade")
    assert page.evaluate("window.__cspViolations") == []
    assert page.evaluate("document.querySelectorAll('style').length") == 0, "htmx injected no <style>"


def test_staff_pages_load_without_a_csp_violation_while_htmx_polls_a_report(page, live_server, staff_user):
    clinician_with_history()
    report = report_request(
        user=staff_user,
        kind="advocacy_summary",
        format="pdf",
        parameters={
            "start": (timezone.localdate() - dt.timedelta(days=60)).isoformat(),
            "end": timezone.localdate().isoformat(),
        },
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUCCEEDED
    queued = ReportFactory(requested_by=staff_user)
    sign_in(page, live_server, staff_user)
    assert csp_sweep(page, STAFF_PAGES) == {}

    # The queued report's row polls its progress every second through htmx.
    page.goto("/reports/")
    with page.expect_response(lambda r: f"/reports/{queued.pk}/progress/" in r.url):
        pass
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []


def test_admin_pages_load_without_a_csp_violation(page, live_server, admin_user):
    clinician = clinician_with_history()
    sign_in(page, live_server, admin_user)
    urls = admin_pages(clinician)
    assert len(urls) > 25
    assert csp_sweep(page, urls) == {}
    # Admin's own scripts (jQuery, the actions bar) ran under the policy.
    page.goto(reverse("admin:clinicians_credential_changelist"))
    assert page.evaluate("typeof window.django !== 'undefined' && typeof window.django.jQuery === 'function'")
