"""Disputes from the app: open one with files (multipart), read it, write in it,
download a file; refusals name the field; another account's dispute, line and file
answer 404; internal notes never appear."""

import pytest
from django.test import Client

from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.payments.disputes.messages import add_message
from dropline.payments.disputes.models import Dispute, DisputeAttachment
from dropline.payments.disputes.resolving import reject
from tests.support.disputes import (
    a_pdf,
    charge_line,
    dispute_of,
    files_under,
    household,
    png_bytes,
    upload,
)
from tests.support.factories import make_user
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(today):
    return household()


def app_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_dispute(found, **changes):
    invoice = found.invoices[-1]
    return {
        "invoice": invoice.number,
        "line_id": charge_line(invoice).pk,
        "amount_cents": 1250,
        "reason": "charged_twice",
        "description": "Charged twice.",
        **changes,
    }


def test_anonymous_callers_are_refused():
    assert Client().get("/api/v1/disputes").status_code == 401
    assert Client().post("/api/v1/disputes", {}).status_code == 401


def test_open_read_write_and_download(found, uploads):
    app = app_for(found.user)
    opened = app.post(
        "/api/v1/disputes",
        {
            **new_dispute(found),
            "files": [a_pdf("receipt.pdf"), upload("s.png", png_bytes(), "image/png")],
        },
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert body["status"] == "open"
    assert body["amount_cents"] == 1250
    assert body["number"].startswith("D")
    files = body["messages"][0]["attachments"]
    assert [f["name"] for f in files] == ["receipt.pdf", "s.png"]
    listing = app.get("/api/v1/disputes").json()
    assert listing["held_cents"] == 1250
    assert [d["number"] for d in listing["disputes"]] == [body["number"]]
    wrote = app.post(
        f"/api/v1/disputes/{body['id']}/messages", {"body": "More", "files": [a_pdf()]}
    )
    assert wrote.status_code == 201, wrote.content
    assert wrote.json()["body"] == "More"
    download = app.get(files[1]["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    one = app.get(f"/api/v1/disputes/{body['id']}").json()
    assert len(one["messages"]) == 2


def test_refusals_name_the_field(found, uploads):
    app = app_for(found.user)
    over = app.post("/api/v1/disputes", new_dispute(found, amount_cents=10**9))
    assert over.status_code == 422
    assert over.json()["errors"] == [
        {"field": "amount_cents", "reason": "You can dispute at most the amount of the charge."}
    ]
    assert over.json()["code"] == "over_line_amount"
    wrong = app.post(
        "/api/v1/disputes",
        {
            **new_dispute(found),
            "files": [upload("photo.png", b"words, not a picture", "image/png")],
        },
    )
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "file_type"
    assert wrong.json()["errors"][0]["field"] == "files"
    missing = app.post("/api/v1/disputes", {"invoice": "x"})
    assert missing.status_code == 422
    assert not Dispute.objects.exists()
    assert files_under(uploads) == []


def test_a_closed_dispute_answers_409(found):
    app = app_for(found.user)
    dispute = dispute_of(found)
    reject(dispute=dispute, reason="No.", actor=None)
    answer = app.post(f"/api/v1/disputes/{dispute.pk}/messages", {"body": "But"})
    assert answer.status_code == 409
    assert answer.json()["code"] == "closed"


def test_another_accounts_dispute_line_and_file_are_404(found, uploads):
    other = household("neighbour", beside=found)
    theirs = dispute_of(other, files=[a_pdf()])
    their_file = theirs.attachments.get()
    app = app_for(found.user)
    their_invoice = other.invoices[-1]
    line = new_dispute(found, line_id=charge_line(their_invoice).pk)
    assert app.post("/api/v1/disputes", line).status_code == 404
    line = new_dispute(found, invoice=their_invoice.number, line_id=charge_line(their_invoice).pk)
    assert app.post("/api/v1/disputes", line).status_code == 404
    assert app.get(f"/api/v1/disputes/{theirs.pk}").status_code == 404
    assert app.post(f"/api/v1/disputes/{theirs.pk}/messages", {"body": "x"}).status_code == 404
    assert app.get(f"/api/v1/disputes/{theirs.pk}/files/{their_file.pk}").status_code == 404
    ours = dispute_of(found)
    assert app.get(f"/api/v1/disputes/{ours.pk}/files/{their_file.pk}").status_code == 404
    assert app.get("/api/v1/disputes", {"account": other.account.number}).status_code == 404


def test_internal_notes_never_appear(found, uploads):
    agent = make_staff(username="agent", role="Customer care")
    dispute = dispute_of(found)
    note = add_message(
        dispute=dispute,
        body="Internal: refund likely.",
        actor=agent,
        from_staff=True,
        internal=True,
        files=[a_pdf("note.pdf")],
    )
    app = app_for(found.user)
    one = app.get(f"/api/v1/disputes/{dispute.pk}")
    assert "Internal" not in one.content.decode()
    assert "note.pdf" not in one.content.decode()
    hidden = DisputeAttachment.objects.get(message=note)
    assert app.get(f"/api/v1/disputes/{dispute.pk}/files/{hidden.pk}").status_code == 404


def test_an_authorized_user_may_read_and_dispute_too(found):
    helper = make_user(username="helper")
    add_member(account=found.account, user=helper, role=MemberRole.AUTHORIZED)
    dispute = dispute_of(found)
    app = app_for(helper)
    assert app.get(f"/api/v1/disputes/{dispute.pk}").status_code == 200
    assert (
        app.post(
            "/api/v1/disputes",
            new_dispute(
                found, line_id=charge_line(found.invoices[0]).pk, invoice=found.invoices[0].number
            ),
        ).status_code
        == 201
    )
