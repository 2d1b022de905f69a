"""Helpers shared by several back-office features: the size of long lists' pages
(``dropline.core.pagination.numbered_page``), the Content-Security-Policy for
pages that show rendered email HTML, and the forms' base (``StaffForm``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpResponse

from dropline.core.money import Money
from dropline.core.security import CONTENT_SECURITY_POLICY

PAGE_SIZE = 50
# Pages past this are refused: narrow the filters instead. Keeps every page's
# OFFSET small and every list free of a COUNT over a whole table.
MAX_PAGES = 100


def _rendered_html_policy() -> str:
    """The site's Content-Security-Policy, adjusted for pages that show rendered
    email HTML in a sandboxed ``srcdoc`` frame, which inherits the page's policy:
    the email's inline styles may apply, and there is no ``frame-ancestors`` (the
    frame would inherit it and refuse to show; X-Frame-Options still keeps the
    page itself out of other sites' frames). Scripts, other origins and remote
    images stay blocked, for the page and the frame alike."""
    directives = []
    for directive in CONTENT_SECURITY_POLICY.split(";"):
        name = directive.split()[0]
        if name == "frame-ancestors":
            continue
        directives.append("style-src 'self' 'unsafe-inline'" if name == "style-src" else directive)
    return "; ".join(d.strip() for d in directives)


RENDERED_HTML_POLICY = _rendered_html_policy()


def with_rendered_html_policy(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = RENDERED_HTML_POLICY
    return response


class StaffForm(forms.Form):
    """A back-office form: labels without a colon after them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class ShownEntry:
    """A ledger entry as staff read it: the book, its sub-account in words, and the
    amount in the debit or the credit column."""

    book: str
    sub: str
    debit: Money | None
    credit: Money | None

    @classmethod
    def of(cls, *, book: str, sub: str, cents: int, currency: str) -> ShownEntry:
        amount = Money(abs(cents), currency)
        return cls(
            book=book,
            sub=sub,
            debit=amount if cents > 0 else None,
            credit=amount if cents < 0 else None,
        )
