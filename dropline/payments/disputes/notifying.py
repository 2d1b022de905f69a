"""Telling the customer about their dispute: opened, answered by staff, resolved.

Sentences are lazy, so each recipient's message is said in their language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.notifications.categories import Category
from dropline.notifications.outbox import notify
from dropline.payments.disputes.models import Dispute, DisputeStatus

DISPUTE_OPENED = "dispute_opened"
DISPUTE_MESSAGE = "dispute_message"
DISPUTE_RESOLVED = "dispute_resolved"
DISPUTES_PATH = "/billing/disputes/"


def dispute_page(dispute: Dispute) -> str:
    """The dispute's page in the portal."""
    return f"{DISPUTES_PATH}{dispute.pk}/"


def _sentence(dispute: Dispute, event: str) -> str:
    values = {
        "number": dispute.number,
        "invoice": dispute.invoice.number,
        "amount": Money(dispute.amount_cents, dispute.currency).format(),
        "credit": Money(dispute.credited_cents, dispute.currency).format(),
        "date": display_date(dispute.due_on),
    }
    if event == DISPUTE_OPENED:
        text = _(
            "We received your dispute %(number)s of %(amount)s on invoice %(invoice)s. "
            "We will answer by %(date)s. While it is open, this amount is not charged by "
            "autopay and no late fee is counted on it."
        )
    elif event == DISPUTE_MESSAGE:
        text = _("We replied to your dispute %(number)s on invoice %(invoice)s.")
    elif dispute.status == DisputeStatus.CREDITED:
        text = _("Your dispute %(number)s is resolved: we credited %(credit)s to your account.")
    elif dispute.status == DisputeStatus.REJECTED:
        text = _("Your dispute %(number)s is closed without a credit. The reason is on its page.")
    else:
        text = _("Your dispute %(number)s is withdrawn.")
    return text % values


_lazy_sentence = lazy(_sentence, str)


def tell(dispute: Dispute, event: str, *, subject: str = "") -> None:
    """Queue ``event`` for the account's people; ``subject`` tells apart several messages
    of one event (each staff reply)."""
    path = dispute_page(dispute)
    context: dict[str, Any] = {
        "sentence": _lazy_sentence(dispute, event),
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "url": settings.DROPLINE_PUBLIC_URL.rstrip("/") + path,
    }
    notify(
        event=event,
        category=Category.PAYMENTS,
        subject_key=subject or f"dispute:{dispute.pk}",
        context=context,
        account=dispute.account,
        link=path,
    )
