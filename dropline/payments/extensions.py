"""Payment extensions: a later date to pay an open bill by, asked by the customer.

At most one in ``DROPLINE_EXTENSION_PERIOD_DAYS`` (365) days, at most
``DROPLINE_EXTENSION_MAX_DAYS`` (14) after the bill's due date. While it runs, dunning
holds the overdue notice, the late fee and suspension until the day after it ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dropline.billing.models import Invoice, InvoiceStatus
from dropline.core import audit, clock
from dropline.core.formatting import display_date
from dropline.customers.models import CustomerAccount
from dropline.notifications.categories import Category
from dropline.notifications.outbox import notify
from dropline.payments.errors import PaymentError
from dropline.payments.models import PaymentExtension

PAGE_PATH = "/billing/extension/"


@dataclass(frozen=True)
class ExtensionOptions:
    """What the extension page and the API show: the bill it would extend, the latest
    date allowed, the extension running, and when another may be asked."""

    invoice: Invoice | None
    latest_until: dt.date | None
    current: PaymentExtension | None
    next_allowed_on: dt.date | None  # None: one may be asked now (when there is a bill)

    @property
    def may_ask(self) -> bool:
        return self.invoice is not None and self.next_allowed_on is None


def _open_bill(account: CustomerAccount) -> Invoice | None:
    return (
        Invoice.objects.filter(account=account, status=InvoiceStatus.OPEN)
        .order_by("-sequence")
        .first()
    )


def _last_asked(account: CustomerAccount) -> PaymentExtension | None:
    return PaymentExtension.objects.filter(account=account).order_by("-asked_at").first()


def _period() -> dt.timedelta:
    return dt.timedelta(days=int(settings.DROPLINE_EXTENSION_PERIOD_DAYS))


def options_for(*, account: CustomerAccount) -> ExtensionOptions:
    """The account's extension options today (the caller chose the account)."""
    bill = _open_bill(account)
    last = _last_asked(account)
    today = clock.today()
    next_allowed = None
    if last is not None:
        allowed_on = timezone.localdate(last.asked_at) + _period()
        if allowed_on > today:
            next_allowed = allowed_on
    current = None
    if bill is not None:
        current = PaymentExtension.objects.filter(invoice=bill).first()
    latest = (
        bill.due_on + dt.timedelta(days=int(settings.DROPLINE_EXTENSION_MAX_DAYS))
        if bill is not None
        else None
    )
    return ExtensionOptions(
        invoice=bill, latest_until=latest, current=current, next_allowed_on=next_allowed
    )


def ask_extension(*, account: CustomerAccount, until: dt.date, actor: Any) -> PaymentExtension:
    """Give the account's open bill until ``until`` to be paid; refusals name the field."""
    today = clock.today()
    with transaction.atomic():
        CustomerAccount.objects.select_for_update().filter(pk=account.pk).first()
        options = options_for(account=account)
        bill = options.invoice
        if bill is None:
            raise PaymentError(
                "until", _("You have no unpaid bill to ask more time for."), "nothing_to_pay"
            )
        if options.next_allowed_on is not None:
            raise PaymentError(
                "until",
                _("You can ask for one extension a year. You can ask again on %(date)s.")
                % {"date": display_date(options.next_allowed_on)},
                "too_soon",
            )
        if options.current is not None:
            raise PaymentError(
                "until",
                _("This bill already has more time to pay, until %(date)s.")
                % {"date": display_date(options.current.until)},
                "already_extended",
            )
        assert options.latest_until is not None
        if until <= bill.due_on or until <= today:
            raise PaymentError(
                "until",
                _("Choose a date after your bill's due date, %(date)s.")
                % {"date": display_date(bill.due_on)},
                "too_early",
            )
        if until > options.latest_until:
            raise PaymentError(
                "until",
                _("Choose a date no later than %(date)s.")
                % {"date": display_date(options.latest_until)},
                "too_late",
            )
        extension = PaymentExtension.objects.create(
            account=account, invoice=bill, until=until, asked_by=actor, asked_at=clock.now()
        )
        audit.record(
            action="payments.extension_given",
            actor=actor,
            target=extension,
            account_number=account.number,
            data={"invoice": bill.number, "until": str(until)},
        )
        notify(
            event="payment_extension",
            category=Category.PAYMENTS,
            subject_key=f"invoice:{bill.pk}",
            account=account,
            link=PAGE_PATH,
            context={
                "provider_name": settings.DROPLINE_PROVIDER_NAME,
                "number": bill.number,
                "until": until,
                "url": f"{settings.DROPLINE_PUBLIC_URL.rstrip('/')}{PAGE_PATH}",
            },
        )
        return extension


def extended_until(*, invoice_ids: list[int]) -> dict[int, dt.date]:
    """The extension dates of the extended bills among ``invoice_ids``, in one query."""
    return dict(
        PaymentExtension.objects.filter(invoice_id__in=invoice_ids).values_list(
            "invoice_id", "until"
        )
    )
