"""An invoice's lines as a customer reads them: grouped by service, each line named.

Pure: it takes lines (stored ``InvoiceLine``s, or the ``RatedLine``s of a forecast)
and words them with ``describe.describe_line``. A service's group holds its monthly
fee, its promotional discount (whose words say when it ends), its add-ons and the
equipment rented for it, and the partial months that true them up. Charges of the
account as a whole follow: equipment not tied to a service, one-time charges, credits,
then taxes and fees, each named. The groups' subtotals add up to the invoice's new
charges, line for line; the page, the PDF and the API all show this one grouping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from dropline.billing.describe import (
    LineLike,
    describe_line,
    is_account_discount,
    is_bundle,
    label_in,
)
from dropline.billing.models import ChargeCategory, LineKind

ACCOUNT_GROUP = "account"
TAXES_GROUP = "taxes"

# What a line is, as the customer says it: the role shown beside its words.
ROLES = (
    "service",
    "discount",
    "bundle",
    "account_discount",
    "add_on",
    "equipment",
    "proration",
    "one_time",
    "credit",
    "tax",
)


@dataclass(frozen=True)
class ServiceNote:
    """What tells two services of the same plan apart: the name the customer gave a
    line ("Maria") and its phone number, already formatted."""

    label: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DisplayLine:
    role: str
    role_label: str
    text: str
    amount_cents: int
    period_start: dt.date | None
    period_end: dt.date | None
    quantity: int
    kind: str
    item_key: str
    line_id: int | None = None  # the stored line's id (a forecast's lines have none)


@dataclass
class LineGroup:
    key: str  # ``sub:<id>``, ``account`` or ``taxes``
    title: str
    detail: str = ""  # the service's own name and number, when it has them
    lines: list[DisplayLine] = field(default_factory=list)

    @property
    def subtotal_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def role_of(line: LineLike) -> str:
    """Which of ``ROLES`` a line plays."""
    if line.kind == LineKind.TAX:
        return "tax"
    if is_bundle(line):
        return "bundle"
    if is_account_discount(line):
        return "account_discount"
    if line.kind == LineKind.DISCOUNT:
        return "discount"
    if line.kind == LineKind.PRORATION:
        return "proration"
    if line.kind == LineKind.ONE_TIME:
        return "one_time"
    if line.kind == LineKind.CREDIT:
        return "credit"
    if line.item_key.startswith("addon:"):
        return "add_on"
    if line.item_key.startswith("equip:"):
        return "equipment"
    return "service"


def role_label(role: str) -> str:
    """The role in words, in the active language."""
    labels = {
        "service": _("Monthly charge"),
        "discount": _("Promotional discount"),
        "bundle": _("Bundle discount"),
        "account_discount": _("Autopay discount"),
        "add_on": _("Add-on"),
        "equipment": _("Equipment rental"),
        "proration": _("Partial month"),
        "one_time": _("One-time charge"),
        "credit": _("Credit"),
        "tax": _("Tax or fee"),
    }
    return str(labels[role])


def _service_title(lines: Sequence[LineLike], language: str) -> str:
    """The service's name from its own line; a group without one is named by its kind."""
    for line in lines:
        if line.item_key == line.group_key:
            return label_in(line, language)
    category = lines[0].category if lines else ChargeCategory.OTHER
    return str(ChargeCategory(category).label) if category in ChargeCategory.values else ""


def group_lines(
    lines: Sequence[LineLike],
    *,
    language: str,
    services: dict[str, ServiceNote] | None = None,
) -> list[LineGroup]:
    """The lines in groups, in the order they are stored: each service, then the
    account's own charges and credits, then taxes and fees. Empty groups are left out."""
    with translation.override(language):
        return _group(lines, language, services or {})


def _group(
    lines: Sequence[LineLike], language: str, services: dict[str, ServiceNote]
) -> list[LineGroup]:
    by_service: dict[str, list[LineLike]] = {}
    account: list[LineLike] = []
    taxes: list[LineLike] = []
    for line in lines:
        if line.kind == LineKind.TAX:
            taxes.append(line)
        elif line.group_key == ACCOUNT_GROUP or not line.group_key:
            account.append(line)
        else:
            by_service.setdefault(line.group_key, []).append(line)
    groups: list[LineGroup] = []
    for key, members in by_service.items():
        note = services.get(key, ServiceNote())
        detail = " · ".join(part for part in (note.label, note.phone) if part)
        groups.append(
            LineGroup(
                key=key,
                title=_service_title(members, language),
                detail=detail,
                lines=[_display(line, language) for line in members],
            )
        )
    if account:
        groups.append(
            LineGroup(
                key=ACCOUNT_GROUP,
                title=str(_("Account charges and credits")),
                lines=[_display(line, language) for line in account],
            )
        )
    if taxes:
        groups.append(
            LineGroup(
                key=TAXES_GROUP,
                title=str(_("Taxes and fees")),
                lines=[_display(line, language) for line in taxes],
            )
        )
    return groups


def _display(line: LineLike, language: str) -> DisplayLine:
    role = role_of(line)
    return DisplayLine(
        role=role,
        role_label=role_label(role),
        text=describe_line(line, language),
        amount_cents=line.amount_cents,
        period_start=line.period_start,
        period_end=line.period_end,
        quantity=line.quantity,
        kind=line.kind,
        item_key=line.item_key,
        line_id=getattr(line, "pk", None),
    )


@dataclass(frozen=True)
class BillTotals:
    """The bottom of a bill: what was owed before it, payments since, its new charges,
    and what is now due by when. ``previous_balance + payments + new_charges`` is
    ``amount_due``; payments are negative amounts (none are taken yet)."""

    previous_balance_cents: int
    payments_cents: int
    new_charges_cents: int
    amount_due_cents: int
    due_on: dt.date
    currency: str
