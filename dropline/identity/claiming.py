"""Getting a login for an existing customer account.

Two ways in:

* **Claiming** with what is printed on the bill: the account number, the service
  address ZIP code and the holder's last name. The person becomes the account holder.
* **Redeeming an invitation code** that staff printed or read out (holder) or that the
  holder emailed (authorized user).

Claiming must not tell anyone whether an account exists. A wrong number (or one with
a typo the check digit catches), a wrong ZIP, a wrong name, a closed account and an
account that already has a holder all raise the same ``NoMatchingAccountError`` after the same
work: the password is always hashed and the same two lookups always run. Attempts are
limited per IP address and per account number (``core.ratelimit``).

These functions create the records and write the audit log (``account.claimed``,
``invitation.redeemed``), in one transaction, with the email address unverified, and
answer the new membership. The caller then signs a new login in through allauth
(``allauth.account.utils.complete_signup``), whose mandatory email verification stage
sends the confirmation and keeps the portal closed until the address is confirmed.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts import logins
from dropline.accounts.models import User
from dropline.core import audit, clock, ratelimit
from dropline.customers.invitations import hash_code, normalize_code, revoke_pending_holder_codes
from dropline.customers.models import (
    AccountMember,
    AccountStatus,
    CustomerAccount,
    InvitationCode,
    MemberRole,
)
from dropline.customers.numbering import normalize_account_number
from dropline.notifications.contacts import add_verified_contact

CLAIMS_PER_IP = ratelimit.Limit.per("claim_account:ip", 20, dt.timedelta(hours=1))
CLAIMS_PER_ACCOUNT = ratelimit.Limit.per("claim_account:number", 5, dt.timedelta(minutes=15))
REDEMPTIONS_PER_IP = ratelimit.Limit.per("redeem_invitation:ip", 20, dt.timedelta(hours=1))

# Words a household's name may carry that are not the holder's last name.
_NOT_A_NAME = frozenset({"household", "family", "familia", "hogar", "residence", "the"})


class ClaimError(ValueError):
    """Getting a login did not work; ``str()`` is the message for the person."""


class NoMatchingAccountError(ClaimError):
    """The details match no account that can be claimed. Deliberately says no more."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "We could not match those details to an account that can be claimed. "
                "Check the account number, ZIP code and last name on your bill and try "
                "again. If the account already has a login, ask its holder to invite you."
            )
        )


class TooManyAttemptsError(ClaimError):
    def __init__(self, minutes: int) -> None:
        super().__init__(
            _("Too many attempts. For your security, wait %(minutes)s minutes and try again.")
            % {"minutes": minutes}
        )
        self.minutes = minutes


class InvitationCodeError(ClaimError):
    """The code cannot be used; the message says why (unknown, used, expired)."""


class LoginDetailsError(ClaimError):
    """Input the person must correct: ``errors`` maps a field name to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(message for messages in errors.values() for message in messages))
        self.errors = errors


# Input -----------------------------------------------------------------------------------


def _name_tokens(text: str) -> list[str]:
    """Treat "García-López" and "garcia lopez" alike: accents, case, apostrophes and
    hyphens do not matter."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("'", "").replace("\u2019", "")
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return [word for word in words if word not in _NOT_A_NAME]


def last_name_matches(*, account_name: str, typed: str) -> bool:
    """Whether ``typed`` is the holder's last name in ``account_name`` ("Maria Rivera").

    It must be the last word or words of the name; with three or more words, the word
    or words just before the last also count, for two-surname names ("Ana García
    López" matches "García", "López" and "García López"). The first word alone, the
    given name, never matches.
    """
    name = _name_tokens(account_name)
    wanted = _name_tokens(typed)
    count = len(wanted)
    if not count or not name or count > len(name):
        return False
    if name[-count:] == wanted and (count < len(name) or len(name) == 1):
        return True
    return len(name) >= 3 and count <= len(name) - 2 and name[-count - 1 : -1] == wanted


def _zip5(text: str) -> str:
    return "".join(ch for ch in text if ch in "0123456789")[:5]


def _throttle(limit: ratelimit.Limit, key: str) -> None:
    try:
        ratelimit.enforce(limit, key)
    except ratelimit.ThrottledError as exc:
        raise TooManyAttemptsError(exc.minutes) from None


def _audit(*, action: str, member: AccountMember, request: HttpRequest | None) -> None:
    audit.record(
        action=action,
        request=request,
        actor=member.user,
        target=member.account,
        account_number=member.account.number,
        data={"role": member.role},
    )


# Claiming with the bill's details ---------------------------------------------------------


def _claimable_account(*, number: str, postal_code: str, last_name: str) -> CustomerAccount | None:
    """The account these details open, or None. Always the same two queries and the
    same comparisons, whether or not the account exists."""
    account = (
        CustomerAccount.objects.select_for_update(of=("self",))
        .select_related("service_address")
        .filter(number=number)
        .first()
    )
    has_holder = AccountMember.objects.filter(
        account__number=number, role=MemberRole.HOLDER
    ).exists()
    zip_ok = secrets.compare_digest(
        _zip5(account.service_address.postal_code if account else "").ljust(5, "-"),
        _zip5(postal_code).ljust(5, "+"),
    )
    name_ok = last_name_matches(account_name=account.name if account else "", typed=last_name)
    if account is None or has_holder or not zip_ok or not name_ok:
        return None
    if account.status == AccountStatus.CLOSED:
        return None
    return account


def claim_account(
    *,
    account_number: str,
    postal_code: str,
    last_name: str,
    username: str,
    email: str,
    password: str,
    request_ip: str | None,
    language: str = "",
    request: HttpRequest | None = None,
) -> AccountMember:
    """Create a login that holds the account the bill's details describe; its
    membership (``.user`` is the new login), audited as ``account.claimed`` with
    ``request``'s address and browser.

    Raises ``LoginDetailsError`` (fix the fields), ``TooManyAttemptsError`` or
    ``NoMatchingAccountError``. The new login's email address is unverified.
    """
    username = User.normalize_username(username.strip())
    email = logins.normalize_email(email)
    errors = logins.signup_errors(username=username, email=email, password=password)
    if errors:
        raise LoginDetailsError(errors)
    number = normalize_account_number(account_number)
    _throttle(CLAIMS_PER_IP, request_ip or "unknown")
    _throttle(CLAIMS_PER_ACCOUNT, number)
    password_hash = make_password(password)  # before the lookup, match or not
    try:
        with transaction.atomic():
            account = _claimable_account(
                number=number, postal_code=postal_code, last_name=last_name
            )
            if account is None:
                raise NoMatchingAccountError
            taken = logins.taken_errors(username=username, email=email)
            if taken:
                raise LoginDetailsError(taken)
            user = logins.create_login(
                username=username, email=email, password_hash=password_hash, language=language
            )
            member = AccountMember.objects.create(
                account=account, user=user, role=MemberRole.HOLDER
            )
            revoke_pending_holder_codes(account=account)
            _audit(action="account.claimed", member=member, request=request)
    except IntegrityError:
        # Someone claimed the account (or took the username) a moment ago.
        raise NoMatchingAccountError from None
    return member


def claim_account_for_user(
    *,
    user: User,
    account_number: str,
    postal_code: str,
    last_name: str,
    request_ip: str | None,
    request: HttpRequest | None = None,
) -> AccountMember:
    """A signed-in person adds another account they hold to their login; audited as
    ``account.claimed``."""
    number = normalize_account_number(account_number)
    _throttle(CLAIMS_PER_IP, request_ip or "unknown")
    _throttle(CLAIMS_PER_ACCOUNT, number)
    try:
        with transaction.atomic():
            account = _claimable_account(
                number=number, postal_code=postal_code, last_name=last_name
            )
            if account is None:
                raise NoMatchingAccountError
            if AccountMember.objects.filter(account=account, user=user).exists():
                raise NoMatchingAccountError
            member = AccountMember.objects.create(
                account=account, user=user, role=MemberRole.HOLDER
            )
            revoke_pending_holder_codes(account=account)
            _audit(action="account.claimed", member=member, request=request)
    except IntegrityError:
        raise NoMatchingAccountError from None
    return member


# Redeeming an invitation code ---------------------------------------------------------------


def _redeemable(*, code: str) -> InvitationCode:
    """The invitation for ``code``, locked, or ``InvitationCodeError`` saying why not."""
    normalized = normalize_code(code)
    invitation = (
        InvitationCode.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(code_hash=hash_code(normalized) if normalized else "-")
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationCodeError(
            _("We don't recognize this code. Check it against your bill or email and try again.")
        )
    if invitation.used_at is not None:
        raise InvitationCodeError(_("This code has already been used. Each code works once."))
    if invitation.expires_at <= clock.now():
        raise InvitationCodeError(
            _("This code has expired. Ask the account holder, or customer care, for a new one.")
        )
    if invitation.account.status == AccountStatus.CLOSED:
        raise InvitationCodeError(_("This account is closed, so its codes no longer work."))
    if (
        invitation.role == MemberRole.HOLDER
        and AccountMember.objects.filter(
            account=invitation.account, role=MemberRole.HOLDER
        ).exists()
    ):
        raise InvitationCodeError(
            _("This account already has a holder. Ask them to invite you instead.")
        )
    return invitation


def _use(invitation: InvitationCode, user: User) -> AccountMember:
    used = InvitationCode.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(used_at=clock.now(), used_by=user)
    if not used:
        raise InvitationCodeError(_("This code has already been used. Each code works once."))
    member = AccountMember.objects.create(
        account=invitation.account, user=user, role=invitation.role
    )
    if invitation.role == MemberRole.HOLDER:
        revoke_pending_holder_codes(account=invitation.account)
    return member


def redeem_invitation(
    *,
    code: str,
    username: str,
    email: str,
    password: str,
    request_ip: str | None,
    language: str = "",
    request: HttpRequest | None = None,
) -> AccountMember:
    """Create a login on the account the code belongs to, with the code's role; its
    membership (``.user`` is the new login), audited as ``invitation.redeemed``.

    Raises ``LoginDetailsError``, ``TooManyAttemptsError`` or ``InvitationCodeError``.
    """
    username = User.normalize_username(username.strip())
    email = logins.normalize_email(email)
    errors = logins.signup_errors(username=username, email=email, password=password)
    if errors:
        raise LoginDetailsError(errors)
    _throttle(REDEMPTIONS_PER_IP, request_ip or "unknown")
    password_hash = make_password(password)
    try:
        with transaction.atomic():
            invitation = _redeemable(code=code)
            taken = logins.taken_errors(username=username, email=email)
            if taken:
                raise LoginDetailsError(taken)
            user = logins.create_login(
                username=username, email=email, password_hash=password_hash, language=language
            )
            member = _use(invitation, user)
            _audit(action="invitation.redeemed", member=member, request=request)
    except IntegrityError:
        raise InvitationCodeError(
            _("This code has already been used. Each code works once.")
        ) from None
    return member


def accept_invitation(
    *, code: str, user: User, request_ip: str | None, request: HttpRequest | None = None
) -> AccountMember:
    """A signed-in person joins the code's account with their existing login; audited
    as ``invitation.redeemed``."""
    _throttle(REDEMPTIONS_PER_IP, request_ip or "unknown")
    try:
        with transaction.atomic():
            invitation = _redeemable(code=code)
            if AccountMember.objects.filter(account=invitation.account, user=user).exists():
                raise InvitationCodeError(_("Your login is already on this account."))
            member = _use(invitation, user)
            _audit(action="invitation.redeemed", member=member, request=request)
            return member
    except IntegrityError:
        raise InvitationCodeError(
            _("This code has already been used. Each code works once.")
        ) from None


# After the email is confirmed ------------------------------------------------------------


def on_email_confirmed(*, user: User, email: str) -> None:
    """The confirmed sign-in address becomes a verified notification contact, and the
    person's primary email contact when they have none. Called from the allauth
    adapter's ``confirm_email`` (link or code)."""
    add_verified_contact(user=user, kind="email", address=email, primary=True)
