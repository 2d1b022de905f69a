"""The connection check from the mobile app: the same answer as the web page, with its
codes for the app, limited per account, and never another account's."""

from __future__ import annotations

import pytest
from django.test import Client

from dropline.core import clock
from dropline.network.diagnosis.checking import CHECKS_PER_ACCOUNT
from dropline.subscriptions.suspension import suspend_services
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return make_customer(username="apicheck")


@pytest.fixture
def app(customer) -> Client:
    client = Client()
    client.force_login(customer.user)
    return client


def test_signed_out_gets_401():
    assert Client().post("/api/v1/connection-check").status_code == 401


def test_all_fine_answers_with_words_and_codes(app, customer):
    body = app.post("/api/v1/connection-check").json()
    assert body["account"]["number"] == customer.account.number
    assert body["verdict"] == "all_fine"
    assert body["next_step"] == "none"
    assert body["headline"] == "Everything looks fine from here"
    assert body["reason"] is None
    assert body["eta"] is None
    assert body["findings"] == []


def test_a_suspended_account_is_told_to_pay_in_the_callers_language(app, customer):
    suspend_services(account=customer.account, reason="Unpaid balance")
    body = app.post("/api/v1/connection-check", HTTP_ACCEPT_LANGUAGE="es").json()
    assert (body["verdict"], body["next_step"]) == ("account_suspended", "pay_bill")
    assert body["headline"] == "Su servicio está suspendido por un saldo pendiente"
    assert [f["code"] for f in body["findings"]] == ["account_suspended"]


def test_another_accounts_number_is_404_and_checks_nothing(app):
    other = make_customer(username="apineighbor")
    response = app.post(f"/api/v1/connection-check?account={other.account.number}")
    assert response.status_code == 404
    assert "verdict" not in response.json()


def test_the_limit_answers_429_with_retry_after_and_is_shared_with_the_web(app):
    with clock.frozen(clock.now()):
        for _ in range(CHECKS_PER_ACCOUNT.count - 1):
            assert app.post("/api/v1/connection-check").status_code == 200
        assert app.post("/connection-check/").status_code == 200
        refused = app.post("/api/v1/connection-check")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == refused.json()["retry_after"] > 0
    assert "verdict" not in refused.json()


def test_get_is_not_a_check(app):
    assert app.get("/api/v1/connection-check").status_code == 405


def test_a_visit_says_the_reason_to_book_it_with(app, customer):
    from dropline.network import restarting
    from tests.support.equipment import NOON, at, later, managed_device

    with at(NOON):
        gateway = managed_device(customer, "gateway")
        restarting.restart(equipment=gateway, user=customer.user)
    with at(later(600)):
        restarting.restart(equipment=gateway, user=customer.user)
    with at(later(1200)):
        body = app.post("/api/v1/connection-check").json()
    assert body["next_step"] == "book_visit"
    assert body["visit_reason"] == "repair"
    assert body["booking"] == {
        "reason": "repair",
        "details": "Trouble continues after several restarts in a day",
    }


def test_no_visit_no_booking(app):
    body = app.post("/api/v1/connection-check").json()
    assert (body["visit_reason"], body["booking"]) == (None, None)
