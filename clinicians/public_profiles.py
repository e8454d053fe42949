"""Reading a linked account's public profile, to find the proof code the clinician put there.

Called by the worker only (clinicians.tasks), never inside a web request. Each platform is read
through its documented public interface, without a token:

- Bluesky: the public AppView's `app.bsky.actor.getProfile?actor=<handle>` (XRPC); the code is
  looked for in `description`, the account id is the `did`.
- Mastodon: the instance's `GET /api/v1/accounts/lookup?acct=<user>` (Mastodon API v1); the code
  is looked for in `note` and the profile `fields` (where a `rel="me"` link shows up), the account
  id is `id`.
- A blog, podcast or website: the page itself (the code anywhere in it: a
  `<meta name="advocacy-portal-proof" content="...">` tag, a `rel="me"` link or the text), then
  `/.well-known/advocacy-portal-proof.txt` on the same origin.

Addresses a clinician typed are fetched only if they resolve to public IP addresses (no requests
to the portal's own network), every request has a timeout, and bodies are read up to a limit.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

from clinicians.models import Platform

# Platforms whose ownership can be proven with a code in the public profile.
CODE_PROOF_PLATFORMS = frozenset({Platform.BLUESKY, Platform.MASTODON, Platform.OTHER})
WELL_KNOWN_PATH = "/.well-known/advocacy-portal-proof.txt"
USER_AGENT = "AdvocacyPortal-ProofCheck/1.0"
MAX_REDIRECTS = 3


class ProfileUnreachable(Exception):
    """The profile could not be read now (network, timeout, 5xx, refused address): try again later."""


class ProfileNotFound(Exception):
    """The platform answered that the account does not exist."""


@dataclass(frozen=True)
class PublicProfile:
    text: str
    account_id: str = ""


class HostUnresolvable(Exception):
    """The host of a URL the portal was asked to read does not resolve (try again later)."""


class PrivateHost(Exception):
    """The host of a URL the portal was asked to read is not on the public internet."""


def public_host_require(url: str) -> None:
    """The one rule for every URL a worker fetches on a clinician's word (profiles, posts' reach):
    its host must resolve to public addresses only, so nobody can make the portal read its own
    network. PROOF_ALLOW_PRIVATE_HOSTS turns it off for the tests' local servers."""
    if settings.PROOF_ALLOW_PRIVATE_HOSTS:
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise HostUnresolvable(f"cannot resolve {host}") from error
    if any(not ipaddress.ip_address(address.split("%", 1)[0]).is_global for address in addresses):
        raise PrivateHost(f"{host} is not a public address")


def _check_public_host(url: str) -> None:
    try:
        public_host_require(url)
    except (HostUnresolvable, PrivateHost) as error:
        raise ProfileUnreachable(str(error)) from error


def _get(url: str, *, params: dict | None = None) -> requests.Response:
    """GET with a timeout, following at most MAX_REDIRECTS redirects, each to a public host."""
    for _ in range(MAX_REDIRECTS + 1):
        _check_public_host(url)
        try:
            response = requests.get(
                url,
                params=params,
                timeout=settings.PROOF_FETCH_TIMEOUT_SECONDS,
                allow_redirects=False,
                headers={"User-Agent": USER_AGENT},
                stream=True,
            )
        except requests.RequestException as error:
            raise ProfileUnreachable(f"{type(error).__name__} reading {urlsplit(url).hostname}") from error
        if response.is_redirect and "location" in response.headers:
            url, params = urljoin(url, response.headers["location"]), None
            response.close()
            continue
        if response.status_code == 404 or response.status_code == 400:
            raise ProfileNotFound(f"{urlsplit(url).hostname} answered {response.status_code}")
        if response.status_code >= 300:
            raise ProfileUnreachable(f"{urlsplit(url).hostname} answered {response.status_code}")
        body = response.raw.read(settings.PROOF_FETCH_MAX_BYTES, decode_content=True)
        response._content = body
        return response
    raise ProfileUnreachable("too many redirects")


def _json(response: requests.Response) -> dict:
    try:
        data = response.json()
    except ValueError as error:
        raise ProfileUnreachable("the answer was not JSON") from error
    if not isinstance(data, dict):
        raise ProfileUnreachable("the answer was not a JSON object")
    return data


def _bluesky(handle: str) -> PublicProfile:
    base = settings.PROOF_BLUESKY_APPVIEW_URL.rstrip("/")
    data = _json(_get(f"{base}/xrpc/app.bsky.actor.getProfile", params={"actor": handle}))
    return PublicProfile(text=str(data.get("description") or ""), account_id=str(data.get("did") or ""))


def _mastodon(handle: str) -> PublicProfile:
    user, _, server = handle.partition("@")
    base = settings.PROOF_MASTODON_URL_TEMPLATE.format(server=server).rstrip("/")
    data = _json(_get(f"{base}/api/v1/accounts/lookup", params={"acct": user}))
    fields = data.get("fields") or []
    parts = [str(data.get("note") or "")]
    parts += [f"{field.get('name', '')} {field.get('value', '')}" for field in fields if isinstance(field, dict)]
    return PublicProfile(text="\n".join(parts), account_id=str(data.get("id") or ""))


def _website(url: str, code: str) -> PublicProfile:
    page = _get(url)
    text = page.content.decode(page.encoding or "utf-8", errors="replace")
    if code in text:
        return PublicProfile(text=text)
    parts = urlsplit(url)
    try:
        well_known = _get(f"{parts.scheme}://{parts.netloc}{WELL_KNOWN_PATH}")
    except ProfileNotFound:
        return PublicProfile(text=text)
    return PublicProfile(text=text + "\n" + well_known.content.decode("utf-8", errors="replace"))


def public_profile_fetch(*, platform: str, handle: str, profile_url: str, code: str) -> PublicProfile:
    """The public profile text where the code may appear; raises ProfileNotFound or ProfileUnreachable."""
    if platform == Platform.BLUESKY:
        return _bluesky(handle)
    if platform == Platform.MASTODON:
        return _mastodon(handle)
    if platform == Platform.OTHER:
        return _website(profile_url or handle, code)
    raise ValueError(f"{platform} accounts are proven by signing in with the platform, not by a code.")
