"""The disputes queue and a dispute for Customer care: overdue first, filters, assign to
me, replies (the customer is told) and internal notes (never shown to the customer), a
credit through the ledger or a rejection; who may open what; the home tile and the hub."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.ledger.models import JournalTransaction, TransactionKind
from dropline.notifications.models import Message
from dropline.payments.disputes.models import DisputeMessage, DisputeStatus
from dropline.payments.disputes.queries import held_cents
from tests.support.billing import at
from tests.support.disputes import a_pdf, dispute_of, household
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def found(today):
    return household()


@pytest.fixture
def agent(client):
    staff = make_staff(username="agent", role=roles.CUSTOMER_CARE, first_name="Ana")
    client.force_login(staff)
    return staff


def test_who_may_open_the_queue(client, found):
    dispute = dispute_of(found, files=[a_pdf()])
    file = dispute.attachments.get()
    pages = [
        reverse("backoffice:disputes"),
        reverse("backoffice:dispute", args=[dispute.pk]),
        reverse("backoffice:dispute_file", args=[dispute.pk, file.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert urlsplit(response.url).path == reverse("backoffice:login")
    client.force_login(make_staff(username="dispatch", role=roles.FIELD_DISPATCH))
    for url in pages:
        assert client.get(url).status_code == 403
    posted = client.post(
        reverse("backoffice:dispute_credit", args=[dispute.pk]), {"amount": "1", "note": "x"}
    )
    assert posted.status_code == 403
    assert not JournalTransaction.objects.filter(kind=TransactionKind.DISPUTE_CREDIT).exists()
    client.force_login(found.user)
    for url in pages:
        assert client.get(url).status_code == 403
    for role in (roles.CUSTOMER_CARE, roles.BILLING):
        client.force_login(make_staff(username=f"s-{role}", role=role))
        for url in pages:
            assert client.get(url).status_code == 200, (role, url)


def test_the_queue_puts_overdue_first_and_filters(client, found, agent):
    bills = found.invoices
    with clock.frozen(at(dt.date(2026, 2, 20))):
        old = dispute_of(found, invoice=bills[1], amount_cents=100)
    newer = dispute_of(found, invoice=bills[2], amount_cents=200)
    closed = dispute_of(found, invoice=bills[0], amount_cents=300)
    client.post(reverse("backoffice:dispute_reject", args=[closed.pk]), {"reason": "No."})
    page = words(client.get(reverse("backoffice:disputes")))
    assert page.index(old.number) < page.index(newer.number)
    assert "Overdue" in page
    assert closed.number not in page  # open ones by default
    everything = words(client.get(reverse("backoffice:disputes"), {"status": "all"}))
    assert closed.number in everything
    client.post(reverse("backoffice:dispute_assign", args=[newer.pk]))
    mine = words(client.get(reverse("backoffice:disputes"), {"assignee": "me"}))
    assert newer.number in mine
    assert old.number not in mine
    nobody = words(client.get(reverse("backoffice:disputes"), {"assignee": "none"}))
    assert old.number in nobody
    assert newer.number not in nobody


def test_reply_note_and_credit(client, found, agent, uploads):
    dispute = dispute_of(found, amount_cents=2500)
    url = reverse("backoffice:dispute", args=[dispute.pk])
    page = words(client.get(url))
    assert dispute.number in page
    assert "I never asked for this." in page
    client.post(
        reverse("backoffice:dispute_message", args=[dispute.pk]),
        {
            "body": "Called the customer: genuine.",
            "internal": "on",
            "attachments": [a_pdf("call.pdf")],
        },
    )
    client.post(
        reverse("backoffice:dispute_message", args=[dispute.pk]),
        {"body": "We are checking with the technician."},
    )
    assert DisputeMessage.objects.filter(dispute=dispute, internal=True).count() == 1
    told = Message.objects.filter(event="dispute_message", user=found.user)
    assert told.exists()
    assert not any("genuine" in m.body_text for m in Message.objects.all())
    page = words(client.get(url))
    assert "Internal note" in page
    assert "call.pdf" in page
    too_much = client.post(
        reverse("backoffice:dispute_credit", args=[dispute.pk]), {"amount": "25.01", "note": "x"}
    )
    assert too_much.status_code == 400
    assert "The credit can be at most the disputed amount." in words(too_much)
    done = client.post(
        reverse("backoffice:dispute_credit", args=[dispute.pk]),
        {"amount": "20.00", "note": "Credited the visit."},
    )
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CREDITED
    assert dispute.credited_cents == 2000
    posted = JournalTransaction.objects.get(kind=TransactionKind.DISPUTE_CREDIT)
    assert posted.reference == dispute.number
    assert held_cents(account_id=found.account.pk) == 0
    page = words(client.get(url))
    assert "Resolved with a credit" in page
    assert "Give the credit" not in page


def test_reject_with_a_reason(client, found, agent):
    dispute = dispute_of(found)
    empty = client.post(reverse("backoffice:dispute_reject", args=[dispute.pk]), {"reason": ""})
    assert empty.status_code == 400
    client.post(
        reverse("backoffice:dispute_reject", args=[dispute.pk]), {"reason": "It was ordered."}
    )
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REJECTED
    assert dispute.resolution == "It was ordered."
    assert Message.objects.filter(event="dispute_resolved", user=found.user).exists()


def test_home_tile_and_customer_hub(client, found, agent):
    dispute_of(found)
    home = words(client.get(reverse("backoffice:home")))
    assert "0 open disputes past their answer date" in home
    with clock.frozen(at(dt.date(2026, 2, 20))):
        dispute_of(found, invoice=found.invoices[1])
    home = words(client.get(reverse("backoffice:home")))
    assert "1 open dispute past its answer date" in home
    hub = words(client.get(reverse("backoffice:customer", args=[found.account.number])))
    assert "Disputes" in hub
    assert "D000000001" in hub
