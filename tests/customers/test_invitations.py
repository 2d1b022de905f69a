"""One-time invitation codes: printed by staff, emailed by the holder, used once."""

from __future__ import annotations

import datetime as dt
import re
import smtplib

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.utils import translation

from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers import invitations
from dropline.customers.models import AccountMember, InvitationCode, MemberRole
from dropline.identity import claiming
from tests.support.claiming import PASSWORD, unclaimed_account
from tests.support.factories import Customer, make_customer, make_user

pytestmark = pytest.mark.django_db

IP = "198.51.100.8"
INVITE_URL = "https://portal.example.net/account/invitation/"


@pytest.fixture
def household() -> Customer:
    return make_customer(username="maria", name="Maria Rivera")


def holder_of(customer: Customer) -> AccountMember:
    return AccountMember.objects.select_related("account", "user").get(user=customer.user)


def redeem(code: str, *, username: str = "jose", email: str = "jose@example.com") -> User:
    return claiming.redeem_invitation(
        code=code, username=username, email=email, password=PASSWORD, request_ip=IP
    ).user


def code_in(message: mail.EmailMessage) -> str:
    found = re.search(r"DRPL-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", str(message.body))
    assert found is not None, message.body
    return found.group(0)


# The code itself ----------------------------------------------------------------------------


def test_codes_are_grouped_from_an_unambiguous_alphabet_and_differ_each_time():
    codes = {invitations.generate_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"DRPL-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
        assert not set(code[5:]) & set("01IO")


@pytest.mark.parametrize(
    "typed",
    ["DRPL-7KQ4-MZ2X-H9TB", "drpl 7kq4 mz2x h9tb", "7KQ4MZ2XH9TB", " 7kq4-mz2x-h9tb "],
)
def test_a_code_is_read_however_it_is_typed(typed):
    assert invitations.normalize_code(typed) == "7KQ4MZ2XH9TB"
    assert invitations.hash_code(typed) == invitations.hash_code("DRPL-7KQ4-MZ2X-H9TB")


@pytest.mark.parametrize(
    "typed", ["", "DRPL-7KQ4-MZ2X-H9T", "7KQ4-MZ2X", "DRPL-7KQ4-MZ2X-H9T0", "X" * 40]
)
def test_what_cannot_be_a_code_normalizes_to_nothing(typed):
    assert invitations.normalize_code(typed) == ""


def test_only_a_hash_of_the_code_is_stored(household):
    issued = invitations.issue_printed_code(
        account=household.account, created_by=None, role=MemberRole.AUTHORIZED
    )
    body = invitations.normalize_code(issued.code)
    table = InvitationCode._meta.db_table
    with connection.cursor() as cursor:
        # The table name is our own model's, not input.
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    stored = " ".join(str(value) for row in rows for value in row)
    assert issued.code not in stored
    assert body not in stored
    assert issued.invitation.code_hash == invitations.hash_code(issued.code)
    assert len(issued.invitation.code_hash) == 64


# Printed codes -------------------------------------------------------------------------------


def test_a_printed_holder_code_makes_its_redeemer_the_holder_once():
    account = unclaimed_account()
    issued = invitations.issue_printed_code(account=account, created_by=None)
    assert issued.invitation.expires_at - issued.invitation.created_at == dt.timedelta(days=30)
    user = redeem(issued.code.lower())
    member = AccountMember.objects.get(user=user)
    assert (member.account, member.role) == (account, MemberRole.HOLDER)
    assert not EmailAddress.objects.get(user=user).verified
    issued.invitation.refresh_from_db()
    assert issued.invitation.used_at is not None
    assert issued.invitation.used_by == user
    with pytest.raises(claiming.InvitationCodeError, match="already been used"):
        redeem(issued.code, username="someone", email="someone@example.com")
    assert not User.objects.filter(username="someone").exists()


def test_a_new_printed_holder_code_replaces_the_earlier_one():
    account = unclaimed_account()
    first = invitations.issue_printed_code(account=account, created_by=None)
    second = invitations.issue_printed_code(account=account, created_by=None)
    with pytest.raises(claiming.InvitationCodeError, match="recognize"):
        redeem(first.code)
    redeem(second.code)


def test_no_holder_code_for_an_account_that_has_a_holder(household):
    with pytest.raises(invitations.InvitationError):
        invitations.issue_printed_code(account=household.account, created_by=None)
    assert not InvitationCode.objects.exists()


def test_a_holder_code_stops_working_once_someone_else_claimed_the_account():
    account = unclaimed_account()
    issued = invitations.issue_printed_code(account=account, created_by=None)
    # Made before the claim, kept outside the revocation that claiming does.
    InvitationCode.objects.filter(pk=issued.invitation.pk).update(revoked_at=None)
    other = make_user(username="first")
    AccountMember.objects.create(account=account, user=other, role=MemberRole.HOLDER)
    with pytest.raises(claiming.InvitationCodeError, match="already has a holder"):
        redeem(issued.code)
    assert not User.objects.filter(username="jose").exists()


def test_a_code_expires():
    account = unclaimed_account()
    start = clock.now()
    with clock.frozen(start):
        issued = invitations.issue_printed_code(account=account, created_by=None)
    with (
        clock.frozen(start + invitations.PRINTED_CODE_LIFETIME),
        pytest.raises(claiming.InvitationCodeError, match="expired"),
    ):
        redeem(issued.code)
    with clock.frozen(start + invitations.PRINTED_CODE_LIFETIME - dt.timedelta(minutes=1)):
        redeem(issued.code)


def test_a_revoked_code_does_not_work():
    account = unclaimed_account()
    issued = invitations.issue_printed_code(account=account, created_by=None)
    invitations.revoke_invitation(by=None, invitation=issued.invitation)
    with pytest.raises(claiming.InvitationCodeError, match="recognize"):
        redeem(issued.code)
    with pytest.raises(invitations.InvitationError):
        invitations.revoke_invitation(by=None, invitation=issued.invitation)


def test_an_unknown_code_is_refused_and_creates_nothing():
    unclaimed_account()
    with pytest.raises(claiming.InvitationCodeError, match="recognize"):
        redeem("DRPL-AAAA-BBBB-CCCC")
    with pytest.raises(claiming.InvitationCodeError, match="recognize"):
        redeem("not a code")
    assert not User.objects.filter(username="jose").exists()


def test_password_rules_apply_to_codes_too_and_leave_the_code_unused():
    account = unclaimed_account()
    issued = invitations.issue_printed_code(account=account, created_by=None)
    with pytest.raises(claiming.LoginDetailsError) as caught:
        claiming.redeem_invitation(
            code=issued.code,
            username="jose",
            email="jose@example.com",
            password="short-pass1",
            request_ip=IP,
        )
    assert list(caught.value.errors) == ["password"]
    issued.invitation.refresh_from_db()
    assert issued.invitation.used_at is None
    assert not User.objects.filter(username="jose").exists()


def test_redeeming_is_rate_limited_per_ip_address():
    start = clock.now()
    limit = claiming.REDEMPTIONS_PER_IP
    with clock.frozen(start):
        for _ in range(limit.count):
            with pytest.raises(claiming.InvitationCodeError):
                redeem("DRPL-AAAA-BBBB-CCCC")
        with pytest.raises(claiming.TooManyAttemptsError):
            redeem("DRPL-AAAA-BBBB-CCCC")
    with (
        clock.frozen(start + limit.window + dt.timedelta(seconds=1)),
        pytest.raises(claiming.InvitationCodeError),
    ):
        redeem("DRPL-AAAA-BBBB-CCCC")


# Invitations by email -------------------------------------------------------------------------


def test_the_holder_invites_an_authorized_user_by_email(household):
    issued = invitations.invite_by_email(
        by=holder_of(household), email="Jose@Example.com", invite_url=INVITE_URL
    )
    assert issued.invitation.email == "jose@example.com"
    assert issued.invitation.role == MemberRole.AUTHORIZED
    assert issued.invitation.created_by == household.user
    assert issued.invitation.expires_at - issued.invitation.created_at == dt.timedelta(days=7)
    (message,) = mail.outbox
    assert message.to == ["jose@example.com"]
    assert INVITE_URL in str(message.body)
    assert code_in(message) == issued.code
    user = redeem(code_in(message))
    member = AccountMember.objects.get(user=user)
    assert (member.account, member.role) == (household.account, MemberRole.AUTHORIZED)


def test_the_invitation_is_written_in_the_accounts_language(household, monkeypatch):
    household.account.preferred_language = "es"
    household.account.save()
    seen: list[str | None] = []
    render = invitations.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(invitations, "render_to_string", spy)
    with translation.override("en"):
        invitations.invite_by_email(
            by=holder_of(household), email="jose@example.com", invite_url=INVITE_URL
        )
        assert translation.get_language() == "en"
    assert seen == ["es", "es"]


def test_inviting_the_same_address_again_replaces_the_earlier_invitation(household):
    holder = holder_of(household)
    first = invitations.invite_by_email(by=holder, email="jose@example.com", invite_url=INVITE_URL)
    second = invitations.invite_by_email(by=holder, email="jose@example.com", invite_url=INVITE_URL)
    assert invitations.pending_invitations(account=household.account) == [second.invitation]
    with pytest.raises(claiming.InvitationCodeError):
        redeem(first.code)


def test_an_authorized_user_cannot_invite(household):
    authorized = make_user(username="jose")
    member = AccountMember.objects.create(
        account=household.account, user=authorized, role=MemberRole.AUTHORIZED
    )
    with pytest.raises(invitations.NotAllowedError):
        invitations.invite_by_email(by=member, email="ana@example.com", invite_url=INVITE_URL)
    assert not InvitationCode.objects.exists()
    assert mail.outbox == []


def test_someone_already_on_the_account_is_not_invited_again(household):
    with pytest.raises(invitations.InvitationError, match="already on the account"):
        invitations.invite_by_email(
            by=holder_of(household), email="MARIA@example.com", invite_url=INVITE_URL
        )
    assert not InvitationCode.objects.exists()


def test_an_invitation_that_cannot_be_sent_is_not_kept(household, monkeypatch):
    def fail(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr(invitations, "send_mail", fail)
    with pytest.raises(invitations.InvitationError, match="could not send"):
        invitations.invite_by_email(
            by=holder_of(household), email="jose@example.com", invite_url=INVITE_URL
        )
    assert not InvitationCode.objects.exists()


def test_invalid_email_is_refused(household):
    with pytest.raises(invitations.InvitationError, match="valid email"):
        invitations.invite_by_email(by=holder_of(household), email="jose@", invite_url=INVITE_URL)


def test_the_number_of_waiting_invitations_is_capped(household):
    holder = holder_of(household)
    for n in range(invitations.MAX_PENDING_INVITATIONS):
        invitations.invite_by_email(by=holder, email=f"p{n}@example.com", invite_url=INVITE_URL)
    with pytest.raises(invitations.InvitationError, match="Revoke one"):
        invitations.invite_by_email(by=holder, email="more@example.com", invite_url=INVITE_URL)


def test_a_signed_in_person_accepts_an_invitation_with_their_login(household):
    other = make_customer(username="jose", name="Jose Rivera")
    issued = invitations.invite_by_email(
        by=holder_of(household), email="jose@example.com", invite_url=INVITE_URL
    )
    member = claiming.accept_invitation(code=issued.code, user=other.user, request_ip=IP)
    assert (member.account, member.role) == (household.account, MemberRole.AUTHORIZED)
    assert other.user.memberships.count() == 2
    with pytest.raises(claiming.InvitationCodeError):
        claiming.accept_invitation(code=issued.code, user=other.user, request_ip=IP)


# Removing people -------------------------------------------------------------------------------


def test_the_holder_removes_an_authorized_user_but_never_the_holder(household):
    holder = holder_of(household)
    jose = AccountMember.objects.create(
        account=household.account, user=make_user(username="jose"), role=MemberRole.AUTHORIZED
    )
    with pytest.raises(invitations.InvitationError):
        invitations.remove_member(by=holder, member=holder)
    invitations.remove_member(by=holder, member=jose)
    assert list(AccountMember.objects.filter(account=household.account)) == [holder]
    assert User.objects.filter(username="jose").exists()  # the login stays


def test_an_authorized_user_cannot_remove_anyone(household):
    holder = holder_of(household)
    jose = AccountMember.objects.create(
        account=household.account, user=make_user(username="jose"), role=MemberRole.AUTHORIZED
    )
    ana = AccountMember.objects.create(
        account=household.account, user=make_user(username="ana"), role=MemberRole.AUTHORIZED
    )
    for target in (holder, ana):
        with pytest.raises(invitations.NotAllowedError):
            invitations.remove_member(by=jose, member=target)
    assert AccountMember.objects.filter(account=household.account).count() == 3


def test_a_holder_cannot_remove_someone_from_another_account(household):
    other = make_customer(username="other", name="Other Household")
    stranger = AccountMember.objects.create(
        account=other.account, user=make_user(username="stranger"), role=MemberRole.AUTHORIZED
    )
    with pytest.raises(invitations.NotAllowedError):
        invitations.remove_member(by=holder_of(household), member=stranger)
    assert AccountMember.objects.filter(pk=stranger.pk).exists()


def test_people_are_listed_holder_first(household):
    jose = AccountMember.objects.create(
        account=household.account, user=make_user(username="aaron"), role=MemberRole.AUTHORIZED
    )
    people = invitations.people_on_account(account=household.account)
    assert people == [holder_of(household), jose]


def test_invitation_emails_are_rate_limited_per_account_for_a_day(household):
    holder = holder_of(household)
    start = clock.now()
    limit = invitations.INVITATIONS_PER_ACCOUNT
    with clock.frozen(start):
        for _ in range(limit.count):
            invitations.invite_by_email(by=holder, email="jose@example.com", invite_url=INVITE_URL)
        with pytest.raises(invitations.InvitationError, match="many invitations"):
            invitations.invite_by_email(by=holder, email="jose@example.com", invite_url=INVITE_URL)
    assert len(mail.outbox) == limit.count
    with clock.frozen(start + dt.timedelta(days=1, seconds=1)):
        invitations.invite_by_email(by=holder, email="jose@example.com", invite_url=INVITE_URL)


def test_each_change_to_the_people_is_audited_once_with_who_and_where(household, rf):
    """The portal, the app and the back-office call the same functions, so the audit
    trail is the same whichever way the holder (or staff) went."""
    holder = holder_of(household)
    request = rf.post("/", REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="Firefox")
    request.user = holder.user
    issued = invitations.invite_by_email(by=holder, email="jose@example.com", request=request)
    assert INVITE_URL not in mail.outbox[-1].body
    assert "/account/invitation/" in mail.outbox[-1].body  # the portal's redeem page
    invitations.revoke_invitation(by=holder, invitation=issued.invitation, request=request)
    jose = AccountMember.objects.create(
        account=household.account, user=make_user(username="jose"), role=MemberRole.AUTHORIZED
    )
    invitations.remove_member(by=holder, member=jose, request=request)
    printed = invitations.issue_printed_code(
        account=household.account, created_by=holder.user, role=MemberRole.AUTHORIZED
    )
    invitations.revoke_invitation(by=None, invitation=printed.invitation)

    trail = list(
        AuditEvent.objects.order_by("id").values_list("action", "actor_label", "ip_address")
    )
    assert trail == [
        ("invitation.sent", "maria", "198.51.100.23"),
        ("invitation.revoked", "maria", "198.51.100.23"),
        ("member.removed", "maria", "198.51.100.23"),
        ("invitation_code.created", "maria", None),
        ("invitation_code.revoked", "", None),
    ]
    with pytest.raises(invitations.InvitationError):
        invitations.revoke_invitation(by=holder, invitation=issued.invitation, request=request)
    assert AuditEvent.objects.count() == 5  # a refused change is not recorded
