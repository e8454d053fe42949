"""Input rules: NPI check digits, evidence file inspection, social media handles per platform."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from clinicians.models import Platform
from clinicians.validators import evidence_inspect, npi_validate, social_handle_normalise
from tests.clinicians.factories import EXE_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["1234567893", "1558598797", "1083617021", "1689872012", " 1234567893 "])
def test_it_accepts_the_reference_npis(number):
    assert npi_validate(number) == number.strip()


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("1234567898", "npi_check_digit", "check digit"),
        ("1234567890", "npi_check_digit", "check digit"),
        ("123456789", "npi_length", "exactly 10 digits"),
        ("12345678931", "npi_length", "exactly 10 digits"),
        ("12345A7893", "npi_letters", "digits only"),
        ("", "npi_letters", "digits only"),
    ],
)
def test_it_names_the_npi_rule_that_failed(number, code, words):
    with pytest.raises(ValidationError) as error:
        npi_validate(number)
    assert error.value.code == code
    assert words in error.value.message


@pytest.mark.parametrize(
    ("content", "mime"),
    [(PDF_BYTES, "application/pdf"), (PNG_BYTES, "image/png"), (JPEG_BYTES, "image/jpeg")],
)
def test_it_decides_the_evidence_type_by_content(content, mime):
    assert evidence_inspect(SimpleUploadedFile("scan.bin", content, content_type="text/plain")) == mime


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("licence.pdf", b""), "empty"),
        (SimpleUploadedFile("licence.pdf", EXE_BYTES, content_type="application/pdf"), "type"),
        (SimpleUploadedFile("licence.pdf", b"just some text, not a PDF"), "type"),
        (ContentFile(PDF_BYTES, name="../../etc/licence.pdf"), "name"),
        (SimpleUploadedFile("..%2F..%2Flicence.pdf", PDF_BYTES), "name"),
    ],
)
def test_it_refuses_bad_evidence(upload, code):
    with pytest.raises(ValidationError) as error:
        evidence_inspect(upload)
    assert error.value.code == code


def test_it_refuses_evidence_over_the_limit(settings):
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        evidence_inspect(upload)
    assert error.value.code == "too_large"
    assert "the limit is 10 MB" in error.value.message


@pytest.mark.parametrize(
    ("platform", "handle", "expected", "url"),
    [
        (Platform.X, "@DrJane_1", "drjane_1", "https://x.com/drjane_1"),
        (Platform.INSTAGRAM, "dr.jane_", "dr.jane_", "https://www.instagram.com/dr.jane_/"),
        (Platform.TIKTOK, "@DrJane", "drjane", "https://www.tiktok.com/@drjane"),
        (Platform.YOUTUBE, "@DrJaneMD", "drjanemd", "https://www.youtube.com/@drjanemd"),
        (Platform.LINKEDIN, "jane-example-md", "jane-example-md", "https://www.linkedin.com/in/jane-example-md"),
        (Platform.FACEBOOK, "jane.example", "jane.example", "https://www.facebook.com/jane.example"),
        (Platform.THREADS, "@dr.jane", "dr.jane", "https://www.threads.net/@dr.jane"),
        (Platform.BLUESKY, "@DrJane.bsky.social", "drjane.bsky.social", "https://bsky.app/profile/drjane.bsky.social"),
        (Platform.MASTODON, "@dr_jane@Mastodon.Social", "dr_jane@mastodon.social", "https://mastodon.social/@dr_jane"),
        (Platform.REDDIT, "u/Dr_Jane", "dr_jane", "https://www.reddit.com/user/dr_jane"),
        (
            Platform.OTHER,
            "https://drjane.example/podcast",
            "https://drjane.example/podcast",
            "https://drjane.example/podcast",
        ),
    ],
)
def test_it_normalises_handles(platform, handle, expected, url):
    assert social_handle_normalise(platform=platform, handle=handle) == (expected, url)


@pytest.mark.parametrize(
    ("platform", "handle"),
    [
        (Platform.X, "a_handle_that_is_too_long"),
        (Platform.X, "dr-jane"),
        (Platform.INSTAGRAM, "dr jane"),
        (Platform.TIKTOK, "a"),
        (Platform.YOUTUBE, "ab"),
        (Platform.LINKEDIN, "jane_example"),
        (Platform.FACEBOOK, "jane"),
        (Platform.BLUESKY, "drjane"),
        (Platform.MASTODON, "dr_jane"),
        (Platform.MASTODON, "dr_jane@localhost"),
        (Platform.REDDIT, "ab"),
        (Platform.OTHER, "drjane.example"),
        (Platform.OTHER, "javascript:alert(1)"),
    ],
)
def test_it_refuses_malformed_handles(platform, handle):
    with pytest.raises(ValidationError):
        social_handle_normalise(platform=platform, handle=handle)
