""" "Your bill is ready": once per invoice, to each person on the account, in their
language, by the channels they chose for bills, with the amount due, the due date and
a link to the invoice's page."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dropline.billing.models import Invoice
from dropline.billing.notifying import notify_bills_ready
from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.notifications.bulk_notify import COLUMNS, Notice, notify_many
from dropline.notifications.models import Message, MessageStatus, Preference
from dropline.notifications.rendering import Rendered, fill, slot
from tests.support.bill_runs import billable_accounts
from tests.support.billing import at, bill
from tests.support.catalog import make_catalog
from tests.support.factories import make_user

D = dt.date
pytestmark = pytest.mark.django_db


def billed(**options: object) -> Invoice:
    [account] = billable_accounts(make_catalog(), count=1, opened_on=D(2026, 1, 5), **options)  # type: ignore[arg-type]
    outcome = bill(account, D(2026, 1, 5))
    return Invoice.objects.get(pk=outcome.invoice_ids[0])


@override_settings(
    DROPLINE_PUBLIC_URL="https://my.riverbend.example", DROPLINE_PROVIDER_NAME="Riverbend Broadband"
)
def test_the_holder_is_told_by_email_and_in_the_portal_with_the_amount_the_date_and_the_link(
    django_capture_on_commit_callbacks,
):
    invoice = billed()
    with clock.frozen(at(D(2026, 1, 5))), django_capture_on_commit_callbacks(execute=True):
        notify_bills_ready(invoice_ids=[invoice.pk])
    email = Message.objects.get(channel="email")
    in_app = Message.objects.get(channel="in_app")
    assert email.subject == "Your Riverbend Broadband bill is ready"
    assert email.subject_key == f"invoice:{invoice.pk}"
    assert email.link == f"/billing/invoices/{invoice.number}/"
    period = "Jan. 5, 2026 to Feb. 4, 2026"
    assert f"Your bill {invoice.number} for {period} is ready." in email.body_text
    assert "The amount due is $45.00, payable by Jan. 26, 2026." in email.body_text
    assert f"https://my.riverbend.example/billing/invoices/{invoice.number}/" in email.body_text
    assert (
        f'href="https://my.riverbend.example/billing/invoices/{invoice.number}/"' in email.body_html
    )
    assert in_app.body_text == f"Your bill {invoice.number} is ready: $45.00 due by Jan. 26, 2026."
    assert in_app.status == MessageStatus.SENT
    # The email went out after the commit.
    assert [m.subject for m in mail.outbox] == ["Your Riverbend Broadband bill is ready"]
    assert Message.objects.get(channel="email").status == MessageStatus.SENT


def test_asking_twice_tells_nobody_twice():
    invoice = billed()
    notify_bills_ready(invoice_ids=[invoice.pk])
    notify_bills_ready(invoice_ids=[invoice.pk])
    assert Message.objects.filter(subject_key=f"invoice:{invoice.pk}").count() == 2


@override_settings(DROPLINE_PROVIDER_NAME="Riverbend Broadband")
def test_a_spanish_speaking_account_is_told_in_spanish():
    invoice = billed(language="es")
    notify_bills_ready(invoice_ids=[invoice.pk])
    email = Message.objects.get(channel="email")
    assert email.language == "es"
    assert email.subject == "Su factura de Riverbend Broadband está lista"
    assert (
        "El importe a pagar es $45.00, con vencimiento el 26 de enero de 2026." in email.body_text
    )
    assert "Vea cada línea de su factura" in email.body_text


def test_each_person_in_their_own_language_and_by_their_own_choices():
    invoice = billed()
    spouse = make_user(username="spouse", preferred_language="es")
    add_member(account=invoice.account, user=spouse, role=MemberRole.AUTHORIZED)
    Preference.objects.create(user=spouse, category="billing", channel="email", enabled=False)
    notify_bills_ready(invoice_ids=[invoice.pk])
    told = set(Message.objects.values_list("user__username", "channel", "language"))
    holder = invoice.account.members.get(role=MemberRole.HOLDER).user.username
    assert told == {(holder, "email", "en"), (holder, "in_app", "en"), ("spouse", "in_app", "es")}


def test_a_credit_balance_says_nothing_is_due():
    invoice = billed()
    Invoice.objects.filter(pk=invoice.pk).update(amount_due_cents=-500)
    notify_bills_ready(invoice_ids=[invoice.pk])
    in_app = Message.objects.get(channel="in_app")
    assert "Nothing is due: your account has a credit of $5.00." in in_app.body_text
    assert "due by" not in in_app.body_text


def test_an_account_without_people_makes_no_message():
    invoice = billed(holders=False)
    assert notify_bills_ready(invoice_ids=[invoice.pk]) == 0
    assert not Message.objects.exists()


def test_many_notices_cost_the_same_queries_as_one():
    catalog = make_catalog()
    accounts = billable_accounts(catalog, count=9, opened_on=D(2026, 1, 5))
    ids = [bill(account, D(2026, 1, 5)).invoice_ids[0] for account in accounts]

    def queries(invoice_ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as captured:
            notify_bills_ready(invoice_ids=invoice_ids)
        return len(captured)

    assert queries(ids[:1]) == queries(ids[1:])
    assert Message.objects.count() == 18


def test_notify_many_with_nothing_to_say_does_nothing():
    assert notify_many(event="invoice_ready", category="billing", notices=[]) == 0
    assert (
        notify_many(
            event="invoice_ready",
            category="billing",
            notices=[Notice(account_id=999_999, subject_key="invoice:1", values={})],
        )
        == 0
    )


def test_values_go_into_a_message_rendered_once_as_they_are_and_escaped_in_html():
    once = Rendered(
        subject=f"Bill {slot('number')}",
        email_text=f"See {slot('url')}",
        email_html=f'<a href="{slot("url")}">{slot("number")}</a>',
        sms="",
        in_app=slot("number"),
    )
    filled = fill(once, {"number": "INV-1", "url": "https://x.example/?a=1&b=<2>"})
    assert filled.subject == "Bill INV-1"
    assert filled.email_text == "See https://x.example/?a=1&b=<2>"
    assert filled.email_html == '<a href="https://x.example/?a=1&amp;b=&lt;2&gt;">INV-1</a>'
    assert filled.in_app == "INV-1"


def test_a_corrected_bill_is_announced_and_the_void_one_is_not_announced_again():
    from dropline.billing.adjustments import void_invoice

    invoice = billed()
    with clock.frozen(at(D(2026, 1, 5))):
        notify_bills_ready(invoice_ids=[invoice.pk])
    with clock.frozen(at(D(2026, 1, 7))):
        replacement = void_invoice(invoice=invoice, reason="Wrong service address on the bill")
    assert replacement is not None
    subjects = sorted(
        Message.objects.filter(event="invoice_ready", channel="email").values_list(
            "subject_key", flat=True
        )
    )
    assert subjects == sorted([f"invoice:{invoice.pk}", f"invoice:{replacement.pk}"])


def test_the_bulk_path_writes_every_column_of_a_message():
    # A raw insert leaves no model default behind: a column it forgot would be NULL, and
    # SQLite's INSERT OR IGNORE would then drop every row without a word.
    written = {field.column for field in Message._meta.concrete_fields if not field.primary_key}
    assert written == set(COLUMNS)
