"""Share links: the address of each platform's own compose or share page, pre-filled with a toolkit
post, so a clinician shares it in one click and then logs it.

One function builds every platform's URL (`share_url`). Each platform takes what its documented
share endpoint accepts: X and Threads a text and a link, Bluesky and Mastodon one text (the link is
appended to it), LinkedIn and Facebook only the link (they read the page's own preview), Reddit a
link and a title. Mastodon has no central site: the share page is on the clinician's own server
(`instance`), asked once and kept in the session.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from clinicians.models import Platform

# The platforms offered, in the order of the buttons.
SHARE_PLATFORMS: list[str] = [
    Platform.X,
    Platform.LINKEDIN,
    Platform.BLUESKY,
    Platform.THREADS,
    Platform.FACEBOOK,
    Platform.REDDIT,
    Platform.MASTODON,
]

# A server name such as mastodon.social or med-mastodon.com: labels of letters, digits and hyphens.
INSTANCE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class ShareLink:
    platform: str
    label: str
    url: str


def mastodon_instance_clean(raw: str) -> str:
    """The server part of what a clinician typed (`@me@med.social`, `https://med.social/`,
    `med.social`), lower-cased; "" when it is not a server name."""
    text = (raw or "").strip().lower()
    text = re.sub(r"^https?://", "", text).split("/")[0]
    text = text.rsplit("@", 1)[-1]
    return text if INSTANCE.match(text) else ""


def _text_with_link(text: str, url: str) -> str:
    return f"{text} {url}".strip() if url and url not in text else text


def share_url(*, platform: str, text: str, url: str = "", instance: str = "") -> str:
    """The URL of ``platform``'s compose/share page pre-filled with ``text`` and ``url``; "" for
    Mastodon without a valid instance (the page then asks for it)."""
    if platform == Platform.X:
        return "https://x.com/intent/post?" + urlencode({"text": text, **({"url": url} if url else {})})
    if platform == Platform.LINKEDIN:
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url or text})
    if platform == Platform.BLUESKY:
        return "https://bsky.app/intent/compose?" + urlencode({"text": _text_with_link(text, url)})
    if platform == Platform.THREADS:
        return "https://www.threads.net/intent/post?" + urlencode({"text": _text_with_link(text, url)})
    if platform == Platform.FACEBOOK:
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url or text})
    if platform == Platform.REDDIT:
        return "https://www.reddit.com/submit?" + urlencode(
            {"url": url, "title": text[:300]} if url else {"title": text[:300]}
        )
    if platform == Platform.MASTODON:
        server = mastodon_instance_clean(instance)
        if not server:
            return ""
        return f"https://{quote(server)}/share?" + urlencode({"text": _text_with_link(text, url)})
    raise ValueError(f"no share page for {platform!r}")


def share_links(*, text: str, url: str = "", instance: str = "") -> list[ShareLink]:
    """Every platform's share link for one toolkit post (Mastodon only once the instance is known)."""
    labels = dict(Platform.choices)
    links = []
    for platform in SHARE_PLATFORMS:
        address = share_url(platform=platform, text=text, url=url, instance=instance)
        if address:
            links.append(ShareLink(platform=platform, label=labels[platform].split(" (")[0], url=address))
    return links
