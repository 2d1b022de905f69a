"""Dunning: what happens to a bill that is not paid, one step at a time.

``run_dunning`` (daily) takes, for each open bill, the steps whose day has come and
that were not taken before (a ``DunningStep`` is unique per bill and step, and each
message's subject key is the bill, so running a day twice does nothing new):

- ``reminder``: ``DROPLINE_REMINDER_DAYS_BEFORE`` days before the due date, for an
  account whose autopay does not pay the bill;
- ``overdue``: the day after the due date;
- ``late_fee``: after ``DROPLINE_LATE_FEE_GRACE_DAYS``, a one-time charge of
  ``DROPLINE_LATE_FEE_CENTS`` on the next bill (billing's ``enter_adjustment``), once
  per bill;
- ``warning``: ``DROPLINE_SUSPENSION_WARNING_DAYS`` after the due date, the day
  services will be suspended;
- ``suspended``: ``DROPLINE_SUSPEND_AFTER_DAYS`` after the due date, the account is
  flagged and its services suspended (``subscriptions.suspension``).

A step after the due date is taken only while something of the bill is past due once
the disputed amount held is left out, and waits for the day after a payment extension
ends. ``after_payment`` restores the services dunning suspended once nothing is past
due any more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from dropline.billing.adjustments import enter_adjustment
from dropline.billing.models import AdjustmentKind, ChargeCategory, Invoice, InvoiceStatus
from dropline.core import clock
from dropline.core.money import Money
from dropline.customers.models import AccountStatus, CustomerAccount
from dropline.ledger.queries import balance_cents
from dropline.notifications.categories import Category
from dropline.notifications.outbox import notify
from dropline.payments.disputes.queries import held_cents
from dropline.payments.extensions import extended_until
from dropline.payments.models import AutopayEnrolment, DunningStep, DunningStepKind
from dropline.subscriptions.suspension import restore_services, suspend_services

_ONE_DAY = dt.timedelta(days=1)
BILLING_PATH = "/billing/"
# The steps after the due date, in the order they are taken.
AFTER_DUE = (
    DunningStepKind.OVERDUE,
    DunningStepKind.LATE_FEE,
    DunningStepKind.WARNING,
    DunningStepKind.SUSPENDED,
)


def _days(name: str) -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, name)))


def step_day(step: str, *, due_on: dt.date, extended_to: dt.date | None) -> dt.date:
    """The day ``step`` is due for a bill due on ``due_on`` (extended to ``extended_to``)."""
    normal = {
        DunningStepKind.REMINDER: due_on - _days("DROPLINE_REMINDER_DAYS_BEFORE"),
        DunningStepKind.OVERDUE: due_on + _ONE_DAY,
        DunningStepKind.LATE_FEE: due_on + _days("DROPLINE_LATE_FEE_GRACE_DAYS"),
        DunningStepKind.WARNING: due_on + _days("DROPLINE_SUSPENSION_WARNING_DAYS"),
        DunningStepKind.SUSPENDED: due_on + _days("DROPLINE_SUSPEND_AFTER_DAYS"),
    }[DunningStepKind(step)]
    if step != DunningStepKind.REMINDER and extended_to is not None:
        return max(normal, extended_to + _ONE_DAY)
    return normal


def past_due_cents(*, account_id: int, invoice_id: int, today: dt.date) -> int:
    """What is still owed of the bill ``invoice_id`` and those before it: the balance
    less the new charges of later bills, less the disputed amount held."""
    later = Invoice.objects.filter(
        account_id=account_id,
        sequence__gt=Invoice.objects.filter(pk=invoice_id).values("sequence")[:1],
    ).exclude(status=InvoiceStatus.VOID)
    later_cents = int(later.aggregate(total=Sum("total_cents"))["total"] or 0)
    owed = balance_cents(account_id) - later_cents
    return max(0, owed - held_cents(account_id=account_id))


@dataclass
class DunningRun:
    taken: dict[str, int] = field(default_factory=dict)

    def count(self, step: str) -> None:
        self.taken[step] = self.taken.get(step, 0) + 1


def run_dunning(*, today: dt.date | None = None) -> DunningRun:
    """Take every step due by ``today`` that was not taken yet."""
    today = today or clock.today()
    result = DunningRun()
    remind_due = today + _days("DROPLINE_REMINDER_DAYS_BEFORE")
    bills = list(
        Invoice.objects.filter(status=InvoiceStatus.OPEN)
        .filter(Q(due_on__lt=today) | Q(due_on=remind_due))
        .values_list("id", "account_id", "number", "due_on", "currency")
    )
    if not bills:
        return result
    ids = [bill[0] for bill in bills]
    taken: dict[int, set[str]] = {}
    for invoice_id, step in DunningStep.objects.filter(invoice_id__in=ids).values_list(
        "invoice_id", "step"
    ):
        taken.setdefault(invoice_id, set()).add(step)
    extensions = extended_until(invoice_ids=ids)
    autopaid = _autopay_covers({bill[1] for bill in bills})
    for invoice_id, account_id, number, due_on, currency in sorted(bills):
        done = taken.get(invoice_id, set())
        extended_to = extensions.get(invoice_id)
        if due_on >= today:
            if DunningStepKind.REMINDER in done or _covered(autopaid.get(account_id), due_on):
                continue
            if balance_cents(account_id) - held_cents(account_id=account_id) <= 0:
                continue
            bill = _Bill(invoice_id, account_id, number, due_on, currency, extended_to)
            if _take(bill, DunningStepKind.REMINDER, today):
                result.count(DunningStepKind.REMINDER)
            continue
        wanted = [
            step
            for step in AFTER_DUE
            if step not in done and step_day(step, due_on=due_on, extended_to=extended_to) <= today
        ]
        if not wanted:
            continue
        if past_due_cents(account_id=account_id, invoice_id=invoice_id, today=today) <= 0:
            continue
        bill = _Bill(invoice_id, account_id, number, due_on, currency, extended_to)
        for step in wanted:
            if _take(bill, step, today):
                result.count(step)
    return result


def _autopay_covers(
    account_ids: set[int],
) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    covers: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for account_id, charges_from, charges_until in AutopayEnrolment.objects.filter(
        account_id__in=account_ids
    ).values_list("account_id", "charges_from", "charges_until"):
        covers.setdefault(account_id, []).append((charges_from, charges_until))
    return covers


def _covered(spans: list[tuple[dt.date, dt.date | None]] | None, due_on: dt.date) -> bool:
    return any(start <= due_on and (end is None or due_on <= end) for start, end in spans or ())


@dataclass(frozen=True)
class _Bill:
    invoice_id: int
    account_id: int
    number: str
    due_on: dt.date
    currency: str
    extended_to: dt.date | None


def _take(bill: _Bill, step: str, today: dt.date) -> bool:
    """Record ``step`` for ``bill`` and do it, in one transaction; False when it was
    already taken (a second run) or there was nothing to do."""
    try:
        with transaction.atomic():
            DunningStep.objects.create(
                account_id=bill.account_id,
                invoice_id=bill.invoice_id,
                step=step,
                taken_on=today,
                taken_at=clock.now(),
            )
            account = CustomerAccount.objects.get(pk=bill.account_id)
            _do(account, bill, step, today)
    except IntegrityError:
        return False
    return True


def _url(path: str) -> str:
    return f"{settings.DROPLINE_PUBLIC_URL.rstrip('/')}{path}"


# What each step tells the account's people, and under which category.
_TOLD = {
    DunningStepKind.REMINDER: ("payment_reminder", Category.PAYMENTS),
    DunningStepKind.OVERDUE: ("payment_overdue", Category.PAYMENTS),
    DunningStepKind.LATE_FEE: ("late_fee", Category.PAYMENTS),
    DunningStepKind.WARNING: ("suspension_warning", Category.PAYMENTS),
    # A change to the services: told under "service changes", once per person.
    DunningStepKind.SUSPENDED: ("services_suspended", Category.SERVICE),
}


def _do(account: CustomerAccount, bill: _Bill, step: str, today: dt.date) -> None:
    context = {
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "number": bill.number,
        "due": bill.due_on,
        "url": _url(BILLING_PATH),
    }
    if step == DunningStepKind.REMINDER:
        amount = balance_cents(account.pk) - held_cents(account_id=account.pk)
        context["amount"] = Money(max(0, amount), bill.currency).format()
    elif step == DunningStepKind.OVERDUE:
        amount = past_due_cents(account_id=account.pk, invoice_id=bill.invoice_id, today=today)
        context["amount"] = Money(amount, bill.currency).format()
    elif step == DunningStepKind.LATE_FEE:
        fee = int(settings.DROPLINE_LATE_FEE_CENTS)
        if fee <= 0:
            return
        enter_adjustment(
            account=account,
            kind=AdjustmentKind.CHARGE,
            amount_cents=fee,
            category=ChargeCategory.FEES,
            description=f"Late fee, bill {bill.number}",
            description_es=f"Cargo por pago atrasado, factura {bill.number}",
            reason=f"Bill {bill.number} unpaid after the grace period",
            occurred_on=today,
        )
        context["fee"] = Money(fee, bill.currency).format()
    elif step == DunningStepKind.WARNING:
        context["suspend_on"] = step_day(
            DunningStepKind.SUSPENDED, due_on=bill.due_on, extended_to=bill.extended_to
        )
    elif step == DunningStepKind.SUSPENDED:
        suspend_services(
            account=account,
            reason=f"Bill {bill.number} unpaid {(today - bill.due_on).days} days after it was due",
        )
    event, category = _TOLD[DunningStepKind(step)]
    notify(
        event=event,
        category=category,
        subject_key=f"invoice:{bill.invoice_id}",
        account=account,
        link=BILLING_PATH,
        context=context,
    )


def after_payment(*, account_id: int) -> bool:
    """Restore the services dunning suspended when nothing is past due any more; True
    when they were restored. Called after every accepted payment."""
    suspended = list(
        DunningStep.objects.filter(account_id=account_id, step=DunningStepKind.SUSPENDED)
        .exclude(
            invoice_id__in=DunningStep.objects.filter(
                account_id=account_id, step=DunningStepKind.RESTORED
            ).values("invoice_id")
        )
        .values_list("invoice_id", flat=True)
    )
    if not suspended:
        return False
    today = clock.today()
    latest_due = (
        Invoice.objects.filter(account_id=account_id, due_on__lt=today)
        .exclude(status=InvoiceStatus.VOID)
        .order_by("-sequence")
        .values_list("id", flat=True)
        .first()
    )
    if latest_due is not None and past_due_cents(
        account_id=account_id, invoice_id=latest_due, today=today
    ):
        return False
    with transaction.atomic():
        account = CustomerAccount.objects.get(pk=account_id)
        now = clock.now()
        DunningStep.objects.bulk_create(
            [
                DunningStep(
                    account_id=account_id,
                    invoice_id=invoice_id,
                    step=DunningStepKind.RESTORED,
                    taken_on=today,
                    taken_at=now,
                )
                for invoice_id in suspended
            ],
            ignore_conflicts=True,
        )
        if account.status != AccountStatus.SUSPENDED:
            return False
        restore_services(account=account, reason="The past-due balance was paid")
        notify(
            event="services_restored",
            category=Category.SERVICE,
            subject_key=f"invoice:{suspended[-1]}",
            account=account,
            link=BILLING_PATH,
            context={"provider_name": settings.DROPLINE_PROVIDER_NAME, "url": _url(BILLING_PATH)},
        )
    return True
