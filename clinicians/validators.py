"""Input rules of the clinicians app: NPI check digits, evidence files, social media handles.

Forms call these to validate and normalise; each rule answers with a message saying which rule failed.
"""

import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from stdnum import luhn

from clinicians.models import Platform

EVIDENCE_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
NPI_LUHN_PREFIX = "80840"
UNSAFE_NAME = re.compile(r"\.\.|[/\\\x00-\x1f]|%2f|%5c|%2e%2e", re.IGNORECASE)


def npi_validate(value: str) -> str:
    """Return the NPI without spaces, or raise naming the rule it breaks (letters, length, check digit)."""
    number = re.sub(r"\s+", "", value or "")
    if not number.isdigit():
        raise ValidationError("An NPI contains digits only; remove letters and symbols.", code="npi_letters")
    if len(number) != 10:
        raise ValidationError(f"An NPI has exactly 10 digits; this one has {len(number)}.", code="npi_length")
    if npi_check_digit(number[:9]) != int(number[9]):
        raise ValidationError(
            "This NPI's check digit is wrong; please check the number for a typing error.", code="npi_check_digit"
        )
    return number


def npi_check_digit(first_nine: str) -> int:
    """The NPI's tenth digit: the Luhn check digit over the card-issuer prefix 80840 and the first nine
    digits (the NPPES rule; the one place it is computed, through ``python-stdnum``'s Luhn)."""
    return int(luhn.calc_check_digit(NPI_LUHN_PREFIX + first_nine))


def npi_with_check_digit(first_nine: int | str) -> str:
    """A valid 10-digit NPI from its first nine digits (seed and demo data)."""
    first_nine = f"{int(first_nine):09d}"
    return f"{first_nine}{npi_check_digit(first_nine)}"


def evidence_inspect(upload) -> str:
    """Return the evidence file's content type, decided by its bytes, or raise why it is refused."""
    name = getattr(upload, "name", "") or ""
    if UNSAFE_NAME.search(name):
        raise ValidationError("The file name may not contain path parts such as '../'; rename the file.", code="name")
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The file is empty.", code="empty")
    limit = settings.CREDENTIAL_EVIDENCE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"The file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB.", code="too_large"
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise ValidationError(
            "Only PDF, PNG or JPEG documents are accepted; this file's content is not one of them.", code="type"
        )
    return kind.mime


@dataclass(frozen=True)
class HandleRule:
    pattern: str
    message: str
    lower: bool
    url: str


DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
HANDLE_RULES: dict[str, HandleRule] = {
    Platform.X: HandleRule(r"[A-Za-z0-9_]{1,15}", "1-15 letters, digits or underscores", True, "https://x.com/{}"),
    Platform.INSTAGRAM: HandleRule(
        r"[a-z0-9._]{1,30}", "1-30 letters, digits, dots or underscores", True, "https://www.instagram.com/{}/"
    ),
    Platform.TIKTOK: HandleRule(
        r"[a-z0-9._]{2,24}", "2-24 letters, digits, dots or underscores", True, "https://www.tiktok.com/@{}"
    ),
    Platform.YOUTUBE: HandleRule(
        r"[a-z0-9._-]{3,30}",
        "an @handle of 3-30 letters, digits, dots, dashes or underscores",
        True,
        "https://www.youtube.com/@{}",
    ),
    Platform.LINKEDIN: HandleRule(
        r"[a-z0-9-]{3,100}",
        "the public profile name: 3-100 letters, digits or dashes",
        True,
        "https://www.linkedin.com/in/{}",
    ),
    Platform.FACEBOOK: HandleRule(
        r"[a-z0-9.]{5,50}", "5-50 letters, digits or dots", True, "https://www.facebook.com/{}"
    ),
    Platform.THREADS: HandleRule(
        r"[a-z0-9._]{1,30}", "1-30 letters, digits, dots or underscores", True, "https://www.threads.net/@{}"
    ),
    Platform.BLUESKY: HandleRule(
        DOMAIN, "a domain handle such as name.bsky.social", True, "https://bsky.app/profile/{}"
    ),
    Platform.MASTODON: HandleRule(
        r"[a-z0-9_]{1,30}@" + DOMAIN, "user@server, for example dr_jane@mastodon.social", True, ""
    ),
    Platform.REDDIT: HandleRule(
        r"[a-z0-9_-]{3,20}", "3-20 letters, digits, dashes or underscores", True, "https://www.reddit.com/user/{}"
    ),
}


def social_handle_normalise(*, platform: str, handle: str) -> tuple[str, str]:
    """Return (normalised handle, profile URL) for the platform, or raise saying what a handle looks like."""
    value = (handle or "").strip()
    if platform == Platform.OTHER:
        URLValidator(schemes=["http", "https"], message="Enter the full web address, starting with https://.")(value)
        return value, value
    rule = HANDLE_RULES.get(platform)
    if rule is None:
        raise ValidationError("Choose a platform from the list.", code="platform")
    if platform == Platform.REDDIT:
        value = re.sub(r"^/?u/", "", value, flags=re.IGNORECASE)
    value = value.removeprefix("@")
    if rule.lower:
        value = value.lower()
    if not re.fullmatch(rule.pattern, value):
        label = Platform(platform).label
        raise ValidationError(f"A {label} handle is {rule.message}.", code="handle")
    if platform == Platform.MASTODON:
        user, server = value.split("@", 1)
        return value, f"https://{server}/@{user}"
    return value, rule.url.format(value)
