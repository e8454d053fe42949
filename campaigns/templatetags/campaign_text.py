"""Template filters for campaign text: sanitised Markdown, and privacy-hit highlighting."""

import markdown
import nh3
from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4", "hr"}


@register.filter
def markdown_safe(text: str) -> SafeString:
    """Markdown to HTML, then sanitised by nh3 so an admin's description cannot inject script."""
    html = markdown.markdown(text or "", extensions=["sane_lists"])
    return mark_safe(  # noqa: S308 - nh3 has removed everything outside the allow-list.
        nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer nofollow")
    )


@register.filter
def highlight_spans(text: str, hits: list[dict]) -> SafeString:
    """The text, escaped, with each privacy hit wrapped in <mark> naming its kind."""
    parts: list[str] = []
    position = 0
    for hit in sorted(hits or [], key=lambda item: item["start"]):
        parts.append(escape(text[position : hit["start"]]))
        label = escape(hit.get("label") or hit["kind"])
        parts.append(
            f'<mark data-kind="{escape(hit["kind"])}" title="{label}">{escape(text[hit["start"] : hit["end"]])}</mark>'
            f'<span class="privacy-kind"> [{label}]</span>'
        )
        position = hit["end"]
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above.
