"""Adding an internal note from the customer's hub: customer care, billing and
administrators may; the note shows its author, newest first; an empty or too long
note is refused with a form error; a role without the permission gets 403."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers.models import CustomerNote
from tests.support.factories import make_customer
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


def _notes_section(html: str) -> str:
    found = re.search(r'<section class="notes"[^>]*>(.*?)</section>', html, re.S)
    assert found is not None
    return unescape(found.group(1))


@pytest.mark.parametrize("role", [roles.CUSTOMER_CARE, roles.BILLING, roles.ADMINISTRATOR])
def test_staff_with_the_permission_add_a_note_that_shows_its_author(client, role):
    customer = make_customer(username="hubnote")
    author = make_staff(username="noter", role=role, first_name="Noa", last_name="Noter")
    client.force_login(author)
    url = reverse("backoffice:customer", args=[customer.account.number])
    response = client.post(
        reverse("backoffice:customer_note_add", args=[customer.account.number]),
        {"body": "Asked for a paper bill."},
    )
    assert response.status_code == 302
    assert response.url == url
    note = CustomerNote.objects.get()
    assert note.author == author
    assert note.account == customer.account
    assert AuditEvent.objects.filter(
        action="customer_note.added", actor=author, account_number=customer.account.number
    ).exists()
    notes = _notes_section(client.get(url).content.decode())
    assert "Asked for a paper bill." in notes
    assert "Noa Noter" in notes


def test_notes_are_listed_newest_first(client):
    customer = make_customer(username="ordered")
    client.force_login(make_staff(username="orderer", role=roles.CUSTOMER_CARE))
    add_url = reverse("backoffice:customer_note_add", args=[customer.account.number])
    start = clock.now()
    with clock.frozen(start):
        client.post(add_url, {"body": "First call."})
    with clock.frozen(start + dt.timedelta(minutes=5)):
        client.post(add_url, {"body": "Second call."})
    notes = _notes_section(
        client.get(reverse("backoffice:customer", args=[customer.account.number])).content.decode()
    )
    assert notes.index("Second call.") < notes.index("First call.")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write the note before adding it."),
        ("   ", "Write the note before adding it."),
        ("z" * (CustomerNote.MAX_LENGTH + 1), "2000"),
    ],
)
def test_an_empty_or_too_long_note_gets_a_form_error_and_nothing_is_saved(client, body, error):
    customer = make_customer(username="badnote")
    client.force_login(make_staff(username="badnoter", role=roles.CUSTOMER_CARE))
    response = client.post(
        reverse("backoffice:customer_note_add", args=[customer.account.number]), {"body": body}
    )
    assert response.status_code == 400
    notes = _notes_section(response.content.decode())
    assert 'class="errorlist' in notes
    assert error in notes
    assert not CustomerNote.objects.exists()
    assert not AuditEvent.objects.filter(action="customer_note.added").exists()


def test_a_role_without_the_permission_gets_403_and_no_note(client):
    customer = make_customer(username="nonote")
    client.force_login(make_staff(username="fielder", role=roles.FIELD_DISPATCH))
    hub = client.get(reverse("backoffice:customer", args=[customer.account.number])).content
    assert b"Add the note" not in hub  # no form offered
    response = client.post(
        reverse("backoffice:customer_note_add", args=[customer.account.number]),
        {"body": "Should not be saved."},
    )
    assert response.status_code == 403
    assert not CustomerNote.objects.exists()


def test_notes_cannot_be_changed_or_removed_from_the_hub(client):
    customer = make_customer(username="kept")
    client.force_login(make_staff(username="keeper", role=roles.ADMINISTRATOR))
    client.post(
        reverse("backoffice:customer_note_add", args=[customer.account.number]),
        {"body": "Kept as written."},
    )
    notes = _notes_section(
        client.get(reverse("backoffice:customer", args=[customer.account.number])).content.decode()
    )
    assert len(re.findall(r"<form\b", notes)) == 1  # the add form only
    assert "Delete" not in notes
    assert "Edit" not in notes


def test_the_note_field_is_labelled_without_a_colon(client):
    customer = make_customer(username="labelled")
    client.force_login(make_staff(username="labeller", role=roles.CUSTOMER_CARE))
    html = client.get(reverse("backoffice:customer", args=[customer.account.number])).content
    assert b'<label for="id_body">New note</label>' in html
