"""Voiding and re-issuing an invoice from the back-office: a confirmation page first;
the void itself only by POST with the CSRF token and a reason; the domain's refusal
(not the latest invoice, already void) is shown and changes nothing; customer care
cannot void."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dropline.accounts import roles
from dropline.billing.models import Invoice, InvoiceStatus
from dropline.core.models import AuditEvent
from dropline.ledger.models import JournalTransaction
from tests.support.staff import make_staff
from tests.support.staff_billing import billed_account, field_errors, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing(client):
    client.force_login(make_staff(username="voider", role=roles.BILLING))
    return client


def _url(invoice: Invoice) -> str:
    return reverse("backoffice:invoice_void", args=[invoice.number])


def _unchanged(invoices: list[Invoice]) -> None:
    assert Invoice.objects.count() == len(invoices)
    assert not Invoice.objects.filter(status=InvoiceStatus.VOID).exists()
    assert not JournalTransaction.objects.filter(kind="credit_note").exists()
    assert not AuditEvent.objects.filter(action="billing.invoice_voided").exists()


def test_the_confirmation_page_voids_nothing(billing):
    billed = billed_account(months=1)
    html = billing.get(_url(billed.invoices[0])).content.decode()
    assert "This cannot be undone." in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'method="post"' in html
    _unchanged(billed.invoices)


def test_voiding_with_a_reason_reverses_it_and_bills_the_cycle_again(billing):
    billed = billed_account(months=2)
    latest = billed.invoices[-1]
    response = billing.post(_url(latest), {"reason": "Wrong plan on the bill", "reissue": "on"})
    assert response.status_code == 302
    latest.refresh_from_db()
    assert latest.status == InvoiceStatus.VOID
    replacement = Invoice.objects.get(replaces=latest)
    assert response.url == reverse("backoffice:invoice", args=[replacement.number])
    assert JournalTransaction.objects.filter(kind="credit_note", reference=latest.number).exists()
    voided = AuditEvent.objects.get(action="billing.invoice_voided")
    assert voided.actor_label == "voider"
    assert voided.data["reason"] == "Wrong plan on the bill"
    assert AuditEvent.objects.filter(action="billing.invoice_reissued").exists()
    page = visible_text(billing.get(response.url).content.decode())
    assert f"Invoice {latest.number} is void; invoice {replacement.number} replaces it." in page


def test_voiding_without_reissue_leaves_the_cycle_unbilled(billing):
    billed = billed_account(months=1)
    invoice = billed.invoices[0]
    response = billing.post(_url(invoice), {"reason": "Account opened by mistake"})
    assert response.status_code == 302
    assert response.url == reverse("backoffice:invoice", args=[invoice.number])
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID
    assert Invoice.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_void_without_a_reason_is_refused_and_changes_nothing(billing, reason):
    billed = billed_account(months=1)
    response = billing.post(_url(billed.invoices[0]), {"reason": reason, "reissue": "on"})
    assert response.status_code == 400
    assert "Say why the invoice is being voided." in field_errors(
        response.content.decode(), "reason"
    )
    _unchanged(billed.invoices)


def test_a_void_without_the_csrf_token_is_refused(db):
    billed = billed_account(months=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff(username="forged", role=roles.BILLING))
    response = client.post(_url(billed.invoices[0]), {"reason": "Forged", "reissue": "on"})
    assert response.status_code == 403
    _unchanged(billed.invoices)


def test_only_post_voids(billing):
    billed = billed_account(months=1)
    for method in ("put", "delete", "patch"):
        assert getattr(billing, method)(_url(billed.invoices[0])).status_code == 405
    billing.get(_url(billed.invoices[0]), {"reason": "In the address", "reissue": "on"})
    _unchanged(billed.invoices)


def test_an_earlier_invoice_is_refused_with_the_reason_shown(billing):
    billed = billed_account(months=2)
    january, february = billed.invoices
    response = billing.post(_url(january), {"reason": "Wrong", "reissue": "on"})
    assert response.status_code == 409
    assert f"Invoice {february.number} came after this one; void it first." in visible_text(
        response.content.decode()
    )
    _unchanged(billed.invoices)


def test_customer_care_cannot_void(client):
    billed = billed_account(months=1)
    client.force_login(make_staff(username="agent", role=roles.CUSTOMER_CARE))
    assert client.get(_url(billed.invoices[0])).status_code == 403
    response = client.post(_url(billed.invoices[0]), {"reason": "Not mine to do"})
    assert response.status_code == 403
    _unchanged(billed.invoices)
