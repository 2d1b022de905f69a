"""Markdown to safe HTML, the one way every help page, preview and API answer shows an
article.

Python-Markdown turns the text into HTML with its raw-HTML handling removed (a ``<tag>``
in the text stays text), then ``nh3`` keeps only an allow-list of tags and attributes.
Links may go to ``http(s)`` addresses or relative paths on the site (``/billing/``,
``#part``); anything else (``javascript:``, ``data:``, ``//elsewhere``) loses its
address. An ``# h1`` in the text becomes an ``h2`` (the page's title is the one ``h1``).
"""

from __future__ import annotations

import html
import re

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "code",
        "pre",
        "blockquote",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}
# Tags whose content goes too, not only the tag.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_HEADING = re.compile(r"<(/?)h([1-6])>")


def safe_href(value: str) -> bool:
    """Whether a link address may stay: http(s), or a path on this site."""
    address = value.strip()
    if address.lower().startswith(("http://", "https://")):
        return True
    if address.startswith("//") or address.startswith("\\"):
        return False
    return not _SCHEME.match(address)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if safe_href(value) else None
    return value


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    # No raw HTML: a block or inline tag in the text is shown as text.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def _demote(match: re.Match[str]) -> str:
    level = min(max(int(match.group(2)), 2), 4)
    return f"<{match.group(1)}h{level}>"


def render(text: str) -> str:
    """The article's Markdown as HTML safe to put in a page as it is."""
    produced = _converter().convert(text)
    produced = _HEADING.sub(_demote, produced)
    return nh3.clean(
        produced,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )


def plain_text(text: str) -> str:
    """The article's words without markup, as search reads them."""
    stripped = nh3.clean(render(text), tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
    return " ".join(html.unescape(stripped).split())
