"""Lesson Markdown to HTML, sanitised by nh3: headings, lists, links, quotes and images with alt text."""

import markdown
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4", "hr", "img",
}  # fmt: skip


@register.filter
def lesson_markdown(text: str) -> SafeString:
    """An admin's lesson text cannot inject script: everything outside the allow-list is removed."""
    html = markdown.markdown(text or "", extensions=["sane_lists"])
    return mark_safe(  # noqa: S308 - nh3 has removed everything outside the allow-list.
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
            url_schemes={"https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )
