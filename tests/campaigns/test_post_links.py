"""URL normalisation and platform detection, with cases for every platform."""

import pytest

from campaigns.post_links import PostLinkError, post_link_parse
from clinicians.models import Platform

CASES = [
    # (submitted, normalised, platform, handle)
    (
        "https://twitter.com/DrJane/status/123?s=20&utm_source=share#top",
        "https://x.com/DrJane/status/123",
        Platform.X,
        "drjane",
    ),
    ("HTTPS://Mobile.Twitter.com/drjane/status/123", "https://x.com/drjane/status/123", Platform.X, "drjane"),
    ("https://www.x.com/drjane/status/123/", "https://x.com/drjane/status/123", Platform.X, "drjane"),
    ("https://www.instagram.com/p/C0abc/?igshid=xyz", "https://instagram.com/p/C0abc", Platform.INSTAGRAM, None),
    (
        "https://www.tiktok.com/@DrJane/video/7300?is_from_webapp=1&utm_medium=x",
        "https://tiktok.com/@DrJane/video/7300",
        Platform.TIKTOK,
        "drjane",
    ),
    ("https://vm.tiktok.com/ZM8abc/", "https://vm.tiktok.com/ZM8abc", Platform.TIKTOK, None),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://youtube.com/watch?v=dQw4w9WgXcQ", Platform.YOUTUBE, None),
    (
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
        "https://youtube.com/watch?v=dQw4w9WgXcQ",
        Platform.YOUTUBE,
        None,
    ),
    ("https://www.youtube.com/shorts/abc123", "https://youtube.com/watch?v=abc123", Platform.YOUTUBE, None),
    (
        "https://www.linkedin.com/posts/drjane_activity-7100?utm_source=share&utm_medium=member",
        "https://linkedin.com/posts/drjane_activity-7100",
        Platform.LINKEDIN,
        None,
    ),
    (
        "https://m.facebook.com/drjane/posts/555?fbclid=IwAR",
        "https://facebook.com/drjane/posts/555",
        Platform.FACEBOOK,
        "drjane",
    ),
    ("https://www.facebook.com/watch/?v=999", "https://facebook.com/watch?v=999", Platform.FACEBOOK, None),
    (
        "https://www.threads.net/@drjane/post/C1xyz",
        "https://threads.net/@drjane/post/C1xyz",
        Platform.THREADS,
        "drjane",
    ),
    (
        "https://www.threads.com/@drjane/post/C1xyz",
        "https://threads.net/@drjane/post/C1xyz",
        Platform.THREADS,
        "drjane",
    ),
    (
        "https://bsky.app/profile/drjane.bsky.social/post/3kabc",
        "https://bsky.app/profile/drjane.bsky.social/post/3kabc",
        Platform.BLUESKY,
        "drjane.bsky.social",
    ),
    (
        "https://Mastodon.Social/@drjane/111222333#replies",
        "https://mastodon.social/@drjane/111222333",
        Platform.MASTODON,
        "drjane@mastodon.social",
    ),
    (
        "https://med-mastodon.com/@DrJane/1099",
        "https://med-mastodon.com/@DrJane/1099",
        Platform.MASTODON,
        "drjane@med-mastodon.com",
    ),
    (
        "https://www.reddit.com/r/medicine/comments/abc/title/?utm_name=x",
        "https://reddit.com/r/medicine/comments/abc/title",
        Platform.REDDIT,
        None,
    ),
    (
        "https://old.reddit.com/r/medicine/comments/abc/",
        "https://reddit.com/r/medicine/comments/abc",
        Platform.REDDIT,
        None,
    ),
    ("https://redd.it/abc", "https://reddit.com/comments/abc", Platform.REDDIT, None),
    (
        "http://Blog.Example.org:80/posts/vaccines/?b=2&a=1&gclid=9#intro",
        "http://blog.example.org/posts/vaccines?a=1&b=2",
        Platform.OTHER,
        None,
    ),
    ("https://www.example.org/podcast/episode-4", "https://example.org/podcast/episode-4", Platform.OTHER, None),
]


@pytest.mark.parametrize(("submitted", "normalised", "platform", "handle"), CASES)
def test_it_normalises_and_detects_the_platform(submitted, normalised, platform, handle):
    link = post_link_parse(submitted)
    assert (link.url, link.platform, link.handle) == (normalised, platform, handle)


@pytest.mark.parametrize(
    ("shared", "canonical"),
    [
        ("https://x.com/drjane/status/123?s=20", "https://x.com/drjane/status/123"),
        ("https://x.com/drjane/status/123?s=46&t=AbCdEf", "https://x.com/drjane/status/123"),
        ("https://twitter.com/drjane/status/123?ref_src=twsrc%5Etfw", "https://x.com/drjane/status/123"),
        (
            "https://www.linkedin.com/posts/drjane_activity-7100?trk=public_post",
            "https://linkedin.com/posts/drjane_activity-7100",
        ),
        (
            "https://www.reddit.com/r/medicine/comments/abc/title/?share_id=xyz&rdt=1",
            "https://reddit.com/r/medicine/comments/abc/title",
        ),
        ("https://www.facebook.com/drjane/posts/1?mibextid=Nif5oz", "https://facebook.com/drjane/posts/1"),
        ("https://www.instagram.com/p/C0abc/?igsh=MWx", "https://instagram.com/p/C0abc"),
    ],
)
def test_it_drops_each_platforms_share_tracking_parameters(shared, canonical):
    assert post_link_parse(shared).url == canonical


def test_a_start_time_is_kept_off_the_platforms_that_track_with_t():
    assert post_link_parse("https://youtube.com/watch?v=abc&t=42").url == "https://youtube.com/watch?t=42&v=abc"


def test_every_platform_has_a_case():
    assert {case[2] for case in CASES} == set(Platform.values)


def test_two_forms_of_one_post_normalise_to_the_same_url():
    assert (
        post_link_parse("https://youtu.be/abc?si=1").url == post_link_parse("https://www.youtube.com/watch?v=abc").url
    )
    assert (
        post_link_parse("https://twitter.com/a/status/1").url == post_link_parse("https://x.com/a/status/1?utm_x=1").url
    )


@pytest.mark.parametrize(
    "bad", ["", "x.com/drjane/status/1", "ftp://example.org/file", "https://localhost/x", "javascript:alert(1)"]
)
def test_it_rejects_what_is_not_a_web_link(bad):
    with pytest.raises(PostLinkError):
        post_link_parse(bad)


@pytest.mark.parametrize(
    "text",
    [
        "https://x.com:99999/drjane/status/1",  # urlsplit's .port raises ValueError out of range
        "https://x.com:port/drjane/status/1",
        "https://[::1/status/1",  # urlsplit raises ValueError: Invalid IPv6 URL
    ],
)
def test_a_malformed_address_is_a_post_link_error(text):
    with pytest.raises(PostLinkError, match="not a valid web address"):
        post_link_parse(text)
