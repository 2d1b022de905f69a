"""Telling people their bill is ready: once per invoice, in their language.

A bill run calls ``notify_bills_ready`` for the invoices of a chunk inside the chunk's
transaction, so the messages commit with the invoices or not at all. The subject key
``invoice:<id>`` is part of each message's idempotency key: a chunk billed again, or
a second call, never tells anyone twice. The bulk path (``bulk_notify.notify_many``)
costs the same few queries for one invoice or a thousand, and renders the templates
once per language, not once per invoice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from dropline.billing.models import Invoice
from dropline.core import bulk
from dropline.core.money import Money
from dropline.notifications.bulk_notify import Notice, notify_many
from dropline.notifications.categories import Category

EVENT = "invoice_ready"


def invoice_path(number: str) -> str:
    """The invoice's page in the portal."""
    return f"/billing/invoices/{number}/"


def notify_bills_ready(*, invoice_ids: Sequence[int]) -> int:
    """Tell the people on each invoice's account that it is ready (email and in the
    portal by default, as their preferences for bills say). Returns how many messages
    were asked for; those already sent are not sent again."""
    if not invoice_ids:
        return 0
    base = settings.DROPLINE_PUBLIC_URL.rstrip("/")
    provider = settings.DROPLINE_PROVIDER_NAME
    notices = []
    for invoice_id, account_id, number, amount_due, total, currency, due_on, start, end in (
        Invoice.objects.filter(pk__in=bulk.many(invoice_ids))
        .order_by("pk")
        .values_list(
            "pk",
            "account_id",
            "number",
            "amount_due_cents",
            "total_cents",
            "currency",
            "due_on",
            "period_start",
            "period_end",
        )
    ):
        path = invoice_path(number)
        notices.append(
            Notice(
                account_id=account_id,
                subject_key=f"invoice:{invoice_id}",
                link=path,
                context={"owes": amount_due > 0, "provider_name": provider},
                values={
                    "number": number,
                    "amount_due": Money(amount_due, currency).format(),
                    "credit": Money(-amount_due, currency).format(),
                    "new_charges": Money(total, currency).format(),
                    "due": due_on,
                    "start": start,
                    "end": end,
                    "url": f"{base}{path}",
                },
            )
        )
    return notify_many(event=EVENT, category=Category.BILLING, notices=notices)
