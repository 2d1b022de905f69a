"""The contact use-cases both edges call: adding with its code in one transaction,
confirming and removing with their security event, the owner-scoped look-up."""

from __future__ import annotations

import re

import pytest
from django.http import Http404

from dropline.accounts.models import SecurityEvent, SecurityEventKind
from dropline.identity import contacts as contact_changes
from dropline.notifications import contacts as contact_points
from dropline.notifications import queries
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    ContactVerification,
    SimulatedSms,
)
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(db: None):
    return make_user(username="maria")


def _texted_code(number: str) -> str:
    text = SimulatedSms.objects.filter(to=number).order_by("-sent_at", "-id").first()
    assert text is not None
    found = re.search(r"\b(\d{6})\b", text.body)
    assert found is not None
    return found.group(1)


def test_adding_sends_a_code_and_keeps_nothing_when_it_cannot_be_sent(maria):
    phone = contact_points.add_and_send_code(
        user=maria, kind=ContactKind.PHONE, address="(319) 555-0142"
    )
    assert ContactVerification.objects.filter(contact=phone).count() == 1
    assert queries.contact_state(phone) == "pending"
    assert queries.needs_code(phone)
    assert queries.shown_address(phone) == "(319) 555-0142"

    with pytest.raises(contact_points.ContactError, match="could not send"):
        contact_points.add_and_send_code(user=maria, kind=ContactKind.PHONE, address="+13195550199")
    assert not ContactPoint.objects.filter(address="+13195550199").exists()
    assert not ContactVerification.objects.exclude(contact=phone).exists()


def test_confirming_records_the_security_event_and_a_wrong_code_still_counts(maria):
    phone = contact_points.add_and_send_code(
        user=maria, kind=ContactKind.PHONE, address="+13195550142"
    )
    code = _texted_code("+13195550142")
    with pytest.raises(contact_points.ContactError):
        contact_changes.verify(
            contact=phone, code=f"{(int(code) + 1) % 1_000_000:06d}", request=None
        )
    assert ContactVerification.objects.get(contact=phone).attempts == 1
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PHONE_CHANGED).exists()

    contact_changes.verify(contact=phone, code=code, request=None)
    assert phone.is_verified  # read again
    assert phone.is_primary
    assert queries.contact_state(phone) == "verified"
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PHONE_CHANGED, user=maria)
    assert event.data["added"].endswith("0142")


def test_removing_records_an_event_only_for_a_confirmed_address(maria):
    pending = contact_points.add_contact(
        user=maria, kind=ContactKind.EMAIL, address="maria@example.com"
    )
    contact_changes.remove(contact=pending, request=None)
    assert not SecurityEvent.objects.exists()

    confirmed = contact_points.add_verified_contact(
        user=maria, kind=ContactKind.EMAIL, address="maria@example.net", primary=True
    )
    other = contact_points.add_verified_contact(
        user=maria, kind=ContactKind.EMAIL, address="maria@example.org", primary=False
    )
    contact_changes.remove(contact=confirmed, request=None)
    assert list(ContactPoint.objects.filter(user=maria)) == [other]
    assert (
        SecurityEvent.objects.filter(kind=SecurityEventKind.EMAIL_CHANGED, user=maria).count() == 1
    )


def test_undeliverable_is_its_own_state_and_needs_a_code(maria):
    confirmed = contact_points.add_verified_contact(
        user=maria, kind=ContactKind.EMAIL, address="maria@example.com", primary=True
    )
    assert not queries.needs_code(confirmed)
    confirmed.status = ContactStatus.UNDELIVERABLE
    assert queries.contact_state(confirmed) == "undeliverable"
    assert queries.needs_code(confirmed)


def test_another_persons_contact_is_not_found(maria):
    theirs = contact_points.add_contact(
        user=make_user(username="other"), kind=ContactKind.EMAIL, address="o@example.com"
    )
    with pytest.raises(Http404):
        queries.own_contact(user=maria, contact_id=theirs.pk)
    assert queries.own_contact(user=theirs.user, contact_id=theirs.pk) == theirs
