"""Message templates per event and channel, rendered in the recipient's language.

``templates/notifications/<event>/`` holds ``subject.txt``, ``email.txt``,
``email.html``, ``sms.txt`` and ``in_app.txt``; strings in them are translated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from dropline.notifications.categories import Channel


@dataclass(frozen=True)
class Rendered:
    subject: str
    email_text: str
    email_html: str
    sms: str
    in_app: str


def _render(event: str, part: str, context: dict[str, Any]) -> str:
    return render_to_string(f"notifications/{event}/{part}", context).strip()


def render(
    *, event: str, language: str, context: dict[str, Any], channels: Iterable[str] | None = None
) -> Rendered:
    """Every part of ``event``'s message; with ``channels``, only the subject and the
    parts those channels send (the others are left empty), for bulk paths."""
    wanted = set(Channel.values if channels is None else channels)
    with translation.override(language):
        return Rendered(
            subject=" ".join(_render(event, "subject.txt", context).split()),
            email_text=_render(event, "email.txt", context) if Channel.EMAIL in wanted else "",
            email_html=_render(event, "email.html", context) if Channel.EMAIL in wanted else "",
            sms=" ".join(_render(event, "sms.txt", context).split())
            if Channel.SMS in wanted
            else "",
            in_app=(
                " ".join(_render(event, "in_app.txt", context).split())
                if Channel.IN_APP in wanted
                else ""
            ),
        )
