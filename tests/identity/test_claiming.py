"""Claiming an existing account with the bill's details: who gets in, and what an
outsider learns (nothing) when the details are wrong."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers.models import (
    AccountMember,
    AccountStatus,
    CustomerAccount,
    MemberRole,
)
from dropline.customers.permissions import can_manage_account, can_pay_bills, can_view_account
from dropline.identity import claiming
from dropline.notifications.models import ContactPoint
from tests.support.claiming import PASSWORD, unclaimed_account, with_typo
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db

IP = "198.51.100.7"


def claim(account: CustomerAccount | None = None, **overrides: str) -> User:
    details: dict[str, str] = {
        "account_number": account.number if account else "",
        "postal_code": "52240",
        "last_name": "Rivera",
        "username": "maria.r",
        "email": "maria@example.com",
        "password": PASSWORD,
    }
    details.update(overrides)
    return claiming.claim_account(**details, request_ip=IP, request=None).user


# Claiming ------------------------------------------------------------------------------------


def test_claiming_with_the_bills_details_makes_the_person_holder_with_an_unverified_email():
    account = unclaimed_account()
    user = claim(account)
    member = AccountMember.objects.get(user=user)
    assert member.account == account
    assert member.role == MemberRole.HOLDER
    assert user.check_password(PASSWORD)
    assert user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("maria@example.com", True, False)
    assert user.email == "maria@example.com"


@pytest.mark.parametrize(
    ("typed_number", "postal_code", "last_name", "name"),
    [
        ("{n}", "52240", "Rivera", "Maria Rivera"),
        ("{spaced}", "52240-1234", "RIVERA", "Maria Rivera"),
        ("{dashed}", " 52240 ", "  rivera ", "Maria Rivera"),
        ("{n}", "52240", "nunez", "José Núñez"),
        ("{n}", "52240", "García", "Ana García López"),
        ("{n}", "52240", "garcia-lopez", "Ana García López"),
        ("{n}", "52240", "O'Brien", "Sean O\u2019Brien"),
    ],
)
def test_what_a_person_types_is_read_the_way_they_mean_it(
    typed_number, postal_code, last_name, name
):
    account = unclaimed_account(name=name)
    number = account.number
    typed = typed_number.format(
        n=number,
        spaced=account.display_number,
        dashed=f"{number[:3]}-{number[3:7]}-{number[7:]}",
    )
    user = claim(account, account_number=typed, postal_code=postal_code, last_name=last_name)
    assert AccountMember.objects.get(user=user).account == account


def _wrong(account: CustomerAccount, case: str) -> dict[str, str]:
    return {
        "wrong number": {"account_number": "826 0000 0000"},
        "typo in number": {"account_number": with_typo(account.number)},
        "wrong zip": {"postal_code": "52241"},
        "short zip": {"postal_code": "5224"},
        "wrong name": {"last_name": "Rivers"},
        "given name": {"last_name": "Maria"},
        "empty name": {"last_name": " "},
    }[case]


WRONG = [
    "wrong number",
    "typo in number",
    "wrong zip",
    "short zip",
    "wrong name",
    "given name",
    "empty name",
]


@pytest.mark.parametrize("case", WRONG)
def test_wrong_details_give_the_one_generic_error_and_create_nothing(case):
    account = unclaimed_account()
    users_before = User.objects.count()
    with pytest.raises(claiming.NoMatchingAccountError) as caught:
        claim(account, **_wrong(account, case))
    assert str(caught.value) == str(claiming.NoMatchingAccountError())
    assert User.objects.count() == users_before
    assert not AccountMember.objects.filter(account=account).exists()
    assert not EmailAddress.objects.filter(email="maria@example.com").exists()


def test_an_account_that_already_has_a_holder_gives_the_same_generic_error():
    holder = make_customer(username="holder", name="Maria Rivera")
    with pytest.raises(claiming.NoMatchingAccountError) as caught:
        claim(holder.account, postal_code=holder.account.service_address.postal_code)
    assert str(caught.value) == str(claiming.NoMatchingAccountError())
    assert list(AccountMember.objects.filter(account=holder.account)) == [
        AccountMember.objects.get(user=holder.user)
    ]
    assert not User.objects.filter(username="maria.r").exists()


def test_a_closed_account_cannot_be_claimed():
    account = unclaimed_account()
    CustomerAccount.objects.filter(pk=account.pk).update(status=AccountStatus.CLOSED)
    with pytest.raises(claiming.NoMatchingAccountError):
        claim(account)


def _work(details: dict[str, str]) -> tuple[int, int]:
    """(password hashes, database queries) spent on one claim attempt that fails."""
    with (
        mock.patch.object(claiming, "make_password", wraps=claiming.make_password) as hashed,
        CaptureQueriesContext(connection) as queries,
        pytest.raises(claiming.NoMatchingAccountError),
    ):
        claiming.claim_account(**details, request_ip=None, request=None)
    # The rate-limit bookkeeping in the database cache is the same for every attempt
    # too, but its query count depends on what the cache held before; leave it out.
    lookups = [q for q in queries.captured_queries if "cache" not in q["sql"]]
    return hashed.call_count, len(lookups)


def test_every_failure_costs_the_same_work_a_password_hash_and_the_same_lookups():
    account = unclaimed_account()
    claimed = make_customer(username="claimed", name="Maria Rivera")
    base = {
        "account_number": account.number,
        "postal_code": "52240",
        "last_name": "Rivera",
        "username": "maria.r",
        "email": "maria@example.com",
        "password": PASSWORD,
    }
    cases = {case: {**base, **_wrong(account, case)} for case in WRONG}
    cases["already claimed"] = {**base, "account_number": claimed.account.number}
    work = {case: _work(details) for case, details in cases.items()}
    assert set(work.values()) == {work["wrong number"]}, work
    assert work["wrong number"][0] == 1


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short-pass1", "too short"),  # 11 characters
        ("maria.rivera", "similar to the username"),
        ("password1234", "too common"),
    ],
)
def test_password_rules_are_enforced_and_nothing_is_created(password, why):
    account = unclaimed_account()
    with pytest.raises(claiming.LoginDetailsError) as caught:
        claim(account, username="maria.rivera", password=password)
    assert list(caught.value.errors) == ["password"], why
    assert not User.objects.filter(username="maria.rivera").exists()
    assert not AccountMember.objects.filter(account=account).exists()


def test_eleven_characters_are_refused_and_twelve_accepted():
    account = unclaimed_account()
    with pytest.raises(claiming.LoginDetailsError):
        claim(account, password="kq8-vw3-zt1")
    assert len("kq8-vw3-zt1") == 11
    claim(account, password="kq8-vw3-zt1x")


def test_a_long_passphrase_is_accepted():
    account = unclaimed_account()
    user = claim(account, password="correct horse battery staple " * 4)
    assert user.check_password("correct horse battery staple " * 4)


def test_a_taken_username_or_email_is_said_only_once_the_details_match():
    make_customer(username="taken", email="taken@example.com")
    account = unclaimed_account()
    with pytest.raises(claiming.NoMatchingAccountError):
        claim(account, postal_code="99999", username="TAKEN", email="Taken@Example.com")
    with pytest.raises(claiming.LoginDetailsError) as caught:
        claim(account, username="TAKEN", email="Taken@Example.com")
    assert set(caught.value.errors) == {"username", "email"}
    assert not AccountMember.objects.filter(account=account).exists()


def test_claiming_revokes_the_holder_codes_waiting_for_the_account():
    from dropline.customers.invitations import issue_printed_code

    account = unclaimed_account()
    issued = issue_printed_code(account=account, created_by=None)
    claim(account)
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is not None


def test_a_signed_in_person_adds_an_account_they_hold_to_their_login():
    existing = make_customer(username="existing", name="Maria Rivera")
    second = unclaimed_account()
    member = claiming.claim_account_for_user(
        user=existing.user,
        account_number=second.number,
        postal_code="52240",
        last_name="Rivera",
        request_ip=IP,
    )
    assert (member.account, member.role) == (second, MemberRole.HOLDER)
    assert existing.user.memberships.count() == 2
    with pytest.raises(claiming.NoMatchingAccountError):
        claiming.claim_account_for_user(
            user=existing.user,
            account_number=second.number,
            postal_code="52240",
            last_name="Rivera",
            request_ip=IP,
        )


# Rate limits ---------------------------------------------------------------------------------


def test_attempts_on_one_account_number_are_limited_then_the_window_passes():
    account = unclaimed_account()
    start = clock.now()
    limit = claiming.CLAIMS_PER_ACCOUNT
    with clock.frozen(start):
        for attempt in range(limit.count):
            with pytest.raises(claiming.NoMatchingAccountError):
                claiming.claim_account(
                    account_number=account.display_number,
                    postal_code="00000",
                    last_name="Rivera",
                    username="maria.r",
                    email="maria@example.com",
                    password=PASSWORD,
                    request_ip=f"203.0.113.{attempt}",  # a different address each time
                )
        with pytest.raises(claiming.TooManyAttemptsError) as caught:
            claim(account)  # even with the right details
        assert caught.value.minutes == 15
    assert not AccountMember.objects.filter(account=account).exists()
    with clock.frozen(start + limit.window + dt.timedelta(seconds=1)):
        user = claim(account)
    assert AccountMember.objects.get(account=account).user == user


def test_attempts_from_one_ip_address_are_limited_across_account_numbers():
    account = unclaimed_account()
    start = clock.now()
    limit = claiming.CLAIMS_PER_IP
    with clock.frozen(start):
        for serial in range(limit.count):
            with pytest.raises(claiming.NoMatchingAccountError):
                claim(account, account_number=f"8260000{serial:04d}0")
        with pytest.raises(claiming.TooManyAttemptsError):
            claim(account)
        # Someone else, elsewhere, is not affected.
        other = unclaimed_account(name="Ana Lopez")
        claiming.claim_account(
            account_number=other.number,
            postal_code="52240",
            last_name="Lopez",
            username="ana",
            email="ana@example.com",
            password=PASSWORD,
            request_ip="192.0.2.55",
        )
    with clock.frozen(start + limit.window + dt.timedelta(seconds=1)):
        claim(account)
    assert AccountMember.objects.filter(account=account, role=MemberRole.HOLDER).exists()


def test_a_refused_attempt_does_not_extend_the_wait():
    account = unclaimed_account()
    start = clock.now()
    limit = claiming.CLAIMS_PER_ACCOUNT
    for minute in range(limit.count):
        with (
            clock.frozen(start + dt.timedelta(minutes=minute)),
            pytest.raises(claiming.NoMatchingAccountError),
        ):
            claim(account, postal_code="00000")
    for minute in range(limit.count, 15):
        with (
            clock.frozen(start + dt.timedelta(minutes=minute)),
            pytest.raises(claiming.TooManyAttemptsError),
        ):
            claim(account)
    # The first attempt leaves the window 15 minutes after it was made.
    with clock.frozen(start + limit.window + dt.timedelta(seconds=1)):
        claim(account)


# After the email is confirmed ------------------------------------------------------------


def test_the_confirmed_email_becomes_the_first_primary_notification_contact():
    account = unclaimed_account()
    user = claim(account)
    claiming.on_email_confirmed(user=user, email="maria@example.com")
    claiming.on_email_confirmed(user=user, email="maria@example.com")  # idempotent
    contact = ContactPoint.objects.get(user=user)
    assert contact.address == "maria@example.com"
    assert contact.is_primary
    assert contact.is_verified


# Who may do what ---------------------------------------------------------------------------


def test_holders_manage_the_account_and_authorized_users_only_view_and_pay():
    account = unclaimed_account()
    holder = AccountMember(account=account, role=MemberRole.HOLDER)
    authorized = AccountMember(account=account, role=MemberRole.AUTHORIZED)
    assert can_manage_account(holder)
    assert not can_manage_account(authorized)
    assert not can_manage_account(None)
    assert can_view_account(authorized)
    assert can_pay_bills(authorized)
    assert not can_view_account(None)
    assert not can_pay_bills(None)


def test_odd_characters_in_the_zip_code_are_just_a_mismatch():
    account = unclaimed_account()
    arabic_indic = "\u0665\u0662\u0662\u0664\u0660"
    fullwidth = "\uff15\uff12\uff12\uff14\uff10"
    superscript = "5224\u00b2"
    for typed in (arabic_indic, fullwidth, superscript):
        with pytest.raises(claiming.NoMatchingAccountError):
            claim(account, postal_code=typed)


def test_a_claim_answers_the_membership_and_audits_it_with_the_request():
    account = unclaimed_account()
    request = RequestFactory().post("/claim/", REMOTE_ADDR=IP, HTTP_USER_AGENT="Test/1.0")
    member = claiming.claim_account(
        account_number=account.number,
        postal_code="52240",
        last_name="Rivera",
        username="maria.r",
        email="maria@example.com",
        password=PASSWORD,
        request_ip=IP,
        request=request,
    )
    assert (member.account, member.role) == (account, MemberRole.HOLDER)
    event = AuditEvent.objects.get(action="account.claimed")
    assert (event.actor, event.account_number, event.ip_address) == (
        member.user,
        account.number,
        IP,
    )
    assert (event.user_agent, event.data) == ("Test/1.0", {"role": MemberRole.HOLDER})


def test_a_refused_claim_audits_nothing():
    account = unclaimed_account()
    with pytest.raises(claiming.NoMatchingAccountError):
        claim(account, last_name="Someone")
    assert not AuditEvent.objects.exists()
