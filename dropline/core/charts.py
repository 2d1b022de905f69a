"""What every server-drawn chart shares: pygal's style in the site's colours and type,
and naming the picture for assistive technology.

Charts are drawn with pygal without its tooltip script (``js=[]``); ``titled`` takes
out the script and comments pygal still writes and puts ``role="img"``, ``<title>`` and
``<desc>`` first, which is what screen readers read. Pages show the same figures in a
table beside each chart.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from pygal.style import Style

_BASE: dict[str, Any] = {
    "background": "transparent",
    "plot_background": "transparent",
    "foreground": "#1b2430",
    "foreground_strong": "#1b2430",
    "foreground_subtle": "#d5dbe3",
    "colors": ("#0b5cad",),
    "font_family": 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    "label_font_size": 15,
    "major_label_font_size": 15,
    "title_font_size": 16,
    "guide_stroke_color": "#d5dbe3",
    "major_guide_stroke_color": "#d5dbe3",
    "guide_stroke_dasharray": "0",
    "major_guide_stroke_dasharray": "0",
}


def style(**overrides: Any) -> Style:
    """The site's chart style, with ``overrides`` (any of pygal's ``Style`` options)."""
    return Style(**{**_BASE, **overrides})


_ROOT = re.compile(r"<svg\b([^>]*)>")
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)
# pygal writes its configuration into a script for its tooltips even without them.
_SCRIPTS = re.compile(r"<script\b.*?</script>", re.DOTALL)


def titled(svg: str, title: str, desc: str, ident: str) -> str:
    """``svg`` named: ``role="img"`` labelled by ``<title id="{ident}-title">`` and
    ``<desc id="{ident}-desc">`` as its first children; no script or comment left."""
    svg = _SCRIPTS.sub("", _COMMENTS.sub("", svg))
    match = _ROOT.search(svg)
    if match is None:  # pragma: no cover - pygal always draws an svg root
        return svg
    head = (
        f'<svg{match.group(1)} role="img" aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )
    return svg[: match.start()] + head + svg[match.end() :]
