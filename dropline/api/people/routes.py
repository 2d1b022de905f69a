"""The people on an account, for the mobile app: everyone on it sees who is; the holder
also sees the invitations waiting, invites authorized users by email, revokes
invitations and removes people. Thin: ``dropline.customers.invitations`` decides.

The account is the first of the caller's (as `/me` lists them) unless ``account`` names
another of theirs; a number that is not theirs answers 404. A change asked by an
authorized user answers 403 before anything is looked up, and every invitation and
member is looked up within the caller's account, so another account's id answers 404,
as on the web.

Each domain function is one transaction; the views add none around them, because the
invitation limit's counter lives in the shared cache (the database by default) and a
refusal must not roll its own count back.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dropline.accounts.models import User
from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.people.schemas import (
    AccountQuery,
    InvitationOut,
    InviteIn,
    MemberChangeIn,
    PeopleOut,
    PersonOut,
)
from dropline.api.schemas import AccountRefOut, ErrorOut, InvalidInputOut
from dropline.customers import invitations
from dropline.customers.models import AccountMember, InvitationCode, MemberRole
from dropline.customers.numbering import normalize_account_number
from dropline.customers.permissions import can_change_services, can_manage_people
from dropline.customers.queries import memberships_for

router = Router(tags=["people"])

CHANGE_ANSWERS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _membership(request: HttpRequest, query: AccountQuery) -> AccountMember:
    """The caller's membership of the account asked about (by default the first of
    `/me`'s `accounts`), or 404."""
    user = signed_in_user(request)
    memberships = memberships_for(user=user)
    if query.account:
        memberships = memberships.filter(
            account__number=normalize_account_number(query.account) or "-"
        )
    membership = memberships.first()
    if membership is None:
        raise Http404
    return membership


def _manager(request: HttpRequest, query: AccountQuery) -> AccountMember:
    """The holder of the account asked about; 403 for an authorized user."""
    membership = _membership(request, query)
    if not can_manage_people(membership):
        raise HttpError(403, _("Only the account holder can change the people on the account."))
    return membership


def _person(member: AccountMember, user: User) -> PersonOut:
    return PersonOut(
        id=member.pk,
        name=member.user.get_full_name() or member.user.get_username(),
        username=member.user.get_username(),
        role=member.role,
        may_change_services=can_change_services(member),
        added_at=member.added_at,
        is_you=member.user_id == user.pk,
    )


def _invitation(invitation: InvitationCode) -> InvitationOut:
    return InvitationOut(
        id=invitation.pk,
        email=invitation.email,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
    )


@router.get("/people", response={200: PeopleOut, 404: ErrorOut}, summary="People on the account")
def list_people(request: HttpRequest, query: Query[AccountQuery]) -> PeopleOut:
    """Everyone who can sign in to the account, holder first; for the holder, also the
    invitations by email that are waiting, newest first."""
    membership = _membership(request, query)
    account = membership.account
    manages = can_manage_people(membership)
    pending = (
        [
            invitation
            for invitation in invitations.pending_invitations(account=account)
            if invitation.role == MemberRole.AUTHORIZED
        ]
        if manages
        else []
    )
    return PeopleOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        can_manage=manages,
        people=[
            _person(member, membership.user)
            for member in invitations.people_on_account(account=account)
        ],
        pending_invitations=[_invitation(invitation) for invitation in pending],
    )


@router.post(
    "/people/invitations",
    response={201: InvitationOut, 400: InvalidInputOut, 422: InvalidInputOut, **CHANGE_ANSWERS},
    summary="Invite an authorized user",
)
def invite(
    request: HttpRequest, query: Query[AccountQuery], payload: InviteIn
) -> Status[InvitationOut]:
    """Email a one-time code that works for 7 days. Inviting an address again replaces
    the earlier invitation; if the email cannot be sent, nothing is kept. Any refusal
    (a bad address, someone already on the account, too many waiting) names `email`."""
    membership = _manager(request, query)
    try:
        issued = invitations.invite_by_email(by=membership, email=payload.email, request=request)
    except invitations.NotAllowedError as exc:
        raise HttpError(403, str(exc)) from None
    except invitations.InvitationError as exc:
        raise FieldError("email", str(exc)) from None
    return Status(201, _invitation(issued.invitation))


@router.delete(
    "/people/invitations/{invitation_id}",
    response={204: None, **CHANGE_ANSWERS},
    summary="Revoke an invitation",
)
def revoke(request: HttpRequest, invitation_id: int, query: Query[AccountQuery]) -> Status[None]:
    """The code stops working. 409 when it was already used or revoked."""
    membership = _manager(request, query)
    invitation = (
        InvitationCode.objects.filter(
            pk=invitation_id, account=membership.account, role=MemberRole.AUTHORIZED
        )
        .select_related("account")
        .first()
    )
    if invitation is None:
        raise Http404
    try:
        invitations.revoke_invitation(by=membership, invitation=invitation, request=request)
    except invitations.NotAllowedError as exc:
        raise HttpError(403, str(exc)) from None
    except invitations.InvitationError as exc:
        raise HttpError(409, str(exc)) from None
    return Status(204, None)


@router.patch(
    "/people/{member_id}",
    response={200: PersonOut, 400: InvalidInputOut, 422: InvalidInputOut, **CHANGE_ANSWERS},
    summary="Let a person change services",
)
def change_member(
    request: HttpRequest, member_id: int, query: Query[AccountQuery], payload: MemberChangeIn
) -> PersonOut:
    """Let an authorized user change plans and add-ons, or stop them (audited). 409 for
    the holder, who always may."""
    membership = _manager(request, query)
    member = (
        AccountMember.objects.select_related("user")
        .filter(pk=member_id, account=membership.account)
        .first()
    )
    if member is None:
        raise Http404
    try:
        changed = invitations.allow_service_changes(
            by=membership,
            member=member,
            allowed=payload.may_change_services,
            request=request,
        )
    except invitations.NotAllowedError as exc:
        raise HttpError(403, str(exc)) from None
    except invitations.InvitationError as exc:
        raise HttpError(409, str(exc)) from None
    return _person(changed, membership.user)


@router.delete(
    "/people/{member_id}", response={204: None, **CHANGE_ANSWERS}, summary="Remove a person"
)
def remove(request: HttpRequest, member_id: int, query: Query[AccountQuery]) -> Status[None]:
    """The authorized user can no longer sign in to the account. 409 for the holder,
    who can never be removed."""
    membership = _manager(request, query)
    member = (
        AccountMember.objects.select_related("user")
        .filter(pk=member_id, account=membership.account)
        .first()
    )
    if member is None:
        raise Http404
    try:
        invitations.remove_member(by=membership, member=member, request=request)
    except invitations.NotAllowedError as exc:
        raise HttpError(403, str(exc)) from None
    except invitations.InvitationError as exc:
        raise HttpError(409, str(exc)) from None
    return Status(204, None)
