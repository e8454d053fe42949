"""Reading a proven post's figures (likes, reposts, replies, views) from its platform's API.

Called by the worker only (campaigns.tasks through campaigns.reach_import), never in a web request.
Each platform is read through its documented interface; the base URLs come from settings:

- Bluesky: the public AppView's ``app.bsky.feed.getPosts?uris=at://<did>/app.bsky.feed.post/<rkey>``
  (XRPC, no token): ``likeCount``, ``repostCount`` + ``quoteCount``, ``replyCount``; no views.
- Mastodon: the instance's ``GET /api/v1/statuses/:id`` (Mastodon API v1, public statuses need no
  token): ``favourites_count``, ``reblogs_count``, ``replies_count``; no views.
- Reddit: the public JSON of the post, ``/comments/<id>.json``: ``score`` (counted as likes) and
  ``num_comments``; no views.
- YouTube: Data API v3 ``videos?part=statistics&id=<id>&key=<REACH_YOUTUBE_API_KEY>``:
  ``viewCount`` (impressions), ``likeCount``, ``commentCount``.

X, LinkedIn and the Meta platforms (Facebook, Instagram, Threads) need the member's OAuth token
with an analytics scope; the portal does not keep tokens (``SOCIALACCOUNT_STORE_TOKENS = False``),
so their figures stay self-reported (see README "Imported reach").

Every request has a timeout, a per-platform rate limit shared by all workers (the cache), and
answers 429 / 5xx / timeouts as ``ReachUnavailable`` (try later, after Retry-After when given).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from clinicians.models import Platform
from clinicians.public_profiles import HostUnresolvable, PrivateHost, public_host_require

USER_AGENT = "AdvocacyPortal-Reach/1.0 (+imported reach of proven posts)"

BLUESKY_SOURCE = "Bluesky AppView API (app.bsky.feed.getPosts)"
MASTODON_SOURCE = "Mastodon API v1 (GET /api/v1/statuses/:id)"
REDDIT_SOURCE = "Reddit public JSON (/comments/<id>.json)"
YOUTUBE_SOURCE = "YouTube Data API v3 (videos?part=statistics)"

BLUESKY_POST_PATH = re.compile(r"^/profile/(?P<actor>[^/]+)/post/(?P<rkey>[A-Za-z0-9]+)$")
MASTODON_POST_PATH = re.compile(r"^/@[A-Za-z0-9_]+/(?P<id>\d+)$")
REDDIT_POST_PATH = re.compile(r"/comments/(?P<id>[a-z0-9]+)(/|$)")


class ReachUnavailable(Exception):
    """The platform cannot answer now (429, 5xx, timeout, our own rate limit): try again later."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class ReachNotReadable(Exception):
    """This post's figures cannot be read (gone, private, not a post URL, no API key): give up."""


@dataclass(frozen=True)
class Figures:
    """One reading; a figure the API does not give is None."""

    source_api: str
    impressions: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None

    def metrics(self) -> dict[str, int]:
        values = {
            "impressions": self.impressions,
            "likes": self.likes,
            "shares": self.shares,
            "comments": self.comments,
        }
        return {name: value for name, value in values.items() if value is not None}


def readable_platforms() -> frozenset[str]:
    """Platforms whose figures the worker can read with the current settings."""
    platforms = {Platform.BLUESKY, Platform.MASTODON, Platform.REDDIT}
    if settings.REACH_YOUTUBE_API_KEY:
        platforms.add(Platform.YOUTUBE)
    return frozenset(platforms)


def rate_limit_take(platform: str) -> None:
    """Count one request against the platform's per-minute budget; ReachUnavailable when spent.

    The counter lives in the shared cache (Redis in production), keyed by the minute, so every
    worker draws on the same budget.
    """
    limit = settings.REACH_RATE_LIMITS_PER_MINUTE.get(platform)
    if not limit:
        return
    now = timezone.now().timestamp()
    key = f"reach-rate:{platform}:{int(now // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr: a new minute began
        cache.add(key, 1, timeout=120)
        used = 1
    if used > limit:
        raise ReachUnavailable(f"{platform} rate limit of {limit}/min reached", retry_after=60 - now % 60)


def _check_public_host(url: str) -> None:
    # A Mastodon post's server comes from the URL the clinician logged: never read our own network.
    try:
        public_host_require(url)
    except HostUnresolvable as error:
        raise ReachUnavailable(str(error)) from error
    except PrivateHost as error:
        raise ReachNotReadable(str(error)) from error


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.strip().isdigit() else None


def _get_json(url: str, *, params: dict | None = None):
    _check_public_host(url)
    host = urlsplit(url).hostname
    try:
        response = requests.get(
            url,
            params=params,
            timeout=settings.REACH_FETCH_TIMEOUT_SECONDS,
            allow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
    except requests.RequestException as error:
        raise ReachUnavailable(f"{type(error).__name__} reading {host}") from error
    if response.status_code == 429:
        raise ReachUnavailable(f"{host} answered 429", retry_after=_retry_after(response))
    if response.status_code >= 500:
        raise ReachUnavailable(f"{host} answered {response.status_code}", retry_after=_retry_after(response))
    if response.status_code != 200:
        raise ReachNotReadable(f"{host} answered {response.status_code}")
    try:
        return response.json()
    except ValueError as error:
        raise ReachUnavailable(f"{host} answered something that is not JSON") from error


def _count(value) -> int | None:
    """A figure from an API (YouTube sends strings); None when absent or not a whole number."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return max(number, 0)


def _bluesky(url: str, account_id: str) -> Figures:
    match = BLUESKY_POST_PATH.match(urlsplit(url).path)
    if not match:
        raise ReachNotReadable("not a Bluesky post URL")
    # getPosts wants an at:// URI; the proven account's DID is stable where the handle may change.
    actor = account_id if account_id.startswith("did:") else match["actor"]
    uri = f"at://{actor}/app.bsky.feed.post/{match['rkey']}"
    base = settings.REACH_BLUESKY_APPVIEW_URL.rstrip("/")
    data = _get_json(f"{base}/xrpc/app.bsky.feed.getPosts", params={"uris": uri})
    posts = data.get("posts") if isinstance(data, dict) else None
    if not posts or not isinstance(posts[0], dict):
        raise ReachNotReadable("Bluesky has no such post (deleted or hidden)")
    post = posts[0]
    reposts = (_count(post.get("repostCount")) or 0) + (_count(post.get("quoteCount")) or 0)
    return Figures(
        source_api=BLUESKY_SOURCE,
        likes=_count(post.get("likeCount")),
        shares=reposts,
        comments=_count(post.get("replyCount")),
    )


def _mastodon(url: str) -> Figures:
    parts = urlsplit(url)
    match = MASTODON_POST_PATH.match(parts.path)
    if not match:
        raise ReachNotReadable("not a Mastodon post URL")
    base = settings.REACH_MASTODON_URL_TEMPLATE.format(server=parts.netloc).rstrip("/")
    status = _get_json(f"{base}/api/v1/statuses/{match['id']}")
    if not isinstance(status, dict):
        raise ReachUnavailable("Mastodon answered something that is not a status")
    return Figures(
        source_api=MASTODON_SOURCE,
        likes=_count(status.get("favourites_count")),
        shares=_count(status.get("reblogs_count")),
        comments=_count(status.get("replies_count")),
    )


def _reddit(url: str) -> Figures:
    match = REDDIT_POST_PATH.search(urlsplit(url).path)
    if not match:
        raise ReachNotReadable("not a Reddit post URL")
    base = settings.REACH_REDDIT_URL.rstrip("/")
    listing = _get_json(f"{base}/comments/{match['id']}.json", params={"raw_json": 1})
    try:
        post = listing[0]["data"]["children"][0]["data"]
    except (KeyError, IndexError, TypeError) as error:
        raise ReachNotReadable("Reddit has no such post") from error
    return Figures(source_api=REDDIT_SOURCE, likes=_count(post.get("score")), comments=_count(post.get("num_comments")))


def _youtube(url: str) -> Figures:
    video = (parse_qs(urlsplit(url).query).get("v") or [""])[0]
    if not video:
        raise ReachNotReadable("not a YouTube video URL")
    if not settings.REACH_YOUTUBE_API_KEY:
        raise ReachNotReadable("REACH_YOUTUBE_API_KEY is not set")
    base = settings.REACH_YOUTUBE_API_URL.rstrip("/")
    data = _get_json(
        f"{base}/youtube/v3/videos",
        params={"part": "statistics", "id": video, "key": settings.REACH_YOUTUBE_API_KEY},
    )
    items = data.get("items") if isinstance(data, dict) else None
    if not items:
        raise ReachNotReadable("YouTube has no such video (deleted or private)")
    statistics = items[0].get("statistics") or {}
    return Figures(
        source_api=YOUTUBE_SOURCE,
        impressions=_count(statistics.get("viewCount")),
        likes=_count(statistics.get("likeCount")),
        comments=_count(statistics.get("commentCount")),
    )


def post_figures_fetch(*, platform: str, url: str, account_id: str = "") -> Figures:
    """The post's current figures; raises ReachUnavailable (later) or ReachNotReadable (never)."""
    if platform not in readable_platforms():
        raise ReachNotReadable(f"{platform} figures cannot be read by the portal")
    rate_limit_take(platform)
    if platform == Platform.BLUESKY:
        return _bluesky(url, account_id)
    if platform == Platform.MASTODON:
        return _mastodon(url)
    if platform == Platform.REDDIT:
        return _reddit(url)
    return _youtube(url)
