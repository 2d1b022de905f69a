"""A bill's lines in plain words, in English or Spanish, with their dates.

Lines are stored language-neutral (a label in each language, dates, an amount);
the words around them are composed here, when the line is shown.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dropline.billing.models import ChargeCategory, LineKind
from dropline.core.formatting import display_date
from dropline.core.money import Money


class LineLike(Protocol):
    """What a ``RatedLine`` and an ``InvoiceLine`` have in common."""

    @property
    def kind(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def item_key(self) -> str: ...
    @property
    def group_key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def label_es(self) -> str: ...
    @property
    def period_start(self) -> dt.date | None: ...
    @property
    def period_end(self) -> dt.date | None: ...
    @property
    def quantity(self) -> int: ...
    @property
    def amount_cents(self) -> int: ...
    @property
    def percent(self) -> Decimal | None: ...


def is_bundle(line: LineLike) -> bool:
    """Whether the line is a bundle's discount (or its true-up)."""
    return line.item_key.startswith("bundle:")


def is_account_discount(line: LineLike) -> bool:
    """Whether the line is an account discount (autopay and paperless) or its true-up."""
    return line.item_key.startswith("account-discount:")


def label_in(line: LineLike, language: str) -> str:
    """The line's label in ``language`` (Spanish falls back to English when blank)."""
    return (line.label_es or line.label) if language == "es" else line.label


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """The two dates joined by an en dash; one date when both are the same day. Call it
    with the language active."""
    if start is None or end is None:
        return display_date(start or end)
    if start == end:
        return display_date(start)
    return _("%(start)s \u2013 %(end)s") % {"start": display_date(start), "end": display_date(end)}


def percent_text(percent: Decimal) -> str:
    """``6%``, ``2.5%`` (``6 %``, ``2,5 %`` in Spanish): no trailing zeros."""
    text = format(percent.normalize(), "f")
    if (translation.get_language() or "").startswith("es"):
        return text.replace(".", ",") + " %"
    return text + "%"


def signed(amount_cents: int, currency: str = "USD") -> str:
    """``+$4.17``, ``-$14.19``, ``$0.00``."""
    text = Money(amount_cents, currency).format()
    return f"+{text}" if amount_cents > 0 else text


def describe_line(line: LineLike, language: str) -> str:
    """The line in plain words: what it is for and the days it covers."""
    with translation.override(language):
        return _describe(line, language)


def _describe(line: LineLike, language: str) -> str:
    label = label_in(line, language)
    days = date_range(line.period_start, line.period_end)
    if line.kind == LineKind.RECURRING:
        return _("%(item)s, %(dates)s") % {"item": label, "dates": days}
    if is_account_discount(line) and line.kind in (LineKind.DISCOUNT, LineKind.PRORATION):
        if line.kind == LineKind.PRORATION and line.amount_cents > 0:
            return _("%(discount)s, days it no longer applies, %(dates)s") % {
                "discount": label,
                "dates": days,
            }
        return _("%(discount)s, %(dates)s") % {"discount": label, "dates": days}
    if line.kind == LineKind.DISCOUNT and is_bundle(line):
        return _("Bundle discount (%(bundle)s), %(dates)s") % {"bundle": label, "dates": days}
    if line.kind == LineKind.DISCOUNT:
        return _("Promotional discount (%(promotion)s), %(dates)s") % {
            "promotion": label,
            "dates": days,
        }
    if line.kind == LineKind.PRORATION and is_bundle(line):
        if line.amount_cents > 0:
            return _("Bundle discount (%(bundle)s), days it no longer applies, %(dates)s") % {
                "bundle": label,
                "dates": days,
            }
        return _("Bundle discount (%(bundle)s), more days, %(dates)s") % {
            "bundle": label,
            "dates": days,
        }
    if line.kind == LineKind.PRORATION:
        if line.amount_cents < 0:
            return _("%(item)s, credit for the days not used, %(dates)s") % {
                "item": label,
                "dates": days,
            }
        return _("%(item)s, partial month %(dates)s") % {"item": label, "dates": days}
    if line.kind == LineKind.ONE_TIME:
        return _("One-time charge: %(item)s, %(date)s") % {"item": label, "date": days}
    if line.kind == LineKind.CREDIT:
        return _("Credit: %(item)s, %(date)s") % {"item": label, "date": days}
    if line.kind == LineKind.USAGE:  # the words of the data billed are in the label
        return _("%(usage)s, %(dates)s") % {"usage": label, "dates": days}
    if line.kind == LineKind.TAX:
        if line.percent is not None:
            return _("%(tax)s (%(percent)s)") % {
                "tax": label,
                "percent": percent_text(line.percent),
            }
        if line.category == ChargeCategory.MOBILE:  # a fee per mobile line
            return ngettext(
                "%(tax)s, %(count)d mobile line",
                "%(tax)s, %(count)d mobile lines",
                line.quantity,
            ) % {"tax": label, "count": line.quantity}
        if line.category == ChargeCategory.PHONE:  # a fee per home phone line
            return ngettext(
                "%(tax)s, %(count)d home phone line",
                "%(tax)s, %(count)d home phone lines",
                line.quantity,
            ) % {"tax": label, "count": line.quantity}
        if line.quantity > 1:  # a fee per line, of mobile and home phone lines
            return ngettext(
                "%(tax)s, %(count)d line", "%(tax)s, %(count)d lines", line.quantity
            ) % {"tax": label, "count": line.quantity}
        return label
    return label
