"""The past of synthetic accounts: saved cards, usage, bills, payments and tickets.

``add_history`` runs after ``create_accounts`` on the accounts it made (an id range) and
gives them what a provider's database holds after some months in service:

- a saved card each (the gateway's customer, the simulator's card, the payment method);
- usage roll-ups of every internet service: one ``UsageCycle`` per bill cycle of the
  window (the bill charges data in arrears from it) and one ``UsageDay`` for each of the
  last ``usage_days`` days;
- ``bill_months`` months of bills, made by the bill run itself (``run_bill_run``, what
  ``dropline bill-run`` runs: rating, invoices, lines, ledger postings and the "your bill
  is ready" notices), day by day with the clock set to each bill date;
- payments between the bill runs, on the day each customer pays: most pay each bill in
  full by the due date, some late, some not at all (``payments.history``: the payment
  rows and their ledger postings, invoices marked paid as the balance is covered);
- a few help-desk tickets, most of them closed.

The notices of past bills are recorded but not delivered (they went out at the time):
they are marked sent. Everything is drawn from ``random.Random(seed)``; rows are
written by ``core.bulk.insert_rows`` (COPY on PostgreSQL) or one set-based INSERT.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Model
from django.utils import timezone
from tqdm import tqdm

from dropline.billing import bill_runs
from dropline.billing.models import BillRun, BillRunStatus, Invoice
from dropline.billing.notifying import EVENT as BILL_READY
from dropline.core import bulk, clock, sequences
from dropline.core.dates import add_months
from dropline.customers.cycles import cycle_containing
from dropline.customers.models import AccountMember, CustomerAccount, MemberRole
from dropline.helpdesk.models import Ticket, TicketCategory, TicketMessage, TicketStatus
from dropline.helpdesk.tickets import sla
from dropline.helpdesk.tickets.opening import ticket_number
from dropline.ledger.queries import balances_cents
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    Message,
    MessageStatus,
)
from dropline.notifications.outbox import holding_delivery
from dropline.payments.gateways.simulator_forms import APPROVE
from dropline.payments.history import PastPayment, record_settled_payments
from dropline.payments.models import GatewayCustomer, PaymentMethod, SimulatedMethod
from dropline.subscriptions.models import Subscription
from dropline.usage.models import UsageCycle, UsageDay

BILL_MONTHS = 1
USAGE_DAYS = 3
TICKET_SHARE = 0.03  # accounts with a ticket in the last four months
GATEWAY = "simulator"
USAGE_BATCH = 20_000  # subscriptions per usage transaction
GB = 1_000_000_000

Progress = Callable[[str], None]

TICKETS: dict[str, tuple[tuple[str, str], ...]] = {
    TicketCategory.INTERNET: (
        ("Internet drops every evening", "The connection drops for a few minutes most evenings."),
        ("Slow speeds upstairs", "Speeds upstairs are a fraction of what I pay for."),
    ),
    TicketCategory.TV: (
        ("Channels missing", "Some channels in my package show no signal."),
        ("Receiver will not turn on", "The TV box stays dark since the storm."),
    ),
    TicketCategory.MOBILE: (
        ("No service at home", "My phone shows no bars inside the house."),
        ("Transfer my number", "I would like to bring my number from another carrier."),
    ),
    TicketCategory.BILLING: (
        ("Question about my bill", "My bill is higher than last month. Why?"),
        ("Charged twice?", "I think I see the same charge twice."),
    ),
    TicketCategory.EQUIPMENT: (
        ("Return a modem", "How do I return the old modem?"),
        ("Replace my router", "The router's lights blink orange."),
    ),
    TicketCategory.OTHER: (("Change my address", "We are moving next month."),),
}
REPLY = "Thanks for letting us know. We have looked into it; tell us if it happens again."


@dataclass
class HistoryResult:
    """What ``add_history`` wrote."""

    cards: int = 0
    usage_rows: int = 0
    bills: int = 0
    payments: int = 0
    tickets: int = 0
    notices: int = 0


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _cards(first: int, last: int, now: dt.datetime) -> int:
    """A verified e-mail contact for each holder (where bills are announced) and a saved
    Visa card (the simulator's test card, which is approved) per account: four
    set-based INSERTs, no row through Python. Returns the number of cards."""
    quote = connection.ops.quote_name
    accounts = f"{quote(CustomerAccount._meta.db_table)} a"
    holders = (
        f"{accounts} JOIN {quote(AccountMember._meta.db_table)} m "
        "ON m.account_id = a.id AND m.role = %s"
    )
    year = clock.today().year + 3
    customer = "'cus_syn' || a.number"
    token = "'pm_syn' || a.number"  # noqa: S105 - a SQL expression
    inserts: tuple[tuple[type[Model], str, str, str, list[Any], list[Any]], ...] = (
        (
            ContactPoint,
            "user_id, kind, address, is_primary, verified_at, status, failure_reason, created_at",
            "m.user_id, %s, a.email, %s, %s, %s, '', %s",
            holders,
            [ContactKind.EMAIL.value, True, now, ContactStatus.OK.value, now],
            [MemberRole.HOLDER.value],
        ),
        (
            GatewayCustomer,
            "account_id, gateway, reference, created_at",
            f"a.id, %s, {customer}, %s",
            accounts,
            [GATEWAY, now],
            [],
        ),
        (
            SimulatedMethod,
            "token, customer, kind, brand, last4, exp_month, exp_year, holder_name, "
            f"{SimulatedMethod.behaviour.field.column}, created_at",
            f"{token}, {customer}, 'card', 'Visa', '4242', 12, %s, a.name, %s, %s",
            accounts,
            [year, APPROVE, now],
            [],
        ),
        (
            PaymentMethod,
            "account_id, kind, gateway, token, brand, last4, exp_month, exp_year, holder_name, "
            "is_default, created_at",
            f"a.id, 'card', %s, {token}, 'Visa', '4242', 12, %s, a.name, %s, %s",
            accounts,
            [GATEWAY, year, True, now],
            [],
        ),
    )
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model, columns, select, source, values, joined in inserts:
            params: list[Any] = [*values, *joined, first, last]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608 - names from models
                f"SELECT {select} FROM {source} WHERE a.id BETWEEN %s AND %s",
                params,
            )
            count = cursor.rowcount
    return count


def _usage(rng: random.Random, first: int, last: int, *, start: dt.date, days: int) -> int:
    """Roll-ups of each internet service: its cycles from the one holding ``start`` to
    today's (today's up to yesterday), and its last ``days`` days."""
    today = clock.today()
    yesterday = today - dt.timedelta(days=1)
    recent = [today - dt.timedelta(days=n) for n in range(days, 0, -1)]
    subs = (
        Subscription.objects.filter(
            account_id__gte=first, account_id__lte=last, plan__kind="internet"
        )
        .order_by("id")
        .values_list("id", "account__bill_cycle_day", "started_on")
    )
    written = 0
    batch: list[tuple[int, int, dt.date]] = []

    def flush() -> None:
        nonlocal written
        cycles: list[tuple[int, dt.date, dt.date, int, int]] = []
        day_rows: list[tuple[int, dt.date, int, int]] = []
        for sub_id, anchor, started in batch:
            daily = rng.lognormvariate(2.4, 0.7) * GB  # a median of 11 GB a day
            by_day = {d: int(daily * rng.uniform(0.3, 1.7)) for d in recent if d >= started}
            day_rows.extend((sub_id, d, n * 9 // 10, n // 10) for d, n in by_day.items())
            cycle = cycle_containing(anchor, start)
            while cycle.start <= yesterday:
                first_day, end = max(cycle.start, started), min(cycle.end, yesterday)
                if first_day <= end:
                    counted = sum(n for d, n in by_day.items() if first_day <= d <= end)
                    other = (end - first_day).days + 1 - sum(first_day <= d <= end for d in by_day)
                    total = counted + int(daily * other * rng.uniform(0.8, 1.2))
                    cycles.append((sub_id, cycle.start, cycle.end, total * 9 // 10, total // 10))
                cycle = cycle_containing(anchor, cycle.end + dt.timedelta(days=1))
        with transaction.atomic():
            written += _write_cycles(cycles)
            written += bulk.insert_rows(
                UsageDay, ("subscription_id", "day", "input_bytes", "output_bytes"), day_rows
            )
        batch.clear()

    for row in subs.iterator(chunk_size=USAGE_BATCH):
        batch.append(row)
        if len(batch) >= USAGE_BATCH:
            flush()
    if batch:
        flush()
    return written


def _write_cycles(cycles: list[tuple[int, dt.date, dt.date, int, int]]) -> int:
    return bulk.insert_rows(
        UsageCycle,
        (
            "subscription_id",
            "cycle_start",
            "cycle_end",
            "input_bytes",
            "output_bytes",
            "credited_bytes",
        ),
        ((*row, 0) for row in cycles),
    )


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _bill(day: dt.date) -> BillRun:
    """The bill run of ``day`` to its end: a new one, or the one already made, with
    chunks added for the accounts that came after it."""
    existing = BillRun.objects.filter(run_on=day).first()
    if existing is not None and existing.status != BillRunStatus.RUNNING:
        bill_runs.extend_run(existing)
    return bill_runs.run_bill_run(run_on=day, in_process=True)


def _schedule_payments(
    rng: random.Random,
    run: BillRun,
    first: int,
    last: int,
    methods: dict[int, int],
    into: dict[dt.date, list[tuple[int, int, dt.datetime]]],
) -> None:
    """When each customer of the run pays its bill: most in the days before the due
    date, some up to three weeks late, one in twelve not at all."""
    invoices = (
        Invoice.objects.filter(bill_run=run, account_id__gte=first, account_id__lte=last)
        .filter(amount_due_cents__gt=0)
        .order_by("id")
        .values_list("account_id", "amount_due_cents", "issued_on", "due_on")
    )
    for account_id, amount, issued, due in invoices:
        if account_id not in methods:
            continue
        draw = rng.random()
        if draw < 0.82:
            pay_on = issued + dt.timedelta(days=rng.randint(1, max(1, (due - issued).days)))
        elif draw < 0.92:
            pay_on = due + dt.timedelta(days=rng.randint(1, 21))
        else:
            continue
        at = _local(pay_on, rng.randint(7, 22), rng.randint(0, 59))
        into[pay_on].append((account_id, amount, at))


def _pay(due: list[tuple[int, int, dt.datetime]], methods: dict[int, int], currency: str) -> int:
    """The day's payments, each the bill's amount but never more than is owed now."""
    owed = balances_cents(sorted({account for account, _, _ in due}))
    now = clock.now()
    payments = []
    for account_id, amount, at in due:
        paid = min(amount, owed[account_id])
        if paid <= 0:
            continue
        owed[account_id] -= paid
        settled = at + dt.timedelta(days=2)
        payments.append(
            PastPayment(
                account_id=account_id,
                method_id=methods[account_id],
                gateway=GATEWAY,
                amount_cents=paid,
                made_at=at,
                settled_at=settled if settled <= now else None,
                currency=currency,
            )
        )
    return record_settled_payments(payments)


def _bills_and_payments(
    rng: random.Random, first: int, last: int, *, start: dt.date, progress: bool
) -> tuple[int, int]:
    methods = dict(
        PaymentMethod.objects.filter(
            account_id__gte=first, account_id__lte=last, gateway=GATEWAY, is_default=True
        ).values_list("account_id", "id")
    )
    currency = settings.DROPLINE_CURRENCY
    today = clock.today()
    scheduled: dict[dt.date, list[tuple[int, int, dt.datetime]]] = defaultdict(list)
    bills = payments = 0
    days = list(_days(start + dt.timedelta(days=1), today))
    with tqdm(total=len(days), unit="day", desc="bills and payments", disable=not progress) as bar:
        for day in days:
            if due := scheduled.pop(day, []):
                payments += _pay(due, methods, currency)
            with clock.frozen(_local(day, 6)):
                run = _bill(day)
            bills += Invoice.objects.filter(
                bill_run=run, account_id__gte=first, account_id__lte=last
            ).count()
            _schedule_payments(rng, run, first, last, methods, scheduled)
            bar.update(1)
    return bills, payments


def _tickets(rng: random.Random, first: int, last: int) -> int:
    """A few tickets from account holders over the last four months: the older ones
    answered and closed, the recent ones waiting for an answer or for the customer."""
    holders = (
        AccountMember.objects.filter(
            account_id__gte=first, account_id__lte=last, role=MemberRole.HOLDER
        )
        .order_by("account_id")
        .values_list("account_id", "user_id")
    )
    now = clock.now()
    hours = {category: sla.response_hours(category) for category in TICKETS}
    drafts = []
    for account_id, user_id in holders.iterator(chunk_size=10_000):
        if rng.random() >= TICKET_SHARE:
            continue
        category = rng.choice(list(TICKETS))
        subject, body = rng.choice(TICKETS[category])
        opened = now - dt.timedelta(minutes=rng.randint(60, 120 * 24 * 60))
        drafts.append((account_id, user_id, category, subject, body, opened))
    if not drafts:
        return 0
    with transaction.atomic():
        numbers = sequences.reserve(name="ticket", count=len(drafts))
        ids = bulk.reserve_ids(Ticket, len(drafts))
        tickets: list[tuple[Any, ...]] = []
        messages: list[tuple[int, int | None, bool, bool, str, dt.datetime]] = []
        for ticket_id, value, (account_id, user_id, category, subject, body, opened) in zip(
            ids, numbers, drafts, strict=True
        ):
            age = now - opened
            reply = opened + dt.timedelta(hours=rng.uniform(0.5, hours[category]))
            answered: dt.datetime | None = reply
            closed: dt.datetime | None = None
            due: dt.datetime | None = None
            if age > dt.timedelta(days=10):
                status, closed = TicketStatus.CLOSED, reply + dt.timedelta(days=2)
            elif reply < now and rng.random() < 0.6:
                status = TicketStatus.ANSWERED
            else:
                status, answered = TicketStatus.OPEN, None
                due = opened + dt.timedelta(hours=hours[category])
            tickets.append(
                (
                    ticket_id,
                    ticket_number(value),
                    account_id,
                    user_id,
                    category,
                    subject,
                    status.value,
                    due,
                    opened,
                    closed or answered or opened,
                    closed,
                    "",
                )
            )
            messages.append((ticket_id, user_id, False, False, body, opened))
            if answered is not None:
                messages.append((ticket_id, None, True, False, REPLY, answered))
        bulk.insert_rows(
            Ticket,
            (
                "id",
                "number",
                "account_id",
                "opened_by_id",
                "category",
                "subject",
                "status",
                "due_at",
                "created_at",
                "updated_at",
                "closed_at",
                "rating_comment",
            ),
            tickets,
        )
        bulk.insert_rows(
            TicketMessage,
            ("ticket_id", "author_id", "from_staff", "internal", "body", "created_at"),
            messages,
        )
    return len(tickets)


def _mark_sent(after: int, first: int, last: int) -> int:
    """The past bills' notices went out when the bills were made: sent then. (The ids
    ``holding_delivery`` kept back are these, once their chunks committed.)"""
    pending = Message.objects.filter(
        pk__gt=after,
        event=BILL_READY,
        status=MessageStatus.PENDING,
        account_id__gte=first,
        account_id__lte=last,
    )
    sent = 0
    while ids := list(pending.order_by("pk").values_list("pk", flat=True)[:50_000]):
        with transaction.atomic():
            sent += Message.objects.filter(pk__in=bulk.many(ids)).update(
                status=MessageStatus.SENT, sent_at=F("not_before")
            )
    return sent


def add_history(
    *,
    first_account_id: int,
    last_account_id: int,
    seed: int = 1,
    bill_months: int = BILL_MONTHS,
    usage_days: int = USAGE_DAYS,
    progress: bool = True,
    report: Progress | None = None,
) -> HistoryResult:
    """Give the accounts with ids ``first_account_id``..``last_account_id`` their past
    (see the module's description); ``report`` is told each step as it finishes."""
    if bill_months < 0 or usage_days < 0:
        raise ValueError("bill_months and usage_days cannot be negative")
    rng = random.Random(f"history-{seed}")
    first, last = first_account_id, last_account_id
    result = HistoryResult()
    today = clock.today()
    start = add_months(today, -bill_months)

    def step(what: str) -> None:
        if report is not None:
            report(what)

    result.cards = _cards(first, last, clock.now())
    step(f"{result.cards} saved cards")
    result.usage_rows = _usage(rng, first, last, start=start, days=usage_days)
    step(f"{result.usage_rows} usage roll-ups")
    _analyze()
    step("statistics")
    if bill_months:
        before = Message.objects.aggregate(last=Max("id"))["last"] or 0
        with holding_delivery():
            result.bills, result.payments = _bills_and_payments(
                rng, first, last, start=start, progress=progress
            )
        result.notices = _mark_sent(before, first, last)
        step(f"{result.bills} bills, {result.payments} payments, {result.notices} notices")
    result.tickets = _tickets(rng, first, last)
    step(f"{result.tickets} tickets")
    _analyze()
    step("statistics")
    return result


def _analyze() -> None:
    """Fresh statistics for the planner: the bill run's reads of a million freshly
    loaded accounts, planned without them, run several times slower."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def account_id_range(before: int) -> tuple[int, int] | None:
    """The ids of the accounts made after the highest id was ``before``."""
    last = CustomerAccount.objects.aggregate(last=Max("id"))["last"]
    if last is None or last <= before:
        return None
    first = (
        CustomerAccount.objects.filter(id__gt=before).order_by("id").values_list("id", flat=True)[0]
    )
    return first, last
