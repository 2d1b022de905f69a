"""Demo support requests: the demo household asked about its Wi-Fi three days ago and
customer care answered (with an internal note the household never sees), and last month
it asked about its bill, was answered, closed the request and rated the help.

Everything is made by the real writes, in the past under ``clock.frozen``; the messages
are delivered and read as the household would have. Each request is found again by its
subject, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.helpdesk.models import Ticket
from dropline.helpdesk.tickets.closing import close, rate
from dropline.helpdesk.tickets.opening import open_ticket
from dropline.helpdesk.tickets.replying import add_note, staff_reply
from dropline.notifications import inbox
from dropline.notifications.delivery import deliver, due_message_ids
from dropline.seeding.demo import household, year

ANSWERED_SUBJECT = "Wi-Fi drops in the evening"
CLOSED_SUBJECT = "A charge on my bill I do not recognize"


def _deliver_and_read(account: CustomerAccount, moment: dt.datetime) -> None:
    """The delivery sweep a minute after ``moment``; the household reads the ticket
    messages that evening."""
    with clock.frozen(moment + dt.timedelta(minutes=1)):
        for message_id in due_message_ids():
            deliver(message_id)
    with clock.frozen(moment + dt.timedelta(hours=3)):
        for member in account.members.select_related("user"):
            unread = inbox.inbox_for(user=member.user).filter(
                event__startswith="ticket_", read_at__isnull=True
            )
            for message_id in unread.values_list("pk", flat=True):
                inbox.mark_read(user=member.user, message_id=message_id)


def _answered(account: CustomerAccount, holder: User, care: User) -> int:
    if Ticket.objects.filter(account=account, subject=ANSWERED_SUBJECT).exists():
        return 0
    asked = year.moment(clock.today() - dt.timedelta(days=3), 19, 10)
    with clock.frozen(asked):
        ticket = open_ticket(
            account=account,
            person=holder,
            category="internet",
            subject=ANSWERED_SUBJECT,
            description=(
                "Most evenings around 8 p.m. the Wi-Fi in the upstairs bedrooms drops for a "
                "few minutes. The wired computer downstairs keeps working."
            ),
        )
    _deliver_and_read(account, asked)
    with clock.frozen(asked + dt.timedelta(hours=14)):
        add_note(
            ticket_id=ticket.pk,
            by=care,
            body=(
                "Line checks are clean and no outage that evening. Likely channel "
                "congestion upstairs; suggest moving to 5 GHz before sending a technician."
            ),
        )
    answered = asked + dt.timedelta(hours=14, minutes=20)
    with clock.frozen(answered):
        staff_reply(
            ticket_id=ticket.pk,
            by=care,
            body=(
                "Thanks for the details. Your line looks healthy, so the drops are most "
                "likely Wi-Fi interference in the evening. Try joining the 5 GHz network "
                "upstairs (its name ends in -5G). If it still drops, reply here and we "
                "will book a technician visit."
            ),
        )
    _deliver_and_read(account, answered)
    return 1


def _closed(account: CustomerAccount, holder: User, care: User) -> int:
    if Ticket.objects.filter(account=account, subject=CLOSED_SUBJECT).exists():
        return 0
    asked = year.moment(clock.today() - dt.timedelta(days=34), 9, 30)
    with clock.frozen(asked):
        ticket = open_ticket(
            account=account,
            person=holder,
            category="billing",
            subject=CLOSED_SUBJECT,
            description="My bill has a charge called “Regulatory recovery fee”. What is it?",
        )
    _deliver_and_read(account, asked)
    answered = asked + dt.timedelta(hours=5)
    with clock.frozen(answered):
        staff_reply(
            ticket_id=ticket.pk,
            by=care,
            body=(
                "That fee covers what regulators charge us for your internet service. It is "
                "the same every month and is explained on the back of your bill."
            ),
        )
    _deliver_and_read(account, answered)
    with clock.frozen(answered + dt.timedelta(hours=4)):
        close(account=account, person=holder, ticket_id=ticket.pk)
        rate(
            account=account,
            person=holder,
            ticket_id=ticket.pk,
            rating=5,
            comment="Clear answer, thanks.",
        )
    return 1


def load() -> int:
    account = household.loaded_account()
    care = year.staff("care") or year.staff("admin")
    if account is None or care is None:
        return 0
    holder = account.members.get(role="holder").user
    return _answered(account, holder, care) + _closed(account, holder, care)
