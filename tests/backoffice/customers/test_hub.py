"""The customer page is the agent's hub: the account in plain words (phone numbers and
dates as people write them, the bill date said, no stored codes), links to that
customer's messages, security events and invitations, and its equipment."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from dropline.accounts import roles
from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.customers.invitations import issue_printed_code
from dropline.customers.models import MemberRole
from dropline.customers.notes import add_note
from dropline.notifications.models import Message, MessageStatus
from dropline.seeding.demo.household import loaded_account
from tests.support.factories import make_customer
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db

RAW_CODE = re.compile(
    r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)+\b|\b(?:customer|announcement|invitation|member|account|security)\.[a-z_]+\b"
)


def visible_text(html: str) -> str:
    """What a person reads: the page without its head, tags, scripts and comments."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _message(customer, *, key: str) -> Message:
    now = clock.now()
    return Message.objects.create(
        idempotency_key=key,
        user=customer.user,
        account=customer.account,
        event="announcement.notice",
        category="outages",
        channel="email",
        to_address=customer.user.email,
        language="en",
        subject=f"Notice for {customer.account.name}",
        body_text="Notice",
        status=MessageStatus.SENT,
        not_before=now,
        created_at=now,
    )


def test_the_hub_links_to_this_customers_messages_security_events_and_invitations(client):
    mine = make_customer(username="hubmine", name="Mine Household")
    other = make_customer(username="hubother", name="Other Household")
    _message(mine, key="hub:mine")
    _message(other, key="hub:other")
    client.force_login(make_staff(username="hubcare", role=roles.CUSTOMER_CARE))
    html = client.get(reverse("backoffice:customer", args=[mine.account.number])).content.decode()

    messages_link = unescape(re.search(r'id="hub-messages" href="([^"]+)"', html).group(1))  # type: ignore[union-attr]
    page = client.get(messages_link).content.decode()
    assert "Notice for Mine Household" in page
    assert "Notice for Other Household" not in page

    security_link = unescape(re.search(r'id="hub-security" href="([^"]+)"', html).group(1))  # type: ignore[union-attr]
    assert security_link == (
        f"{reverse('backoffice:security_events')}?account={mine.account.number}"
    )
    response = client.get(security_link)
    assert response.status_code == 200
    assert f'value="{mine.account.number}"' in response.content.decode()  # the filter is set

    invitations_link = re.search(r'id="hub-invitations" href="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert invitations_link == reverse("backoffice:invitation_codes", args=[mine.account.number])
    assert client.get(invitations_link).status_code == 200


def test_the_hub_offers_only_the_links_the_role_opens(client):
    customer = make_customer(username="hubdispatch")
    client.force_login(make_staff(username="dispatcher", role=roles.FIELD_DISPATCH))
    html = client.get(reverse("backoffice:customer", args=[customer.account.number])).content
    assert b'id="hub-messages"' not in html
    assert b'id="hub-security"' not in html
    assert b'id="hub-invitations"' not in html


def test_phone_dates_and_bill_date_are_in_plain_words(client):
    customer = make_customer(username="plainwords", phone="+13195550142")
    client.force_login(make_staff(username="reader", role=roles.CUSTOMER_CARE))
    html = client.get(reverse("backoffice:customer", args=[customer.account.number])).content
    text = visible_text(html.decode())
    assert "Contact phone (319) 555-0142" in text
    assert "+13195550142" not in text
    assert "Bill date The 15th of each month" in text
    assert "anchor" not in text.lower()
    with translation.override("en"):
        assert f"Customer since {display_date(customer.account.opened_on)}" in text


def test_the_hub_in_spanish_says_the_bill_date_and_names_plans_and_devices_in_spanish(client, demo):
    account = loaded_account()
    assert account is not None
    client.force_login(make_staff(username="rosa", role=roles.CUSTOMER_CARE))
    client.cookies["django_language"] = "es"
    text = visible_text(
        client.get(reverse("backoffice:customer", args=[account.number])).content.decode()
    )
    assert f"El día {account.bill_cycle_day} de cada mes" in text
    assert "TV Plata" in text
    assert "TV Silver" not in text
    assert "Móvil ilimitado" in text
    assert "Puerta de enlace" in text or "Router Wi-Fi" in text or "Receptor de TV" in text
    assert "gateway" not in text.lower()


def test_the_hub_lists_the_accounts_equipment_with_its_status(client):
    customer = make_customer(username="equipped", devices=2)
    client.force_login(make_staff(username="eqcare", role=roles.CUSTOMER_CARE))
    text = visible_text(
        client.get(reverse("backoffice:customer", args=[customer.account.number])).content.decode()
    )
    assert "Equipment" in text
    assert text.count("Acme M1") == 2
    assert "Modem" in text


def test_no_stored_codes_reach_the_staff_pages(client, demo):
    customer = make_customer(username="codes")
    message = _message(customer, key="hub:codes")
    admin_user = make_staff(username="auditor", role=roles.ADMINISTRATOR)
    issue_printed_code(account=customer.account, created_by=admin_user, role=MemberRole.AUTHORIZED)
    add_note(account=customer.account, author=admin_user, body="Called about the bill.")
    client.force_login(admin_user)
    hub = client.get(reverse("backoffice:customer", args=[customer.account.number]))
    hub_text = visible_text(hub.content.decode())
    assert "Recent staff activity" in hub_text
    assert "Opened the account" in hub_text
    assert "Added a note" in hub_text
    assert "Made an invitation code" in hub_text
    pages = [
        hub_text,
        visible_text(client.get(reverse("backoffice:messages")).content.decode()),
        visible_text(client.get(reverse("backoffice:message", args=[message.pk])).content.decode()),
        visible_text(client.get(reverse("backoffice:home")).content.decode()),
    ]
    for text in pages:
        for code in (
            "customer.viewed",
            "customer_note.added",
            "invitation_code.created",
            "announcement.notice",
        ):
            assert code not in text
        assert not RAW_CODE.search(text), RAW_CODE.search(text)
    assert "Outage or maintenance notice" in pages[1]
