"""Proving an address with a one-time code: the right code works, guessing does not."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail

from dropline.core import clock
from dropline.notifications.contacts import (
    CODE_LIFETIME,
    MAX_CODE_ATTEMPTS,
    MAX_CODES_PER_HOUR,
    ContactError,
    add_contact,
    make_primary,
    remove_contact,
    send_verification_code,
    verify_code,
)
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    ContactVerification,
    SimulatedSms,
)
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 1, 15, 16, 0, tzinfo=dt.UTC)
CODE = re.compile(r"\b(\d{6})\b")


def _code_from_sms(number: str) -> str:
    text = SimulatedSms.objects.filter(to=number).order_by("-sent_at", "-id").first()
    assert text is not None
    match = CODE.search(text.body)
    assert match is not None, text.body
    return match.group(1)


def _code_from_mail(index: int = -1) -> str:
    match = CODE.search(str(mail.outbox[index].body))
    assert match is not None
    return match.group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def maria(db: None):
    return make_user(username="maria")


def test_a_mobile_number_is_verified_with_the_code_texted_to_it(maria):
    phone = add_contact(user=maria, kind=ContactKind.PHONE, address="(319) 555-0142")
    assert phone.address == "+13195550142"
    assert not phone.is_verified

    with clock.frozen(NOW):
        send_verification_code(contact=phone)
    code = _code_from_sms("+13195550142")
    stored = ContactVerification.objects.get(contact=phone)
    assert code not in stored.code_hash  # only a hash is kept

    with clock.frozen(NOW + dt.timedelta(minutes=3)):
        verify_code(contact=phone, code=f" {code} ")
    phone.refresh_from_db()
    assert phone.verified_at == NOW + dt.timedelta(minutes=3)
    assert phone.is_primary  # the first verified number becomes the primary one
    assert phone.status == ContactStatus.OK

    # a code works once
    with pytest.raises(ContactError), clock.frozen(NOW + dt.timedelta(minutes=4)):
        verify_code(contact=phone, code=code)


def test_an_email_address_is_verified_with_the_code_mailed_to_it(maria):
    address = add_contact(user=maria, kind=ContactKind.EMAIL, address="Maria@Example.COM")
    assert address.address == "Maria@example.com"
    with clock.frozen(NOW):
        send_verification_code(contact=address)
    assert [m.to for m in mail.outbox] == [["Maria@example.com"]]
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    with clock.frozen(NOW + dt.timedelta(minutes=1)):
        verify_code(contact=address, code=_code_from_mail())
    address.refresh_from_db()
    assert address.is_verified


def test_a_wrong_code_is_refused_and_leaves_the_address_unverified(maria):
    phone = add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550142")
    with clock.frozen(NOW):
        send_verification_code(contact=phone)
        code = _code_from_sms(phone.address)
        with pytest.raises(ContactError, match="not right"):
            verify_code(contact=phone, code=_wrong(code))
        phone.refresh_from_db()
        assert not phone.is_verified
        verify_code(contact=phone, code=code)  # one slip does not lock the person out
    phone.refresh_from_db()
    assert phone.is_verified


def test_each_wrong_code_is_counted(maria):
    phone = add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550142")
    with clock.frozen(NOW):
        send_verification_code(contact=phone)
        code = _code_from_sms(phone.address)
        for _ in range(2):
            with pytest.raises(ContactError):
                verify_code(contact=phone, code=_wrong(code))
    assert ContactVerification.objects.get(contact=phone).attempts == 2


def test_five_wrong_codes_block_even_the_right_one(maria):
    phone = add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550142")
    with clock.frozen(NOW):
        send_verification_code(contact=phone)
        code = _code_from_sms(phone.address)
        for _ in range(MAX_CODE_ATTEMPTS):
            with pytest.raises(ContactError, match="not right"):
                verify_code(contact=phone, code=_wrong(code))
        with pytest.raises(ContactError, match="Too many wrong codes"):
            verify_code(contact=phone, code=code)
    phone.refresh_from_db()
    assert not phone.is_verified


def test_a_code_stored_as_a_password_hash_before_still_works(maria):
    """Codes sent before the shared code service were kept as password hashes."""
    phone = add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550142")
    ContactVerification.objects.create(
        contact=phone,
        code_hash=make_password("424242"),
        created_at=NOW,
        expires_at=NOW + CODE_LIFETIME,
    )
    with clock.frozen(NOW + dt.timedelta(minutes=1)):
        verify_code(contact=phone, code="424242")
    phone.refresh_from_db()
    assert phone.is_verified


def test_an_expired_code_is_refused(maria, distinct_codes):
    phone = add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550142")
    with clock.frozen(NOW):
        send_verification_code(contact=phone)
    code = _code_from_sms(phone.address)
    with clock.frozen(NOW + CODE_LIFETIME), pytest.raises(ContactError, match="expired"):
        verify_code(contact=phone, code=code)
    phone.refresh_from_db()
    assert not phone.is_verified

    # a fresh code works, and the old one does not come back to life
    later = NOW + CODE_LIFETIME + dt.timedelta(minutes=1)
    with clock.frozen(later):
        send_verification_code(contact=phone)
    fresh = _code_from_sms(phone.address)
    assert fresh != code
    with clock.frozen(later), pytest.raises(ContactError):
        verify_code(contact=phone, code=code)
    with clock.frozen(later + dt.timedelta(minutes=14)):
        verify_code(contact=phone, code=fresh)
    phone.refresh_from_db()
    assert phone.is_verified


def test_only_the_latest_code_counts(maria, distinct_codes):
    address = add_contact(user=maria, kind=ContactKind.EMAIL, address="maria@example.org")
    with clock.frozen(NOW):
        send_verification_code(contact=address)
    with clock.frozen(NOW + dt.timedelta(minutes=1)):
        send_verification_code(contact=address)
    first, second = _code_from_mail(0), _code_from_mail(1)
    assert first != second
    with clock.frozen(NOW + dt.timedelta(minutes=2)), pytest.raises(ContactError):
        verify_code(contact=address, code=first)
    with clock.frozen(NOW + dt.timedelta(minutes=2)):
        verify_code(contact=address, code=second)


def test_too_many_codes_in_an_hour_are_refused(maria):
    address = add_contact(user=maria, kind=ContactKind.EMAIL, address="maria@example.org")
    for minute in range(MAX_CODES_PER_HOUR):
        with clock.frozen(NOW + dt.timedelta(minutes=minute)):
            send_verification_code(contact=address)
    with (
        clock.frozen(NOW + dt.timedelta(minutes=59)),
        pytest.raises(ContactError, match="Too many codes"),
    ):
        send_verification_code(contact=address)
    assert len(mail.outbox) == MAX_CODES_PER_HOUR  # the refused one was not sent

    # an hour after the first, one more may go
    with clock.frozen(NOW + dt.timedelta(hours=1, seconds=1)):
        send_verification_code(contact=address)
    assert len(mail.outbox) == MAX_CODES_PER_HOUR + 1


def test_the_limit_is_per_address(maria):
    first = add_contact(user=maria, kind=ContactKind.EMAIL, address="one@example.org")
    second = add_contact(user=maria, kind=ContactKind.EMAIL, address="two@example.org")
    for minute in range(MAX_CODES_PER_HOUR):
        with clock.frozen(NOW + dt.timedelta(minutes=minute)):
            send_verification_code(contact=first)
    with clock.frozen(NOW + dt.timedelta(minutes=10)):
        send_verification_code(contact=second)
    assert mail.outbox[-1].to == ["two@example.org"]


def test_a_number_that_cannot_take_texts_says_so(maria):
    phone = add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550199")
    with clock.frozen(NOW), pytest.raises(ContactError, match="could not send"):
        send_verification_code(contact=phone)
    assert not SimulatedSms.objects.exists()


@pytest.mark.parametrize(
    ("kind", "address"),
    [
        (ContactKind.EMAIL, "not-an-address"),
        (ContactKind.PHONE, "12"),
        (ContactKind.PHONE, "+1 000 000 0000"),
        ("fax", "+13195550142"),
    ],
)
def test_invalid_addresses_are_refused_with_a_reason(maria, kind, address):
    with pytest.raises(ContactError):
        add_contact(user=maria, kind=kind, address=address)
    assert not ContactPoint.objects.exists()


def test_the_same_address_cannot_be_added_twice(maria):
    add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550142")
    with pytest.raises(ContactError, match="already added"):
        add_contact(user=maria, kind=ContactKind.PHONE, address="(319) 555-0142")


def test_only_a_verified_address_can_be_primary_and_removing_it_promotes_another(maria):
    with clock.frozen(NOW):
        one = add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550142")
        two = add_contact(user=maria, kind=ContactKind.PHONE, address="+13195550143")
        with pytest.raises(ContactError):
            make_primary(contact=two)
        for contact in (one, two):
            send_verification_code(contact=contact)
            verify_code(contact=contact, code=_code_from_sms(contact.address))
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.is_primary, two.is_primary) == (True, False)
    make_primary(contact=two)
    assert list(
        ContactPoint.objects.filter(user=maria, is_primary=True).values_list("address", flat=True)
    ) == ["+13195550143"]
    two.refresh_from_db()
    remove_contact(contact=two)
    one.refresh_from_db()
    assert one.is_primary
