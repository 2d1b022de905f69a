"""Message templates per event and channel, rendered in the recipient's language.

``templates/notifications/<event>/`` holds ``subject.txt``, ``email.txt``,
``email.html``, ``sms.txt`` and ``in_app.txt``; strings in them are translated.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Rendered:
    subject: str
    email_text: str
    email_html: str
    sms: str
    in_app: str


def _render(event: str, part: str, context: dict[str, Any]) -> str:
    return render_to_string(f"notifications/{event}/{part}", context).strip()


def render(*, event: str, language: str, context: dict[str, Any]) -> Rendered:
    with translation.override(language):
        return Rendered(
            subject=" ".join(_render(event, "subject.txt", context).split()),
            email_text=_render(event, "email.txt", context),
            email_html=_render(event, "email.html", context),
            sms=" ".join(_render(event, "sms.txt", context).split()),
            in_app=" ".join(_render(event, "in_app.txt", context).split()),
        )


# Per-recipient values go into a message rendered once as slots: private-use characters
# that no text contains and HTML escaping leaves alone.
_SLOT = re.compile("\ue000(\\w+)\ue001")


def slot(name: str) -> str:
    return f"\ue000{name}\ue001"


class Stamp:
    """A message rendered once with slots, turned into format strings, to be filled in
    per recipient without rendering again."""

    _PARTS = ("subject", "email_text", "email_html", "sms", "in_app")

    def __init__(self, rendered: Rendered) -> None:
        # Each part as its pieces: text at even places, slot names at odd ones.
        self._pieces: dict[str, list[str]] = {
            part: _SLOT.split(getattr(rendered, part)) for part in self._PARTS
        }
        self._empty: Rendered | None = None

    def filled(self) -> Rendered:
        """The message with no values to fill in, made once."""
        if self._empty is None:
            self._empty = self.fill({})
        return self._empty

    def fill(self, values: dict[str, str]) -> Rendered:
        """The message with ``values`` in place: as they are in the text parts, escaped
        in the HTML."""
        escaped = {name: html.escape(value) for name, value in values.items()}
        parts: dict[str, str] = {}
        for part, pieces in self._pieces.items():
            if len(pieces) == 1:
                parts[part] = pieces[0]
                continue
            given = escaped if part == "email_html" else values
            joined = pieces.copy()
            for i in range(1, len(joined), 2):
                joined[i] = given[joined[i]]
            parts[part] = "".join(joined)
        return Rendered(**parts)


def fill(rendered: Rendered, values: dict[str, str]) -> Rendered:
    """``rendered`` (made with ``slot(name)`` for each of ``values``) with the values in
    place: as they are in the text parts, escaped in the HTML."""
    return Stamp(rendered).fill(values)
