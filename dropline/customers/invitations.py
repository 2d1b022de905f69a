"""One-time invitation codes, and the people on an account.

Staff print a code on the bill (or read it out) so the holder can claim the account;
the holder emails one to invite an authorized user. A code looks like
``DRPL-7KQ4-MZ2X-H9TB``: twelve characters from an alphabet without 0/O and 1/I, about
60 random bits. Only its SHA-256 is stored (a code that random needs no slow hash),
so it is shown once, when made, and can never be read back.

Redeeming a code (which creates a login) is in ``claiming.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock, ratelimit
from dropline.customers.models import AccountMember, CustomerAccount, InvitationCode, MemberRole
from dropline.customers.permissions import can_manage_people

CODE_PREFIX = "DRPL"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
CODE_LENGTH = CODE_GROUPS * CODE_GROUP_LENGTH

PRINTED_CODE_LIFETIME = dt.timedelta(days=30)
EMAILED_INVITATION_LIFETIME = dt.timedelta(days=7)
MAX_PENDING_INVITATIONS = 10
INVITATIONS_PER_ACCOUNT = ratelimit.Limit.per("invite_by_email", 20, dt.timedelta(days=1))


class InvitationError(ValueError):
    """Shown to the person as it is: what is wrong and what to do."""


class NotAllowedError(InvitationError):
    """The member asking may not change the people on this account."""


@dataclass(frozen=True)
class IssuedCode:
    """A new invitation and its code in clear, which exists only here, once."""

    invitation: InvitationCode
    code: str


# Codes -------------------------------------------------------------------------------


def generate_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    groups = [body[i : i + CODE_GROUP_LENGTH] for i in range(0, CODE_LENGTH, CODE_GROUP_LENGTH)]
    return "-".join([CODE_PREFIX, *groups])


def normalize_code(text: str) -> str:
    """What a person typed ("drpl 7kq4 mz2x h9tb") as the twelve code characters,
    or "" when it cannot be a code."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(compact) == len(CODE_PREFIX) + CODE_LENGTH and compact.startswith(CODE_PREFIX):
        compact = compact[len(CODE_PREFIX) :]
    if len(compact) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in compact):
        return ""
    return compact


def hash_code(text: str) -> str:
    """The stored form of a code: SHA-256 of its normalized characters."""
    return hashlib.sha256(normalize_code(text).encode()).hexdigest()


def _issue(
    *,
    account: CustomerAccount,
    role: str,
    email: str,
    created_by: User | None,
    lifetime: dt.timedelta,
) -> IssuedCode:
    now = clock.now()
    code = generate_code()
    invitation = InvitationCode.objects.create(
        account=account,
        role=role,
        code_hash=hash_code(code),
        email=email,
        created_by=created_by,
        created_at=now,
        expires_at=now + lifetime,
    )
    return IssuedCode(invitation=invitation, code=code)


def _pending(account: CustomerAccount) -> list[InvitationCode]:
    return list(
        InvitationCode.objects.filter(
            account=account,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=clock.now(),
        )
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def pending_invitations(*, account: CustomerAccount) -> list[InvitationCode]:
    """Codes for ``account`` that can still be used, newest first."""
    return _pending(account)


def revoke_pending_holder_codes(*, account: CustomerAccount) -> int:
    """Once the account has a holder, no other code may make someone holder."""
    return InvitationCode.objects.filter(
        account=account, role=MemberRole.HOLDER, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=clock.now())


def _has_holder(account: CustomerAccount) -> bool:
    return AccountMember.objects.filter(account=account, role=MemberRole.HOLDER).exists()


# Staff: printed codes -----------------------------------------------------------------


def printed_code_roles(*, account: CustomerAccount) -> list[str]:
    """The roles a printed code can be made for now: a holder code only while the account
    has no holder; an authorized user's code always."""
    if _has_holder(account):
        return [MemberRole.AUTHORIZED]
    return [MemberRole.HOLDER, MemberRole.AUTHORIZED]


def issue_printed_code(
    *,
    account: CustomerAccount,
    created_by: User | None,
    role: str = MemberRole.HOLDER,
    request: HttpRequest | None = None,
) -> IssuedCode:
    """A code to print on the bill or read out, valid for PRINTED_CODE_LIFETIME;
    audited as ``invitation_code.created``.

    A new holder code replaces any earlier unused one, so only the latest bill's
    code works.
    """
    if role not in MemberRole.values:
        raise InvitationError(_("Choose who the code is for."))
    with transaction.atomic():
        locked = CustomerAccount.objects.select_for_update().get(pk=account.pk)
        if role == MemberRole.HOLDER:
            if role not in printed_code_roles(account=locked):
                raise InvitationError(
                    _(
                        "This account already has an account holder. "
                        "Issue a code for an authorized user instead."
                    )
                )
            revoke_pending_holder_codes(account=locked)
        issued = _issue(
            account=locked,
            role=role,
            email="",
            created_by=created_by,
            lifetime=PRINTED_CODE_LIFETIME,
        )
        audit.record(
            action="invitation_code.created",
            request=request,
            actor=created_by,
            target=issued.invitation,
            account_number=locked.number,
            data={
                "role": issued.invitation.role,
                "expires_at": issued.invitation.expires_at.isoformat(),
            },
        )
        return issued


# The holder: invitations by email -----------------------------------------------------


def _normalize_email(text: str) -> str:
    address = text.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise InvitationError(_("Enter a valid email address.")) from None
    return address.lower()


def redeem_page_url() -> str:
    """The portal page where an invited person redeems their code."""
    return settings.DROPLINE_PUBLIC_URL.rstrip("/") + reverse("accounts_portal:invitation")


def invite_by_email(
    *,
    by: AccountMember,
    email: str,
    invite_url: str | None = None,
    request: HttpRequest | None = None,
) -> IssuedCode:
    """The holder invites an authorized user: a code valid for
    EMAILED_INVITATION_LIFETIME, emailed with ``invite_url`` (by default the portal's
    redeem page) in the account's language.

    Inviting an address again replaces the earlier invitation. If the email cannot
    be sent, nothing is kept. Audited as ``invitation.sent`` (``request`` for who and
    from where).
    """
    if not can_manage_people(by):
        raise NotAllowedError(_("Only the account holder can invite people."))
    address = _normalize_email(email)
    account = by.account
    try:
        ratelimit.enforce(INVITATIONS_PER_ACCOUNT, account.number)
    except ratelimit.ThrottledError:
        raise InvitationError(
            _("You have sent many invitations today. Try again tomorrow.")
        ) from None
    with transaction.atomic():
        locked = CustomerAccount.objects.select_for_update().get(pk=account.pk)
        if AccountMember.objects.filter(account=locked, user__email__iexact=address).exists():
            raise InvitationError(_("Someone with this email address is already on the account."))
        pending = _pending(locked)
        again = [inv for inv in pending if inv.email.lower() == address]
        if len(pending) - len(again) >= MAX_PENDING_INVITATIONS:
            raise InvitationError(
                _(
                    "This account has %(count)s invitations waiting. "
                    "Revoke one before sending another."
                )
                % {"count": len(pending)}
            )
        if again:
            InvitationCode.objects.filter(pk__in=[inv.pk for inv in again]).update(
                revoked_at=clock.now()
            )
        issued = _issue(
            account=locked,
            role=MemberRole.AUTHORIZED,
            email=address,
            created_by=by.user,
            lifetime=EMAILED_INVITATION_LIFETIME,
        )
        _send_invitation(issued=issued, by=by, invite_url=invite_url or redeem_page_url())
        audit.record(
            action="invitation.sent",
            request=request,
            actor=by.user,
            target=issued.invitation,
            account_number=account.number,
            data={"email": address},
        )
    return issued


def _send_invitation(*, issued: IssuedCode, by: AccountMember, invite_url: str) -> None:
    account = by.account
    inviter = by.user.get_full_name() or by.user.get_username()
    context = {
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "inviter": inviter,
        "account_name": account.name,
        "code": issued.code,
        "invite_url": invite_url,
        "expires_at": issued.invitation.expires_at,
    }
    with translation.override(account.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("customers/email/invitation_subject.txt", context)
        body = render_to_string("customers/email/invitation_message.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [issued.invitation.email])
    except (smtplib.SMTPException, OSError):
        raise InvitationError(
            _("We could not send the invitation. Check the address and try again.")
        ) from None


def revoke_invitation(
    *, by: AccountMember | None, invitation: InvitationCode, request: HttpRequest | None = None
) -> None:
    """Stop an unused code from working. ``by`` is the holder asking, or None for staff
    (audited as ``invitation.revoked`` and ``invitation_code.revoked``)."""
    if by is not None and (not can_manage_people(by) or by.account_id != invitation.account_id):
        raise NotAllowedError(_("Only the account holder can revoke invitations."))
    with transaction.atomic():
        changed = InvitationCode.objects.filter(
            pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=clock.now())
        if not changed:
            raise InvitationError(_("This invitation has already been used or revoked."))
        audit.record(
            action="invitation.revoked" if by is not None else "invitation_code.revoked",
            request=request,
            target=invitation,
            account_number=invitation.account.number,
            data={"email": invitation.email, "role": invitation.role},
        )


# The people on an account ---------------------------------------------------------------


def people_on_account(*, account: CustomerAccount) -> list[AccountMember]:
    """The account's members, holder first, then by when they joined."""
    return list(
        AccountMember.objects.filter(account=account)
        .select_related("user")
        .order_by("-role", "added_at", "id")
    )


def remove_member(
    *, by: AccountMember, member: AccountMember, request: HttpRequest | None = None
) -> None:
    """The holder removes an authorized user; the holder can never be removed this way.
    Audited as ``member.removed``."""
    if not can_manage_people(by) or by.account_id != member.account_id:
        raise NotAllowedError(_("Only the account holder can remove people."))
    if member.role == MemberRole.HOLDER:
        raise InvitationError(_("The account holder can't be removed from the account."))
    with transaction.atomic():
        deleted, _rows = AccountMember.objects.filter(
            pk=member.pk, account_id=by.account_id, role=MemberRole.AUTHORIZED
        ).delete()
        if not deleted:
            raise InvitationError(_("This person is no longer on the account."))
        audit.record(
            action="member.removed",
            request=request,
            actor=by.user,
            target=by.account,
            account_number=by.account.number,
            data={"username": member.user.get_username(), "role": member.role},
        )


def allow_service_changes(
    *,
    by: AccountMember,
    member: AccountMember,
    allowed: bool,
    request: HttpRequest | None = None,
) -> AccountMember:
    """The holder lets an authorized user change plans and add-ons (or stops letting
    them). Audited as ``member.service_changes_allowed`` or
    ``member.service_changes_disallowed``; asking for what is already so changes and
    records nothing."""
    if not can_manage_people(by) or by.account_id != member.account_id:
        raise NotAllowedError(_("Only the account holder can say who may change services."))
    if member.role == MemberRole.HOLDER:
        raise InvitationError(_("The account holder can always change services."))
    with transaction.atomic():
        current = (
            AccountMember.objects.select_for_update()
            .select_related("user")
            .filter(pk=member.pk, account_id=by.account_id, role=MemberRole.AUTHORIZED)
            .first()
        )
        if current is None:
            raise InvitationError(_("This person is no longer on the account."))
        if current.may_change_services == allowed:
            return current
        current.may_change_services = allowed
        current.save(update_fields=["may_change_services"])
        audit.record(
            action=(
                "member.service_changes_allowed" if allowed else "member.service_changes_disallowed"
            ),
            request=request,
            actor=by.user,
            target=by.account,
            account_number=by.account.number,
            data={"username": current.user.get_username()},
        )
    return current
