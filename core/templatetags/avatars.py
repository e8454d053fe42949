"""Initials avatars: a person's initials on a colour chosen from their name, so every clinician has
a face without uploading a photo. `{% load avatars %}{% initials_avatar name %}`."""

import hashlib

from django import template
from django.utils.html import format_html

register = template.Library()

# Titles and credentials that are not initials ("Dr Ada Okafor, MD" is AO).
NOT_NAMES = frozenset({"dr", "dr.", "prof", "prof.", "mr", "mrs", "ms", "mx"})
PALETTE = 6


def initials_of(name: str) -> str:
    words = [word for word in (name or "").split(",")[0].split() if word.lower() not in NOT_NAMES]
    letters = [word[0] for word in words if word[0].isalpha()]
    if not letters:
        return "?"
    return (letters[0] + (letters[-1] if len(letters) > 1 else "")).upper()


@register.simple_tag
def initials_avatar(name: str, size: str = "md") -> str:
    shade = int(hashlib.sha256((name or "").encode()).hexdigest(), 16) % PALETTE
    return format_html(
        '<span class="avatar avatar-{} avatar-shade-{}" aria-hidden="true">{}</span>', size, shade, initials_of(name)
    )
