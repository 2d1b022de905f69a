"""Milliseconds to make one invoice PDF, against the same words written plainly.

    .venv/bin/python -m bench.invoice_pdf
    .venv/bin/python -m bench.invoice_pdf --count 500 --services 6

An invoice is made on request, so its PDF must take milliseconds. This builds one bill
in memory (a household with ``--services`` services, each with a promotional discount,
an add-on and a partial month, a one-time charge, a credit, taxes and fees, rated by
``billing.rating.rate`` with no database) and times ``billing.documents.invoice_pdf`` on
it, alternating English and Spanish. Twice: as nearly every bill is made (every
character in Windows-1252, so the built-in Helvetica), and for an account holder whose
name needs the embedded font ("Łucja").

The floor is measured in the same run for each: fpdf2 writing the very same words
(every line's text and amount, the group titles, the totals) one plain cell per line,
in the same font, with no rules, shading, wrapping or page furniture. The ratio says
what the layout costs on top of getting those words into a PDF at all. Page and floor
take turns in ROUNDS rounds, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import time
from typing import Any

ROUNDS = 5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200, help="PDFs per round (default 200)")
    parser.add_argument("--services", type=int, default=4, help="services on the bill")
    return parser.parse_args(argv)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropline.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def build(services: int, holder: str) -> tuple[Any, int]:  # Django is set up first
    from dropline.billing.grouping import BillTotals, group_lines
    from dropline.billing.models import Invoice
    from dropline.billing.queries import InvoiceDetail
    from dropline.billing.rating import rate
    from dropline.customers.cycles import Cycle
    from dropline.customers.models import CustomerAccount, ServiceAddress
    from tests.support.histories import (
        add_on,
        adjustment,
        history,
        promotion,
        service,
        tax,
    )

    d = dt.date
    subs = tuple(
        service(
            id=n + 1,
            price=7000 + 500 * n,
            promotion=promotion(price=4500, ends_on=d(2026, 4, 20)),
        )
        for n in range(services)
    )
    extras = tuple(
        add_on(id=n + 1, subscription_id=n + 1, started_on=d(2026, 3, 10)) for n in range(services)
    )
    account_history = history(
        subscriptions=subs,
        add_ons=extras,
        adjustments=(
            adjustment(id=1, amount=4900, occurred_on=d(2026, 3, 12)),
            adjustment(id=2, amount=1000, kind="credit", occurred_on=d(2026, 3, 20)),
        ),
        tax_rates=(
            tax("sales-tax", kind="sales_tax", percent="6", applies_to=("internet", "tv")),
            tax("regulatory", kind="regulatory_recovery", percent="2.5", applies_to=("internet",)),
        ),
    )
    lines = rate(account_history, Cycle(d(2026, 4, 5), d(2026, 5, 4)))
    address = ServiceAddress(line1="418 Willow Bend Road", city="Riverbend", region="IA")
    address.postal_code = "52240"
    account = CustomerAccount(number="826000001234", name=holder)
    account.service_address = address
    total = sum(line.amount_cents for line in lines)
    invoice = Invoice(
        account=account,
        number="INV-00001234",
        sequence=1234,
        period_start=d(2026, 4, 5),
        period_end=d(2026, 5, 4),
        issued_on=d(2026, 4, 5),
        due_on=d(2026, 4, 26),
        total_cents=total,
        previous_balance_cents=0,
        amount_due_cents=total,
        created_at=dt.datetime(2026, 4, 5, 6, tzinfo=dt.UTC),
    )

    def detail(language: str) -> InvoiceDetail:
        return InvoiceDetail(
            invoice=invoice,
            groups=group_lines(lines, language=language),
            totals=BillTotals(0, 0, total, total, invoice.due_on, "USD"),
            replaced_by=None,
        )

    return detail, len(lines)


def floor_pdf(words: list[str], *, embedded: bool) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from dropline.billing.documents import BUILT_IN, FAMILY, FONTS

    pdf = FPDF(unit="pt", format="Letter")
    if embedded:
        pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        pdf.set_font(FAMILY, "", 10)
    else:
        pdf.core_fonts_encoding = "windows-1252"
        pdf.set_font(BUILT_IN, "", 10)
    pdf.add_page()
    for text in words:
        pdf.cell(0, 13, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def measure(args: argparse.Namespace, holder: str, *, embedded: bool) -> None:
    from dropline.billing.documents import invoice_pdf

    detail, line_count = build(args.services, holder)
    documents = {language: detail(language) for language in ("en", "es")}
    words = [
        f"{line.text} {line.amount_cents}"
        for group in documents["en"].groups
        for line in group.lines
    ]
    words += [group.title for group in documents["en"].groups] + [holder] + ["Summary"] * 6
    page_times: list[float] = []
    floor_times: list[float] = []
    size = 0
    for _round in range(ROUNDS):
        started = time.perf_counter()
        for n in range(args.count):
            language = "es" if n % 2 else "en"
            size = len(invoice_pdf(documents[language], language=language))
        page_times.append((time.perf_counter() - started) / args.count)
        started = time.perf_counter()
        for _ in range(args.count):
            floor_pdf(words, embedded=embedded)
        floor_times.append((time.perf_counter() - started) / args.count)
    page = statistics.median(page_times) * 1000
    floor = statistics.median(floor_times) * 1000
    font = "DejaVu Sans embedded" if embedded else "built-in Helvetica"
    print(f"{font}: {line_count} lines, {size:,} bytes")
    print(f"  invoice PDF: {page:.1f} ms each (median of {ROUNDS} rounds of {args.count})")
    print(f"  floor (same words, plain cells, same font): {floor:.1f} ms each")
    print(f"  ratio: {page / floor:.2f}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    setup()
    measure(args, "María Rivera Núñez", embedded=False)
    measure(args, "Łucja Nowak", embedded=True)


if __name__ == "__main__":
    main()
