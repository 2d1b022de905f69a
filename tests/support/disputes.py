"""Disputes for tests: a billed household, files of each kind (real ones made here, and
impostors), and a dispute opened through the product's own write."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dropline.billing.models import Invoice, InvoiceLine
from dropline.core import clock
from dropline.payments.disputes.attachments import MAX_FILE_BYTES
from dropline.payments.disputes.models import Dispute, DisputeReason
from dropline.payments.disputes.opening import open_dispute
from tests.support.billing import at
from tests.support.bills import Household, billed_customer

# The billed household's bills are from Jan 5, 2026; the tests live a little after.
TODAY = dt.date(2026, 3, 20)


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(out, format="JPEG")
    return out.getvalue()


def pdf_bytes(total: int = 400) -> bytes:
    """A PDF-shaped file of exactly ``total`` bytes: the header, padding, ``%%EOF``."""
    head = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    tail = b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return head + b"%" * (total - len(head) - len(tail)) + tail


def upload(
    name: str, data: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def a_pdf(name: str = "bill-photo.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(), "application/pdf")


def a_png(name: str = "screenshot.png") -> SimpleUploadedFile:
    return upload(name, png_bytes(), "image/png")


def ten_megabyte_pdf() -> bytes:
    return pdf_bytes(MAX_FILE_BYTES)


def household(username: str = "rivera", *, beside: Household | None = None) -> Household:
    """A household with three bills (Jan, Feb, Mar 2026), the clock to be frozen at TODAY;
    ``beside`` another household, on the same catalogue."""
    with clock.frozen(at(TODAY)):
        return billed_customer(
            username=username, months=3, catalog=beside.catalog if beside else None
        )


def charge_line(invoice: Invoice) -> InvoiceLine:
    """The invoice's first line that charges (its biggest, the monthly fee)."""
    line = invoice.lines.filter(amount_cents__gt=0).order_by("-amount_cents", "position").first()
    assert line is not None
    return line


def credit_line(invoice: Invoice) -> InvoiceLine:
    line = invoice.lines.filter(amount_cents__lt=0).order_by("position").first()
    assert line is not None
    return line


def dispute_of(
    found: Household,
    *,
    amount_cents: int = 1000,
    invoice: Invoice | None = None,
    files: Sequence[SimpleUploadedFile] = (),
    description: str = "I never asked for this.",
) -> Dispute:
    """A dispute of the latest bill's monthly charge, opened by the household's holder."""
    bill = invoice or found.invoices[-1]
    return open_dispute(
        account=found.account,
        invoice_line=charge_line(bill),
        amount_cents=amount_cents,
        reason=DisputeReason.WRONG_PRICE,
        description=description,
        files=files,
        actor=found.user,
    )


def files_under(root: Path) -> list[Path]:
    """Every file under ``root`` (kept and temporary alike)."""
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def use_upload_root(settings: object, tmp_path: Path) -> Path:
    """Point ``DROPLINE_UPLOAD_ROOT`` at a fresh folder for one test (pytest-django's
    ``settings`` fixture puts it back)."""
    root = tmp_path / "uploads"
    settings.DROPLINE_UPLOAD_ROOT = str(root)  # type: ignore[attr-defined]
    return root
