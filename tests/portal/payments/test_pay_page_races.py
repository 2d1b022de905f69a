"""The same pay form sent several times at once (a double click, a nervous reload on a
slow line) makes one payment, and every answer is that payment's receipt."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from dropline.payments.models import Payment, SimulatedCharge
from tests.support.payments import make_payer
from tests.support.payportal import pay_form
from tests.support.services import need

AT_ONCE = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_pay_form_sent_five_times_at_once_pays_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    payer = make_payer()
    owed = payer.balance
    first = Client()
    first.force_login(payer.customer.user)
    form = pay_form(first)
    cookie = first.cookies["sessionid"].value
    barrier = threading.Barrier(AT_ONCE)
    answers: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def send() -> None:
        client = Client()
        client.cookies["sessionid"] = cookie
        try:
            barrier.wait()
            response = client.post("/billing/pay/", form)
            answers.append((response.status_code, response.get("Location", "")))
        except BaseException as exc:  # counted below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    importlib.import_module("celery._state")._set_task_join_will_block(False)

    assert errors == []
    payment = Payment.objects.get(account=payer.account)
    assert payment.amount_cents == owed
    assert SimulatedCharge.objects.count() == 1
    receipt = f"/billing/payments/{payment.confirmation_number}/"
    assert answers == [(302, receipt)] * AT_ONCE
    assert payer.balance == 0
