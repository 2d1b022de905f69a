"""Message templates per event and channel, rendered in the recipient's language.

``templates/notifications/<event>/`` holds ``subject.txt``, ``email.txt``,
``email.html``, ``sms.txt`` and ``in_app.txt``; strings in them are translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape


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
    """A message rendered once with slots, split where its slots are, to be filled in
    per recipient without rendering again."""

    _PARTS = ("subject", "email_text", "email_html", "sms", "in_app")

    def __init__(self, rendered: Rendered) -> None:
        self._pieces = {part: _SLOT.split(getattr(rendered, part)) for part in self._PARTS}

    def fill(self, values: dict[str, str]) -> Rendered:
        """The message with ``values`` in place: as they are in the text parts, escaped
        in the HTML."""
        escaped: dict[str, str] = {}

        def join(pieces: list[str], html: bool) -> str:
            if len(pieces) == 1:
                return pieces[0]
            out = []
            for i, piece in enumerate(pieces):
                if i % 2 == 0:
                    out.append(piece)
                elif html:
                    if piece not in escaped:
                        escaped[piece] = escape(values[piece])
                    out.append(escaped[piece])
                else:
                    out.append(values[piece])
            return "".join(out)

        return Rendered(
            **{part: join(self._pieces[part], part == "email_html") for part in self._PARTS}
        )


def fill(rendered: Rendered, values: dict[str, str]) -> Rendered:
    """``rendered`` (made with ``slot(name)`` for each of ``values``) with the values in
    place: as they are in the text parts, escaped in the HTML."""
    return Stamp(rendered).fill(values)
