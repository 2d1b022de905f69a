"""Internal notes on an account: written once with their author, audited, refused
when empty or too long (and then nothing is saved)."""

from __future__ import annotations

import pytest

from dropline.accounts import roles
from dropline.core.models import AuditEvent
from dropline.customers.models import CustomerNote
from dropline.customers.notes import NoteError, add_note
from dropline.customers.queries import NOTES_SHOWN, notes_for
from tests.support.factories import make_customer
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


def test_a_note_keeps_its_author_and_is_audited():
    customer = make_customer(username="noted")
    author = make_staff(
        username="writer", role=roles.CUSTOMER_CARE, first_name="Casey", last_name="Care"
    )
    note = add_note(account=customer.account, author=author, body="  Prefers a call after 5 pm. ")
    assert note.body == "Prefers a call after 5 pm."
    assert note.author == author
    assert note.author_name == "Casey Care"
    event = AuditEvent.objects.get(action="customer_note.added")
    assert event.actor == author
    assert event.account_number == customer.account.number
    assert event.data == {"note_id": note.pk}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "Write the note"),
        ("   \n ", "Write the note"),
        ("x" * (CustomerNote.MAX_LENGTH + 1), "at most 2000 characters"),
    ],
)
def test_an_empty_or_too_long_note_is_refused_and_nothing_is_saved(body, reason):
    customer = make_customer(username="refused")
    author = make_staff(username="refuser", role=roles.CUSTOMER_CARE)
    with pytest.raises(NoteError, match=reason):
        add_note(account=customer.account, author=author, body=body)
    assert not CustomerNote.objects.exists()
    assert not AuditEvent.objects.filter(action="customer_note.added").exists()


def test_a_note_of_exactly_the_limit_is_kept():
    customer = make_customer(username="limit")
    author = make_staff(username="limiter", role=roles.BILLING)
    note = add_note(account=customer.account, author=author, body="y" * CustomerNote.MAX_LENGTH)
    assert len(note.body) == CustomerNote.MAX_LENGTH


def test_notes_are_read_newest_first_bounded_and_per_account():
    customer = make_customer(username="many")
    other = make_customer(username="othernotes")
    author = make_staff(username="prolific", role=roles.CUSTOMER_CARE)
    for n in range(NOTES_SHOWN + 3):
        add_note(account=customer.account, author=author, body=f"Note {n}")
    add_note(account=other.account, author=author, body="Someone else's")
    notes = notes_for(account=customer.account)
    assert len(notes) == NOTES_SHOWN
    assert notes[0].body == f"Note {NOTES_SHOWN + 2}"
    assert all(note.account_id == customer.account.pk for note in notes)
