"""The client's network address, one rule for allauth's rate limits and the audit trail."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the X-Forwarded-For entry that ALLAUTH_TRUSTED_PROXY_COUNT proxies vouch for
    (the entries before it are whatever the client chose to send)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None
