"""Autopay's daily run: the notices, the charges on the due date and the retries.

``run_autopay`` (daily) tells customers a few days ahead what will be charged, charges
each open bill due that day (its amount due less any disputed amount held, never more
than the balance) through ``paying.pay`` with the key ``autopay:<invoice>:<attempt>``,
and tries a declined charge again on the retry days, then stops and says so. Each
attempt is an ``AutopayCharge`` unique per bill and attempt: a day run twice charges
nothing new. The bills and enrolments are read as values in two queries; the charges
are per account by nature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from dropline.billing.models import Invoice, InvoiceStatus
from dropline.core import clock
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.notifications.categories import Category
from dropline.notifications.outbox import notify
from dropline.payments import paying, queries
from dropline.payments.autopay import PAGE_PATH, charge_cents
from dropline.payments.errors import PaymentError, PaymentInProgressError
from dropline.payments.models import (
    AutopayCharge,
    AutopayEnrolment,
    AutopayOutcome,
    PaymentSource,
    PaymentStatus,
)


@dataclass
class AutopayRun:
    noticed: int = 0
    charged: int = 0
    failed: int = 0
    stopped: int = 0
    nothing_owed: int = 0


def retry_offsets() -> list[int]:
    """Days after the due date of each attempt: 0 (the due date), then the retries."""
    retries = sorted({int(day) for day in settings.DROPLINE_AUTOPAY_RETRY_DAYS if int(day) > 0})
    return [0, *retries]


def _covered(
    enrolments: list[tuple[int, int, dt.date, dt.date | None]], due_on: dt.date
) -> int | None:
    """The enrolment (id) of ``enrolments`` that pays a bill due on ``due_on``."""
    for enrolment_id, _method, charges_from, charges_until in enrolments:
        if charges_from <= due_on and (charges_until is None or due_on <= charges_until):
            return enrolment_id
    return None


def _candidates(days: list[dt.date]) -> list[tuple[int, int, str, dt.date, int]]:
    """(invoice id, account id, number, due date, enrolment id) of the open bills due on
    ``days`` whose account's autopay pays them, read as values in two queries."""
    bills = list(
        Invoice.objects.filter(status=InvoiceStatus.OPEN, due_on__in=days)
        .order_by("due_on", "id")
        .values_list("id", "account_id", "number", "due_on")
    )
    if not bills:
        return []
    by_account: dict[int, list[tuple[int, int, dt.date, dt.date | None]]] = {}
    for row in (
        AutopayEnrolment.objects.filter(account_id__in={bill[1] for bill in bills})
        .order_by("-enrolled_at", "-id")
        .values_list("account_id", "id", "method_id", "charges_from", "charges_until")
    ):
        by_account.setdefault(row[0], []).append(row[1:])
    found = []
    for invoice_id, account_id, number, due_on in bills:
        enrolment_id = _covered(by_account.get(account_id, []), due_on)
        if enrolment_id is not None:
            found.append((invoice_id, account_id, number, due_on, enrolment_id))
    return found


def run_autopay(*, today: dt.date | None = None) -> AutopayRun:
    """Notices for bills due in ``DROPLINE_AUTOPAY_NOTICE_DAYS``, then the charges and
    retries due today. Safe to run again the same day."""
    today = today or clock.today()
    result = AutopayRun()
    notice_on = today + dt.timedelta(days=int(settings.DROPLINE_AUTOPAY_NOTICE_DAYS))
    for invoice_id, account_id, _number, due_on, enrolment_id in _candidates([notice_on]):
        if _notice(invoice_id, account_id, due_on, enrolment_id):
            result.noticed += 1
    offsets = retry_offsets()
    days = [today - dt.timedelta(days=offset) for offset in offsets]
    candidates = _candidates(days)
    done = {
        (invoice_id, attempt): outcome
        for invoice_id, attempt, outcome in AutopayCharge.objects.filter(
            invoice_id__in=[row[0] for row in candidates]
        ).values_list("invoice_id", "attempt", "outcome")
    }
    for invoice_id, account_id, number, due_on, enrolment_id in candidates:
        attempt = offsets.index((today - due_on).days) + 1
        if (invoice_id, attempt) in done:
            continue
        earlier = [done.get((invoice_id, n)) for n in range(1, attempt)]
        if any(outcome != AutopayOutcome.FAILED for outcome in earlier):
            continue  # paid, nothing owed, or an attempt missed: never charge twice
        outcome = _charge(
            invoice_id=invoice_id,
            account_id=account_id,
            number=number,
            due_on=due_on,
            enrolment_id=enrolment_id,
            attempt=attempt,
            last=attempt == len(offsets),
            next_try=due_on + dt.timedelta(days=offsets[attempt])
            if attempt < len(offsets)
            else None,
        )
        if outcome == AutopayOutcome.CHARGED:
            result.charged += 1
        elif outcome == AutopayOutcome.NOTHING_OWED:
            result.nothing_owed += 1
        elif outcome == AutopayOutcome.STOPPED:
            result.stopped += 1
        elif outcome == AutopayOutcome.FAILED:
            result.failed += 1
    return result


def _notice(invoice_id: int, account_id: int, due_on: dt.date, enrolment_id: int) -> bool:
    account = CustomerAccount.objects.get(pk=account_id)
    enrolment = AutopayEnrolment.objects.select_related("method").get(pk=enrolment_id)
    amounts = queries.amounts_for(account=account)
    cents = charge_cents(amounts=amounts, account_id=account_id)
    if cents <= 0:
        return False
    notify(
        event="autopay_upcoming",
        category=Category.PAYMENTS,
        subject_key=f"invoice:{invoice_id}",
        account=account,
        link=PAGE_PATH,
        context={
            "provider_name": settings.DROPLINE_PROVIDER_NAME,
            "amount": Money(cents, account.currency).format(),
            "due": due_on,
            "method": str(enrolment.method),
            "url": _url(PAGE_PATH),
        },
    )
    return True


def _url(path: str) -> str:
    return f"{settings.DROPLINE_PUBLIC_URL.rstrip('/')}{path}"


def _charge(
    *,
    invoice_id: int,
    account_id: int,
    number: str,
    due_on: dt.date,
    enrolment_id: int,
    attempt: int,
    last: bool,
    next_try: dt.date | None,
) -> str:
    """One attempt for one bill; its ``AutopayCharge`` records the outcome."""
    account = CustomerAccount.objects.get(pk=account_id)
    enrolment = AutopayEnrolment.objects.select_related("method").get(pk=enrolment_id)
    amounts = queries.amounts_for(account=account)
    cents = charge_cents(amounts=amounts, account_id=account_id)
    payment = None
    failure = ""
    if cents <= 0:
        outcome = AutopayOutcome.NOTHING_OWED
    else:
        try:
            payment = paying.pay(
                account=account,
                amount_cents=cents,
                idempotency_key=f"autopay:{number}:{attempt}",
                source=PaymentSource.AUTOPAY,
                actor=None,
                method=enrolment.method,
            )
        except PaymentInProgressError:
            return ""  # another run is sending this very attempt: it records the outcome
        except PaymentError as refused:
            failure = refused.reason
            outcome = AutopayOutcome.STOPPED if last else AutopayOutcome.FAILED
        else:
            if payment.status == PaymentStatus.FAILED:
                failure = payment.failure_message
                outcome = AutopayOutcome.STOPPED if last else AutopayOutcome.FAILED
            else:
                outcome = AutopayOutcome.CHARGED
    try:
        with transaction.atomic():
            AutopayCharge.objects.create(
                enrolment=enrolment,
                account=account,
                invoice_id=invoice_id,
                attempt=attempt,
                attempted_on=clock.today(),
                amount_cents=cents,
                outcome=outcome,
                payment=payment,
            )
            if outcome in (AutopayOutcome.FAILED, AutopayOutcome.STOPPED):
                notify(
                    event="autopay_failed",
                    category=Category.PAYMENTS,
                    subject_key=f"invoice:{invoice_id}:attempt:{attempt}",
                    account=account,
                    link=PAGE_PATH,
                    context={
                        "provider_name": settings.DROPLINE_PROVIDER_NAME,
                        "amount": Money(cents, account.currency).format(),
                        "due": due_on,
                        "method": str(enrolment.method),
                        "reason": failure,
                        "next_try": next_try,
                        "stopped": outcome == AutopayOutcome.STOPPED,
                        "url": _url("/billing/"),
                    },
                )
    except IntegrityError:
        return ""  # another run recorded this attempt; pay's key made it one charge
    return outcome
