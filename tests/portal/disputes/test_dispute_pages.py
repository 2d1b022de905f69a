"""The customer's dispute pages: from the invoice's "Dispute this charge" to the
dispute's page, replies with files, withdrawing, downloads only of their own files, and
never a staff internal note."""

import re

import pytest
from django.urls import reverse

from dropline.payments.disputes.messages import add_message
from dropline.payments.disputes.models import Dispute, DisputeAttachment, DisputeStatus
from dropline.payments.disputes.queries import held_cents
from tests.support.disputes import (
    a_pdf,
    charge_line,
    dispute_of,
    files_under,
    household,
    png_bytes,
    upload,
)
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture
def found(client, today):
    found = household()
    client.force_login(found.user)
    return found


def new_url(invoice, line) -> str:
    return f"{reverse('disputes:new')}?invoice={invoice.number}&line={line.pk}"


def test_the_invoice_links_each_charge_to_a_dispute(client, found):
    invoice = found.invoices[-1]
    page = client.get(f"/billing/invoices/{invoice.number}/").content.decode()
    charges = invoice.lines.filter(amount_cents__gt=0).count()
    assert page.count('class="dispute-link small"') == charges
    line = charge_line(invoice)
    assert new_url(invoice, line).replace("&", "&amp;") in page
    # Credits and discounts are not disputed; the forecast has no links.
    assert "Dispute this charge" not in client.get("/billing/forecast/").content.decode()


def test_opening_a_dispute_with_a_file(client, found, uploads):
    invoice = found.invoices[-1]
    line = charge_line(invoice)
    form = client.get(new_url(invoice, line))
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()
    assert f"{line.amount_cents / 100:.2f}" in form.content.decode()
    response = client.post(
        new_url(invoice, line),
        {
            "amount": "12.50",
            "reason": "charged_twice",
            "description": "Charged twice this month.",
            "attachments": [a_pdf("receipt.pdf")],
        },
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("disputes:dispute", args=[dispute.pk])
    assert dispute.amount_cents == 1250
    assert held_cents(account_id=found.account.pk) == 1250
    page = text(client.get(response["Location"]))
    assert f"Dispute {dispute.number} Open" in page
    assert "Charged twice this month." in page
    assert "receipt.pdf" in page
    listing = text(client.get(reverse("disputes:list")))
    assert dispute.number in listing
    assert "$12.50" in listing


def test_a_refused_file_keeps_the_form_and_writes_nothing(client, found, uploads):
    invoice = found.invoices[-1]
    line = charge_line(invoice)
    response = client.post(
        new_url(invoice, line),
        {
            "amount": "10",
            "reason": "other",
            "description": "See the picture.",
            "attachments": [upload("picture.png", b"not a picture at all", "image/png")],
        },
    )
    assert response.status_code == 400
    assert "picture.png is not a PDF, PNG or JPEG file" in text(response)
    assert not Dispute.objects.exists()
    assert files_under(uploads) == []


def test_an_amount_over_the_charge_is_refused_on_the_field(client, found):
    invoice = found.invoices[-1]
    line = charge_line(invoice)
    response = client.post(
        new_url(invoice, line),
        {"amount": "99999", "reason": "other", "description": "x"},
    )
    assert response.status_code == 400
    assert "You can dispute at most the amount of the charge." in text(response)
    assert not Dispute.objects.exists()


def test_another_accounts_line_dispute_and_file_are_404(client, found, uploads):
    other = household("neighbour", beside=found)
    theirs = dispute_of(other, files=[a_pdf()])
    their_file = theirs.attachments.get()
    invoice = other.invoices[-1]
    assert client.get(new_url(invoice, charge_line(invoice))).status_code == 404
    # Their line number with our invoice number is no way in either.
    mine = found.invoices[-1]
    assert client.get(new_url(mine, charge_line(invoice))).status_code == 404
    assert client.get(reverse("disputes:dispute", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("disputes:reply", args=[theirs.pk]), {"body": "hi"}).status_code == 404
    )
    assert client.post(reverse("disputes:withdraw", args=[theirs.pk])).status_code == 404
    url = reverse("disputes:attachment", args=[theirs.pk, their_file.pk])
    assert client.get(url).status_code == 404
    # Our own dispute's id with their file's id: still 404.
    ours = dispute_of(found)
    url = reverse("disputes:attachment", args=[ours.pk, their_file.pk])
    assert client.get(url).status_code == 404
    assert theirs.status == DisputeStatus.OPEN


def test_downloading_a_file_is_an_attachment_with_the_type_found(client, found, uploads):
    dispute = dispute_of(found, files=[upload("shot.png", png_bytes(), "image/png")])
    kept = dispute.attachments.get()
    response = client.get(reverse("disputes:attachment", args=[dispute.pk, kept.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="shot.png"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == png_bytes()


def test_internal_notes_and_their_files_never_reach_the_customer(client, found, uploads):
    agent = make_staff(username="agent", role="Customer care")
    dispute = dispute_of(found)
    note = add_message(
        dispute=dispute,
        body="Secret: this customer called three times.",
        actor=agent,
        from_staff=True,
        internal=True,
        files=[a_pdf("internal-notes.pdf")],
    )
    add_message(dispute=dispute, body="We are checking your bill.", actor=agent, from_staff=True)
    page = text(client.get(reverse("disputes:dispute", args=[dispute.pk])))
    assert "We are checking your bill." in page
    assert "Secret" not in page
    assert "internal-notes.pdf" not in page
    hidden = DisputeAttachment.objects.get(message=note)
    url = reverse("disputes:attachment", args=[dispute.pk, hidden.pk])
    assert client.get(url).status_code == 404


def test_replying_with_a_file_and_withdrawing(client, found, uploads):
    dispute = dispute_of(found, amount_cents=500)
    response = client.post(
        reverse("disputes:reply", args=[dispute.pk]),
        {"body": "Here is my receipt.", "attachments": [a_pdf("receipt.pdf")]},
    )
    assert response.status_code == 302
    assert dispute.messages.count() == 2
    confirm = client.get(reverse("disputes:withdraw", args=[dispute.pk]))
    assert "Withdraw this dispute?" in text(confirm)
    client.post(reverse("disputes:withdraw", args=[dispute.pk]))
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.WITHDRAWN
    assert held_cents(account_id=found.account.pk) == 0
    page = text(client.get(reverse("disputes:dispute", args=[dispute.pk])))
    assert "Withdrawn" in page
    assert "Send the message" not in page  # closed: no more replies


def test_pages_in_spanish(client, found):
    dispute = dispute_of(found)
    client.cookies["django_language"] = "es"
    page = text(
        client.get(reverse("disputes:dispute", args=[dispute.pk]), HTTP_ACCEPT_LANGUAGE="es")
    )
    assert f"Disputa {dispute.number}" in page
    invoice = found.invoices[-1]
    assert (
        "Disputar este cargo"
        in client.get(
            f"/billing/invoices/{invoice.number}/", HTTP_ACCEPT_LANGUAGE="es"
        ).content.decode()
    )
