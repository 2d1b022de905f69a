"""The customer's payment pages and the staff's: a signed-in payer, the page's words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client

from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.payments.models import PaymentMethod
from dropline.payments.paying import schedule_payment
from tests.support.factories import PASSWORD, Customer, make_user
from tests.support.payments import Payer, save_card


def words(response: Any) -> str:
    """The page's main text without tags, spaces squeezed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def reauthenticate(client: Client) -> None:
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def sign_in(client: Client, payer: Payer, *, fresh: bool = True) -> Client:
    """The payer's holder signed in (and just re-authenticated when ``fresh``)."""
    client.force_login(payer.customer.user)
    if fresh:
        reauthenticate(client)
    return client


def authorized_user(client: Client, payer: Payer, username: str = "helper") -> Client:
    """An authorized user of the payer's account, signed in and re-authenticated."""
    user = make_user(username=username)
    add_member(account=payer.account, user=user, role=MemberRole.AUTHORIZED)
    client.force_login(user)
    reauthenticate(client)
    return client


def pay_form(client: Client) -> dict[str, str]:
    """The pay page's form as the browser would submit it, its defaults chosen."""
    html = client.get("/billing/pay/").content.decode()
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("radio", "checkbox") and "checked" not in tag:
            continue
        fields.setdefault(name.group(1), value.group(1) if value else "")
    return fields


def sweep_ids(customer: Customer) -> dict[str, list[object]]:
    """For the cross-account sweep: a payment of ``customer``'s scheduled for a later day
    (its cancel button), made when the customer owes money and has a saved method."""
    method = PaymentMethod.objects.filter(account=customer.account, removed_at__isnull=True).first()
    if method is None:
        method = save_card(customer)
    scheduled = schedule_payment(
        account=customer.account,
        amount_cents=100,
        pay_on=clock.today() + dt.timedelta(days=2),
        idempotency_key="sweep-scheduled",
        actor=customer.user,
        method=method,
    )
    return {"scheduled_id": [scheduled.pk]}
