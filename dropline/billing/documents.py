"""Bills and statements as files: an invoice as a PDF, the ledger statement as a PDF
or a CSV.

Made on request with fpdf2 (pure Python) from the same grouping the invoice page
shows (``grouping.group_lines``), so the words and every total are the page's; the
text is real text (a PDF reader can search and copy it, ``pdftotext`` extracts it).

Language: a document is in the language of the person reading it, the language the
page it was downloaded from is in (the active language), so the PDF says what the
page said. The invoice's own ``language`` is the one it was announced in by email;
someone reading the account in the other language gets the PDF in theirs.

Fonts: a document whose every character is in Windows-1252 (English and Spanish,
accents, the en dash: nearly every bill) is set in Helvetica, a font every PDF reader
has, so nothing is embedded and it is made in a few milliseconds. One with any other
character (a name in Polish or Vietnamese) is made again in DejaVu Sans, embedded and
subset, which prints the Latin scripts as written (``billing/fonts``, subset with
fontTools, Bitstream Vera license in its ``LICENSE.txt``); that takes some tens of
milliseconds. ``bench/invoice_pdf.py`` measures both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.errors import FPDFUnicodeEncodingException

from dropline.billing.grouping import BillTotals, LineGroup
from dropline.billing.models import Invoice, InvoiceStatus
from dropline.billing.queries import InvoiceDetail, Statement
from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.core.support import support_contact
from dropline.customers.models import CustomerAccount
from dropline.ledger.models import TransactionKind
from dropline.ledger.queries import StatementRow

# fontTools reports every font it subsets at INFO; a bill is not news.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
BUILT_IN = "helvetica"
INK = (27, 36, 48)
MUTED = (79, 91, 105)
LINE = (213, 219, 227)
AMOUNT_WIDTH = 150  # points: "May 26, 2026" or "26 de mayo de 2026" on one line


def _money(cents: int, currency: str) -> str:
    return Money(cents, currency).format()


def invoice_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def statement_filename(statement: Statement, extension: str) -> str:
    return f"statement-{statement.account.number}-{statement.until.isoformat()}.{extension}"


class _Document(FPDF):
    """A US Letter page in points, the provider's name on top; Helvetica, or DejaVu Sans
    embedded when ``embedded``."""

    def __init__(self, *, title: str, language: str, created: dt.datetime, embedded: bool) -> None:
        super().__init__(orientation="portrait", unit="pt", format="Letter")
        if embedded:
            self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
            self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
            self.family_name = FAMILY
        else:
            self.core_fonts_encoding = "windows-1252"
            self.family_name = BUILT_IN
        self.set_margins(48, 48, 48)
        self.set_auto_page_break(auto=True, margin=56)
        self.set_title(title)
        self.set_author(settings.DROPLINE_PROVIDER_NAME)
        self.set_creator("Dropline")
        self.set_lang(language)
        self.set_creation_date(created)  # the same bill gives the same bytes
        self.footer_text = ""
        self.add_page()

    def footer(self) -> None:
        self.set_y(-40)
        self.font(8, muted=True)
        page = _("Page %(page)d") % {"page": self.page_no()}
        self.cell(0, 12, f"{self.footer_text}   {page}".strip(), align="C")

    def font(self, size: float, *, bold: bool = False, muted: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.set_text_color(*(MUTED if muted else INK))

    def line_of_text(
        self, text: str, *, size: float = 10, bold: bool = False, muted: bool = False
    ) -> None:
        self.font(size, bold=bold, muted=muted)
        self.text_block(self.epw, size * 1.35, text)
        self.set_x(self.l_margin)

    def text_block(self, width: float, height: float, text: str) -> None:
        """``text`` from here, wrapped to ``width``, ending on the next line. A line that
        fits is one plain cell: fpdf2's line breaking is the slow part of a page."""
        if "\n" in text or self.get_string_width(text) > width:
            self.multi_cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            self.cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def gap(self, points: float = 8) -> None:
        self.ln(points)

    def provider_block(self) -> None:
        support = support_contact()
        self.line_of_text(settings.DROPLINE_PROVIDER_NAME, size=16, bold=True)
        for part in (support.address, support.phone_display, support.help_url):
            if part:
                self.line_of_text(part, size=9, muted=True)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label and value side by side, one pair a row."""
        for label, value in rows:
            self.font(9, muted=True)
            self.cell(130, 13, label)
            self.font(10)
            self.text_block(self.epw - 130, 13, value)

    def amounts_table(
        self,
        rows: Sequence[tuple[str, str]],
        *,
        heading: tuple[str, str] | None = None,
        strong: Collection[str] = (),
    ) -> None:
        """Rows of words and an amount at the right, a rule under each; the words wrap,
        a row never splits across pages. Plain cells: fpdf2's tables lay every cell out
        twice, several times slower for the same page."""
        if heading is not None:
            self._amount_row(*heading, bold=True, shade=True)
        for text, amount in rows:
            self._amount_row(text, amount, bold=text in strong)
        self.ln(2)

    def _amount_row(self, text: str, amount: str, *, bold: bool, shade: bool = False) -> None:
        width = self.epw - AMOUNT_WIDTH
        self.font(9.5, bold=bold)
        lines = 1
        wraps = "\n" in text or self.get_string_width(text) > width - 6
        if wraps:
            wrapped = self.multi_cell(width - 6, 13, text, dry_run=True, output="LINES")
            lines = len(wrapped) if isinstance(wrapped, list) else 1
        height = lines * 13 + 6
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        top = self.get_y()
        if shade:
            self.set_fill_color(238, 241, 245)
            self.rect(self.l_margin, top, self.epw, height, style="F")
        self.set_xy(self.l_margin + 3, top + 3)
        if wraps:
            self.multi_cell(width - 6, 13, text)
        else:
            self.cell(width - 6, 13, text)
        self.set_xy(self.l_margin + width, top + 3)
        self.cell(AMOUNT_WIDTH - 3, 13, amount, align="R")
        self.set_draw_color(*LINE)
        self.line(self.l_margin, top + height, self.l_margin + self.epw, top + height)
        self.set_xy(self.l_margin, top + height)


def _totals_rows(totals: BillTotals) -> list[tuple[str, str]]:
    currency = totals.currency
    return [
        (_("Previous balance"), _money(totals.previous_balance_cents, currency)),
        (_("Payments"), _money(totals.payments_cents, currency)),
        (_("New charges"), _money(totals.new_charges_cents, currency)),
        (_("Amount due"), _money(totals.amount_due_cents, currency)),
        (_("Due date"), display_date(totals.due_on)),
    ]


def _group_rows(group: LineGroup, currency: str) -> list[tuple[str, str]]:
    rows = [(line.text, _money(line.amount_cents, currency)) for line in group.lines]
    rows.append((_("Subtotal"), _money(group.subtotal_cents, currency)))
    return rows


def _account_facts(account: CustomerAccount) -> list[tuple[str, str]]:
    return [
        (_("Account number"), account.display_number),
        (_("Account name"), account.name),
        (_("Service address"), "\n".join(account.service_address.lines())),
    ]


def invoice_pdf(detail: InvoiceDetail, *, language: str) -> bytes:
    """The invoice as a PDF, in ``language``: the provider, the account, the lines
    grouped by service with their subtotals, and what is due by when."""
    with translation.override(language):
        try:
            return _invoice_pdf(detail, language, embedded=False)
        except FPDFUnicodeEncodingException:
            return _invoice_pdf(detail, language, embedded=True)


def _invoice_pdf(detail: InvoiceDetail, language: str, *, embedded: bool) -> bytes:
    invoice = detail.invoice
    totals = detail.totals
    currency = invoice.currency
    title = _("Invoice %(number)s") % {"number": invoice.number}
    pdf = _Document(title=title, language=language, created=invoice.created_at, embedded=embedded)
    pdf.footer_text = title
    pdf.provider_block()
    pdf.gap(14)
    heading = title
    if invoice.status == InvoiceStatus.VOID:
        heading = _("Invoice %(number)s (void)") % {"number": invoice.number}
    pdf.line_of_text(heading, size=14, bold=True)
    pdf.gap(4)
    pdf.facts(
        [
            *_account_facts(invoice.account),
            (_("Bill date"), display_date(invoice.issued_on)),
            (
                _("Bill cycle"),
                _("%(start)s to %(end)s")
                % {
                    "start": display_date(invoice.period_start),
                    "end": display_date(invoice.period_end),
                },
            ),
        ]
    )
    pdf.gap(10)
    pdf.line_of_text(
        _("Amount due %(amount)s by %(date)s")
        % {
            "amount": _money(totals.amount_due_cents, currency),
            "date": display_date(totals.due_on),
        },
        size=13,
        bold=True,
    )
    for group in detail.groups:
        pdf.gap(12)
        pdf.line_of_text(group.title, size=11, bold=True)
        if group.detail:
            pdf.line_of_text(group.detail, size=9, muted=True)
        pdf.amounts_table(_group_rows(group, currency), strong={_("Subtotal")})
    pdf.gap(14)
    pdf.line_of_text(_("Summary"), size=11, bold=True)
    pdf.amounts_table(_totals_rows(totals), strong={_("Amount due")})
    pdf.gap(14)
    support = support_contact(language)
    if support.phone_display:
        pdf.line_of_text(
            _("Questions about your bill? Call us at %(phone)s.")
            % {"phone": support.phone_display},
            size=9,
            muted=True,
        )
    return bytes(pdf.output())


def statement_text(row: StatementRow) -> str:
    """A statement row in words: "Invoice INV-00000012", "Credit note INV-00000012"."""
    kind = TransactionKind(row.kind).label if row.kind in TransactionKind.values else row.kind
    return f"{kind} {row.reference}".strip()


def statement_pdf(statement: Statement, *, language: str) -> bytes:
    """The account's statement: the balance brought forward, every movement with the
    running balance, and the closing balance."""
    with translation.override(language):
        try:
            return _statement_pdf(statement, language, embedded=False)
        except FPDFUnicodeEncodingException:
            return _statement_pdf(statement, language, embedded=True)


def _statement_pdf(statement: Statement, language: str, *, embedded: bool) -> bytes:
    currency = statement.account.currency
    title = _("Account statement")
    pdf = _Document(title=title, language=language, created=clock.now(), embedded=embedded)
    pdf.footer_text = title
    pdf.provider_block()
    pdf.gap(14)
    pdf.line_of_text(title, size=14, bold=True)
    pdf.facts(
        [
            *_account_facts(statement.account),
            (
                _("Period"),
                _("%(start)s to %(end)s")
                % {
                    "start": display_date(statement.since),
                    "end": display_date(statement.until),
                },
            ),
        ]
    )
    pdf.gap(10)
    rows = [(_("Balance brought forward"), _money(statement.opening_cents, currency))]
    for row in statement.rows:
        text = f"{display_date(row.effective_on)}  {statement_text(row)}"
        amount = _money(row.amount_cents, currency)
        balance = _money(row.balance_cents, currency)
        rows.append((f"{text}: {amount}", balance))
    rows.append((_("Closing balance"), _money(statement.closing_cents, currency)))
    pdf.amounts_table(
        rows, heading=(_("Date and item"), _("Balance")), strong={_("Closing balance")}
    )
    return bytes(pdf.output())


def statement_csv(statement: Statement, *, language: str) -> str:
    """The statement as CSV: one row per movement, amounts in major units with a
    point (``-12.50``) so spreadsheets read them as numbers."""
    currency = statement.account.currency
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    with translation.override(language):
        writer.writerow(
            [_("Date"), _("Item"), _("Reference"), _("Amount"), _("Balance"), _("Currency")]
        )
        opening = Money(statement.opening_cents, currency).to_decimal()
        writer.writerow(
            [statement.since.isoformat(), _("Balance brought forward"), "", "", opening, currency]
        )
        for row in statement.rows:
            writer.writerow(
                [
                    row.effective_on.isoformat(),
                    statement_text(row),
                    row.reference,
                    Money(row.amount_cents, currency).to_decimal(),
                    Money(row.balance_cents, currency).to_decimal(),
                    currency,
                ]
            )
    return out.getvalue()


@dataclass(frozen=True)
class StatementFile:
    """The statement as a file to download: its bytes (or text), type and name."""

    body: bytes | str
    content_type: str
    filename: str


def statement_file(
    statement: Statement, *, kind: Literal["csv", "pdf"], language: str
) -> StatementFile:
    """The statement as the CSV or the PDF the statement page (and the API) downloads."""
    if kind == "csv":
        return StatementFile(
            body=statement_csv(statement, language=language),
            content_type="text/csv; charset=utf-8",
            filename=statement_filename(statement, "csv"),
        )
    return StatementFile(
        body=statement_pdf(statement, language=language),
        content_type="application/pdf",
        filename=statement_filename(statement, "pdf"),
    )
