"""Rich text: a task's notes (and any later description or comment) as safe HTML.

Two steps, each enough on its own for today's inputs, together so that a mistake in either
does not become a stored XSS (SECURITY.md: Redmine, OpenProject and Taiga all shipped one in
their markdown):
1. markdown-it-py's `js-default` preset: raw HTML is off (it comes out as text), and its
   link check already refuses `javascript:`, `vbscript:`, `file:` and most `data:` URLs;
2. nh3 (ammonia) with a short allow-list of tags, no attributes but a link's `href`/`title`
   and a list's `start`, and only http, https and mailto as URL schemes. Images are dropped:
   an image is a tracking pixel or a `data:` URL, and the CSP would block outside ones anyway.

Pure: no I/O, so the web pages and any export that renders HTML call the same function.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# Notes come from the API and imports capped at 20,000 characters; this bound is for a
# caller that forgets, so rendering stays linear and cheap.
MAX_SOURCE = 100_000

TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
})  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_md = MarkdownIt("js-default")


def render_markdown(source: str) -> str:
    """Safe HTML for `source` (markdown); the empty string for blank input."""
    if not source.strip():
        return ""
    return clean_html(_md.render(source[:MAX_SOURCE]))


def clean_html(html: str) -> str:
    """The allow-list step alone: what survives of any HTML, whoever produced it."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
