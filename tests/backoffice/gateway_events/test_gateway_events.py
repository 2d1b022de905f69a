"""The gateway event log: who may read it, what it lists (newest first, filtered), and
one event with its payload as received."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.payments.gateways import simulator
from dropline.payments.models import GatewayEvent
from dropline.payments.paying import pay
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import PAY_DAY, make_payer, save_bank_account
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db

LIST = "backoffice:gateway_events"


@pytest.fixture
def events() -> dict[str, object]:
    """A card payment settled and a bank debit that cleared, through the simulator's
    real webhook path, and one event Dropline does not act on."""
    catalog = make_catalog()
    card = make_payer(username="cardholder", catalog=catalog)
    bank = make_payer(username="banker", catalog=catalog)
    with clock.frozen(at(PAY_DAY)):
        save_bank_account(bank.customer, "000123456789", default=True)
        by_card = pay(
            account=card.account,
            amount_cents=card.balance,
            idempotency_key="k-card",
            source="portal",
            actor=card.customer.user,
        )
        by_bank = pay(
            account=bank.account,
            amount_cents=bank.balance,
            idempotency_key="k-bank",
            source="portal",
            actor=bank.customer.user,
        )
    later = at(PAY_DAY + dt.timedelta(days=5))
    with clock.frozen(later):
        simulator.release_due_events(now=later)
        other = GatewayEvent.objects.create(
            gateway="stripe",
            event_id="evt_customer_created",
            kind="other",
            occurred_at=later,
            received_at=later + dt.timedelta(minutes=1),
            outcome="not acted on",
            payload={"id": "evt_customer_created", "type": "customer.created"},
        )
    return {"card": by_card, "bank": by_bank, "other": other}


def test_anonymous_go_to_sign_in_and_staff_without_the_permission_get_403(client, events):
    urls = [reverse(LIST), reverse("backoffice:gateway_event", args=[events["other"].pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response.url).path == reverse("backoffice:login")
    client.force_login(make_staff(username="dispatch", role=roles.FIELD_DISPATCH))
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(make_staff(username="care", role=roles.CUSTOMER_CARE))
    for url in urls:
        assert client.get(url).status_code == 403


def test_billing_sees_the_section_and_every_event_newest_first(client, events):
    client.force_login(make_staff(username="billing", role=roles.BILLING))

    response = client.get(reverse(LIST))

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse(LIST) in page  # the navigation's section
    rows = response.context["rows"]
    received = [event.received_at for event, _kind in rows]
    assert received == sorted(received, reverse=True)
    assert rows[0][0].event_id == "evt_customer_created"
    kinds = {event.kind for event, _kind in rows}
    assert {"payment.settled", "payment.succeeded", "other"} <= kinds
    assert events["bank"].confirmation_number in page
    assert "Payment settled" in page


def test_filters_combine(client, events):
    client.force_login(make_staff(username="billing", role=roles.BILLING))
    bank = events["bank"]

    by_payment = client.get(reverse(LIST), {"payment": bank.confirmation_number.lower()})
    by_kind = client.get(reverse(LIST), {"kind": "payment.succeeded", "gateway": "simulator"})
    not_applied = client.get(reverse(LIST), {"outcome": "not_applied"})
    stripe_only = client.get(reverse(LIST), {"gateway": "stripe"})

    assert {e.payment_id for e, _ in by_payment.context["rows"]} == {bank.pk}
    assert [e.payment_id for e, _ in by_kind.context["rows"]] == [bank.pk]
    assert [e.event_id for e, _ in not_applied.context["rows"]] == ["evt_customer_created"]
    assert [e.event_id for e, _ in stripe_only.context["rows"]] == ["evt_customer_created"]
    assert "Clear filters" in by_kind.content.decode()


def test_a_junk_filter_is_shown_and_dropped(client, events):
    client.force_login(make_staff(username="billing", role=roles.BILLING))

    response = client.get(reverse(LIST), {"payment": "12345", "kind": "nonsense"})

    assert response.status_code == 200
    assert "A confirmation number is P and 9 digits." in response.content.decode()
    assert len(response.context["rows"]) == GatewayEvent.objects.count()


def test_no_match_says_so(client, events):
    client.force_login(make_staff(username="billing", role=roles.BILLING))
    response = client.get(reverse(LIST), {"payment": "P999999999"})
    assert "No gateway event matches these filters." in response.content.decode()


def test_the_list_is_paged_without_counting(client, events, django_assert_max_num_queries):
    client.force_login(make_staff(username="billing", role=roles.BILLING))
    base = events["other"]
    GatewayEvent.objects.bulk_create(
        GatewayEvent(
            gateway="stripe",
            event_id=f"evt_{n}",
            kind="other",
            occurred_at=base.occurred_at,
            received_at=base.received_at,
            outcome="not acted on",
        )
        for n in range(60)
    )

    first = client.get(reverse(LIST))
    second = client.get(reverse(LIST), {"page": 2})

    assert len(first.context["rows"]) == 50
    assert first.context["page"].has_next
    assert len(second.context["rows"]) == GatewayEvent.objects.count() - 50
    with django_assert_max_num_queries(16) as captured:
        client.get(reverse(LIST))
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_one_event_shows_its_payload_pretty_printed(client, events):
    client.force_login(make_staff(username="billing", role=roles.BILLING))
    bank = events["bank"]
    event = GatewayEvent.objects.get(payment=bank, kind="payment.succeeded")

    response = client.get(reverse("backoffice:gateway_event", args=[event.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Payment succeeded" in page
    assert event.event_id in page
    assert bank.confirmation_number in page
    pretty = json.dumps(event.payload, indent=2, sort_keys=True)
    assert pretty.splitlines()[1].replace('"', "&quot;") in page
    assert reverse("backoffice:customer", args=[bank.account.number]) in page


def test_an_unknown_event_is_404(client, events):
    client.force_login(make_staff(username="billing", role=roles.BILLING))
    assert client.get(reverse("backoffice:gateway_event", args=[999999])).status_code == 404


def test_spanish_speaking_staff_read_spanish(client, events):
    client.force_login(make_staff(username="billing", role=roles.BILLING))
    response = client.get(reverse(LIST), HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert "Eventos de la pasarela" in page
    assert "Pago liquidado" in page
