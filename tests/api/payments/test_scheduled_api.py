"""Paying on a later day from the app, as the web's pay page does: scheduled with an
Idempotency-Key (201, then 200 with the same payment, 409 for the key with another
amount or day), listed a page at a time, canceled; bad input names the field and
schedules nothing; another account's scheduled payment is not found."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.payments import paying
from dropline.payments.models import Payment, ScheduledPayment
from tests.support.app_client import App
from tests.support.billing import at
from tests.support.factories import make_user
from tests.support.payments import PAY_DAY, Payer, make_payer
from tests.support.payportal import words

pytestmark = pytest.mark.django_db

SCHEDULED = "/api/v1/payments/scheduled"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.frozen(at(PAY_DAY)):
        yield


@pytest.fixture
def payer() -> Payer:
    return make_payer(username="paula")


@pytest.fixture
def app(payer) -> App:
    return App("paula")


def later(payer: Payer, **changes: object) -> dict[str, object]:
    return {
        "amount_minor": 1500,
        "pay_on": payer.invoice.due_on.isoformat(),
        "method_id": payer.method.pk,
        **changes,
    }


def test_scheduling_answers_201_then_200_with_the_same_payment(app, payer):
    owed = payer.balance
    first = app.post(SCHEDULED, later(payer), Idempotency_Key="later-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["amount"] == {"amount_minor": 1500, "currency": "USD", "formatted": "$15.00"}
    assert body["pay_on"] == payer.invoice.due_on.isoformat()
    assert (body["status"], body["status_label"]) == ("scheduled", "Scheduled")
    assert body["method"]["last4"] == "4242"
    assert body["payment"] is None
    again = app.post(SCHEDULED, later(payer), Idempotency_Key="later-1")
    assert again.status_code == 200
    assert again.json() == body
    assert ScheduledPayment.objects.filter(account=payer.account).count() == 1
    # Nothing is taken before the day.
    assert payer.balance == owed
    assert not Payment.objects.exists()
    listed = app.get(SCHEDULED).json()
    assert listed == {"items": [body], "next_cursor": None}
    # The web's payments page lists it too.
    web = Client()
    web.force_login(payer.customer.user)
    assert "$15.00" in words(web.get("/billing/payments/"))

    with clock.frozen(at(payer.invoice.due_on)):
        assert paying.send_due_scheduled() == 1
    assert payer.balance == owed - 1500
    assert app.get(SCHEDULED).json()["items"] == []
    made = app.delete(f"{SCHEDULED}/{body['id']}")
    assert made.status_code == 409
    assert made.json()["errors"] == [
        {"field": "scheduled", "reason": "This payment was already made or canceled."}
    ]


def test_the_key_with_another_amount_or_day_is_a_conflict(app, payer):
    app.post(SCHEDULED, later(payer), Idempotency_Key="k")
    for changed in (
        later(payer, amount_minor=1600),
        later(payer, pay_on=(PAY_DAY + dt.timedelta(days=2)).isoformat()),
    ):
        response = app.post(SCHEDULED, changed, Idempotency_Key="k")
        assert response.status_code == 409
        assert response.json()["errors"][0]["field"] == "idempotency_key"
    [only] = ScheduledPayment.objects.filter(account=payer.account)
    assert (only.amount_cents, only.pay_on) == (1500, payer.invoice.due_on)


def test_the_default_method_when_none_is_named(app, payer):
    body = app.post(
        SCHEDULED, {"amount_minor": 100, "pay_on": "2026-01-20"}, Idempotency_Key="d"
    ).json()
    assert body["method"]["id"] == payer.method.pk


@pytest.mark.parametrize(
    ("body", "key", "field", "reason"),
    [
        ({}, "", "idempotency_key", "Send an Idempotency-Key header"),
        ({}, "   ", "idempotency_key", "Send an Idempotency-Key header"),
        ({"pay_on": "2026-01-10"}, "k", "pay_on", "Choose a day from tomorrow, or pay now."),
        ({"pay_on": "2026-06-01"}, "k", "pay_on", "no later than the due date"),
        ({"amount_minor": 10**9}, "k", "amount_minor", "The most you can pay now is $"),
        ({"method_id": 987654321}, "k", "method_id", "Choose one of your saved payment methods."),
    ],
)
def test_bad_input_names_the_field_and_schedules_nothing(app, payer, body, key, field, reason):
    headers = {"Idempotency_Key": key} if key else {}
    response = app.post(SCHEDULED, later(payer, **body), **headers)
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert reason in error["reason"]
    assert not ScheduledPayment.objects.exists()


def test_a_body_of_the_wrong_shape_is_refused(app, payer):
    for body in (later(payer, amount_minor=0), later(payer, pay_on="soon"), {"amount_minor": 5}):
        response = app.post(SCHEDULED, body, Idempotency_Key="s")
        assert response.status_code == 422, body
    assert not ScheduledPayment.objects.exists()


def test_another_accounts_method_is_not_one_of_yours(app, payer):
    other = make_payer(username="oscar")
    response = app.post(SCHEDULED, later(payer, method_id=other.method.pk), Idempotency_Key="m")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "method_id"
    assert not ScheduledPayment.objects.exists()


def test_cancelling_one_still_waiting(app, payer):
    made = app.post(SCHEDULED, later(payer), Idempotency_Key="c").json()
    response = app.delete(f"{SCHEDULED}/{made['id']}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_label"]) == ("cancelled", "Canceled")
    assert body["cancelled_at"] is not None
    assert app.get(SCHEDULED).json()["items"] == []
    again = app.delete(f"{SCHEDULED}/{made['id']}")
    assert again.status_code == 409
    with clock.frozen(at(payer.invoice.due_on)):
        assert paying.send_due_scheduled() == 0
    assert not Payment.objects.exists()


def test_the_list_is_paged(app, payer):
    ids = [
        app.post(SCHEDULED, later(payer, amount_minor=100 + n), Idempotency_Key=f"p{n}").json()[
            "id"
        ]
        for n in range(3)
    ]
    first = app.get(f"{SCHEDULED}?limit=2").json()
    assert [item["id"] for item in first["items"]] == ids[:2]
    rest = app.get(f"{SCHEDULED}?limit=2&cursor={first['next_cursor']}").json()
    assert ([item["id"] for item in rest["items"]], rest["next_cursor"]) == (ids[2:], None)
    bad = app.get(f"{SCHEDULED}?cursor=made-up")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "cursor"


def test_an_authorized_user_may_schedule_and_cancel_as_on_the_web(payer):
    helper = make_user(username="helper")
    add_member(account=payer.account, user=helper, role=MemberRole.AUTHORIZED)
    client = Client()
    client.force_login(helper)
    made = client.post(
        f"{SCHEDULED}?account={payer.account.number}",
        later(payer),
        content_type="application/json",
        headers={"Idempotency-Key": "h"},
    )
    assert made.status_code == 201, made.content
    scheduled = ScheduledPayment.objects.get()
    assert scheduled.created_by == helper
    assert client.get(SCHEDULED).json()["items"][0]["id"] == scheduled.pk
    assert client.delete(f"{SCHEDULED}/{scheduled.pk}").status_code == 200
    scheduled.refresh_from_db()
    assert scheduled.status == "cancelled"


def test_another_accounts_scheduled_payment_is_not_found_and_stays(app, payer):
    other = make_payer(username="oscar")
    theirs = App("oscar").post(SCHEDULED, later(other), Idempotency_Key="o").json()
    for response in (
        app.delete(f"{SCHEDULED}/{theirs['id']}"),
        app.delete(f"{SCHEDULED}/{theirs['id']}?account={other.account.number}"),
        app.delete(f"{SCHEDULED}/987654321"),
        app.get(f"{SCHEDULED}?account={other.account.number}"),
        app.post(f"{SCHEDULED}?account={other.account.number}", later(other), Idempotency_Key="x"),
    ):
        assert response.status_code == 404
        assert other.account.number not in response.content.decode()
    assert app.get(SCHEDULED).json()["items"] == []
    [kept] = ScheduledPayment.objects.all()
    assert (kept.account_id, kept.status) == (other.account.pk, "scheduled")


def test_nothing_without_signing_in(payer):
    anonymous = Client()
    assert anonymous.get(SCHEDULED).status_code == 401
    assert (
        anonymous.post(
            SCHEDULED,
            later(payer),
            content_type="application/json",
            headers={"Idempotency-Key": "a"},
        ).status_code
        == 401
    )
    assert anonymous.delete(f"{SCHEDULED}/1").status_code == 401
    assert not ScheduledPayment.objects.exists()
