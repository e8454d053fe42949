"""Normalising the URL of a social media post and detecting its platform and author handle.

Two links to the same post must normalise to the same string, because the normalised URL is what
makes an activity unique. The rules, in order:

1. The scheme and host are lower-cased, a default port is dropped, `www.` is dropped on every
   host, and `m.` / `mobile.` only on the hosts of known platforms (where they are the same site).
2. Tracking parameters (`utm_*`, `fbclid`, `gclid`, `igshid`, `igsh`, `si`, `mc_cid`, `mc_eid`) and
   the fragment are dropped, and so are each platform's own share-tracking parameters
   (`PLATFORM_TRACKING_PARAMETERS`: X's `?s=20&t=...`, LinkedIn's `trk`, TikTok's `_r`/`_t`, ...;
   only on that platform's host, since elsewhere `t` may be a video's start time); the remaining
   query parameters are sorted; a trailing slash on the path is dropped.
3. Known short forms are expanded: `youtu.be/ID` and `youtube.com/shorts/ID` become
   `youtube.com/watch?v=ID`, `twitter.com` becomes `x.com`, `threads.com` becomes `threads.net`,
   `redd.it/ID` becomes `reddit.com/comments/ID`. Short links that need the network to expand
   (`vm.tiktok.com/...`) are kept as they are.

The platform is detected from the host; Mastodon from a `/@user/<digits>` path on any other host.
The author's handle is read from the path where the platform puts it there (X, TikTok, Threads,
Bluesky, Mastodon, Facebook pages); elsewhere it is None.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from clinicians.models import Platform

TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "igshid", "igsh", "si", "mc_cid", "mc_eid"})

# Canonical host -> the parameters its share buttons add to say who shared from where. They never
# change which post a link opens, so they are dropped before two links are compared.
PLATFORM_TRACKING_PARAMETERS: dict[str, frozenset[str]] = {
    "x.com": frozenset({"s", "t", "ref_src", "ref_url", "src"}),
    "linkedin.com": frozenset({"trk", "trackingid", "lipi", "rcm", "original_referer"}),
    "tiktok.com": frozenset({"_r", "_t", "is_from_webapp", "sender_device", "web_id", "is_copy_url", "lang"}),
    "instagram.com": frozenset({"img_index", "hl"}),
    "facebook.com": frozenset({"mibextid", "rdid", "sfnsn", "ref", "_rdr"}),
    "threads.net": frozenset({"xmt", "slof"}),
    "reddit.com": frozenset({"share_id", "rdt", "ref", "ref_source", "context"}),
    "youtube.com": frozenset({"feature", "pp", "ab_channel"}),
}

# Host (after dropping www./m./mobile.) -> platform.
PLATFORM_HOSTS: dict[str, str] = {
    "x.com": Platform.X,
    "twitter.com": Platform.X,
    "instagram.com": Platform.INSTAGRAM,
    "tiktok.com": Platform.TIKTOK,
    "vm.tiktok.com": Platform.TIKTOK,
    "youtube.com": Platform.YOUTUBE,
    "youtu.be": Platform.YOUTUBE,
    "linkedin.com": Platform.LINKEDIN,
    "facebook.com": Platform.FACEBOOK,
    "fb.watch": Platform.FACEBOOK,
    "threads.net": Platform.THREADS,
    "threads.com": Platform.THREADS,
    "bsky.app": Platform.BLUESKY,
    "reddit.com": Platform.REDDIT,
    "old.reddit.com": Platform.REDDIT,
    "redd.it": Platform.REDDIT,
}

MASTODON_PATH = re.compile(r"^/@(?P<user>[A-Za-z0-9_]+)/(?P<id>\d+)$")
FACEBOOK_NON_HANDLES = frozenset({"watch", "story.php", "permalink.php", "groups", "share", "photo", "reel", "events"})
X_NON_HANDLES = frozenset({"i", "home", "search", "intent"})


class PostLinkError(ValueError):
    """The text is not a usable http(s) link to a post."""


@dataclass(frozen=True)
class PostLink:
    url: str
    platform: str
    handle: str | None


def _host_without_prefixes(host: str) -> str:
    host = host.removeprefix("www.")
    for prefix in ("m.", "mobile."):
        if host.startswith(prefix) and host.removeprefix(prefix) in PLATFORM_HOSTS:
            return host.removeprefix(prefix)
    return host


def _query_without_tracking(query: str) -> list[tuple[str, str]]:
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMETERS]
    return sorted(kept)


def _expand(host: str, path: str, query: list[tuple[str, str]]) -> tuple[str, str, list[tuple[str, str]]]:
    """Rewrite known short or duplicate forms to one canonical host and path."""
    if host == "twitter.com":
        host = "x.com"
    elif host == "threads.com":
        host = "threads.net"
    elif host == "youtu.be" and path.strip("/"):
        video = path.strip("/").split("/")[0]
        query = sorted([("v", video), *[(k, v) for k, v in query if k != "v"]])
        host, path = "youtube.com", "/watch"
    elif host == "youtube.com" and path.startswith("/shorts/"):
        video = path.removeprefix("/shorts/").split("/")[0]
        host, path, query = "youtube.com", "/watch", sorted([("v", video), *query])
    elif host == "redd.it" and path.strip("/"):
        host, path = "reddit.com", "/comments/" + path.strip("/").split("/")[0]
    elif host == "old.reddit.com":
        host = "reddit.com"
    return host, path, query


def _handle(platform: str, host: str, path: str) -> str | None:
    parts = [part for part in path.split("/") if part]
    if not parts:
        return None
    first = parts[0]
    if platform == Platform.X and len(parts) >= 3 and parts[1] == "status" and first.lower() not in X_NON_HANDLES:
        return first.lower()
    if platform in (Platform.TIKTOK, Platform.THREADS) and first.startswith("@"):
        return first[1:].lower()
    if platform == Platform.BLUESKY and first == "profile" and len(parts) >= 2:
        return parts[1].lower()
    if platform == Platform.MASTODON:
        return f"{first[1:]}@{host}".lower()
    if platform == Platform.FACEBOOK and len(parts) >= 2 and first.lower() not in FACEBOOK_NON_HANDLES:
        return first.lower()
    return None


def post_link_parse(raw: str) -> PostLink:
    """Normalise a post URL and tell its platform and (where the URL shows it) the author's handle."""
    text = (raw or "").strip()
    if not re.match(r"^https?://", text, flags=re.IGNORECASE):
        raise PostLinkError("Enter the full link to the post, starting with https://.")
    try:
        # urlsplit refuses a broken IPv6 literal, and .port a port that is not a number in 0-65535.
        parts = urlsplit(text)
        port = parts.port if parts.port not in (None, 80, 443) else None
    except ValueError:
        raise PostLinkError("The link is not a valid web address: check the part after https://.") from None
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or "." not in host:
        raise PostLinkError("The link has no valid web address.")
    scheme = parts.scheme.lower()
    host = _host_without_prefixes(host)
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = _query_without_tracking(parts.query)
    host, path, query = _expand(host, path, query)
    platform_tracking = PLATFORM_TRACKING_PARAMETERS.get(host, frozenset())
    query = [(k, v) for k, v in query if k.lower() not in platform_tracking]

    platform = PLATFORM_HOSTS.get(host)
    if platform is None:
        platform = Platform.MASTODON if MASTODON_PATH.match(path) else Platform.OTHER
    if platform != Platform.OTHER:
        scheme = "https"
    netloc = f"{host}:{port}" if port else host
    url = urlunsplit((scheme, netloc, path if path != "/" or query else "/", urlencode(query), ""))
    return PostLink(url=url, platform=platform, handle=_handle(platform, host, path))


def handle_normalise(handle: str) -> str:
    """The form of a linked account's handle that compares with the one read from a URL."""
    return handle.strip().lstrip("@").lower()
