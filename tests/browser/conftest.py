"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server. A missing browser skips these tests locally and fails them in CI."""

import os
import re
from collections.abc import Iterator
from email import message_from_string
from pathlib import Path

import pytest
from django.core import mail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "artifacts/screenshots"))
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-4.11.0.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server) -> Iterator:
    context = chromium.new_context(viewport=DESKTOP, base_url=live_server.url, ignore_https_errors=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    """Save full-page screenshots of the current page at phone and desktop widths."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("375", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original)


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; return the violations at the given impact levels."""
    # Evaluated through the DevTools protocol, not added as an inline <script>: the page's
    # Content-Security-Policy (rightly) refuses inline scripts without its nonce.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def _worker_email_bodies() -> list[str]:
    """The plain-text bodies the real Celery worker wrote (services leg), newest first."""
    from tests.conftest import WORKER_MAIL_DIR

    bodies = []
    for path in sorted(WORKER_MAIL_DIR.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        for raw in path.read_text().split("-" * 79):
            message = message_from_string(raw.strip())
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    bodies.append(part.get_payload(decode=True).decode())
    return bodies


def email_link(pattern: str = r"https?://\S+/accounts/confirm-email/\S+/") -> str:
    """The first link matching pattern in the newest email sent: from the test mail outbox when tasks
    run eagerly, or from the files the real worker writes, waiting for it to send the email."""
    from tests.conftest import wait_for

    if mail.outbox:
        match = re.search(pattern, mail.outbox[-1].body)
        assert match, f"no link matching {pattern!r} in: {mail.outbox[-1].body}"
        return match.group(0)
    found: list[str] = []

    def sent() -> bool:
        found[:] = [m.group(0) for body in _worker_email_bodies() if (m := re.search(pattern, body))]
        return bool(found)

    wait_for(sent, timeout=60, message=f"the worker to send an email with a link matching {pattern!r}")
    return found[0]


def sign_in_code_if_asked(page, email: str) -> None:
    """Privileged test users are enrolled in TOTP (tests.factories.totp_enrol); after their password
    allauth asks for the authenticator code, so type the current one. Clinicians are not asked."""
    from allauth.mfa.models import Authenticator

    from tests.factories import totp_code, totp_secret_for

    if not Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).exists():
        return
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.locator("input[name=code]").fill(totp_code(totp_secret_for(email)))
    page.locator("main").get_by_role("button", name="Sign In").click()


def reauthenticate(page) -> None:
    """Sensitive admin actions ask for the password again; type it (allauth then runs the action)."""
    from tests.factories import DEFAULT_PASSWORD

    page.wait_for_url("**/accounts/reauthenticate/**")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()
