"""The people on an account: the holder invites and removes authorized users;
authorized users see the list and nothing they could change.

Every member and invitation is looked up within the account being looked at, so
another account's id answers 404; a change asked by an authorized user answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.customers import invitations
from dropline.customers.models import AccountMember, InvitationCode, MemberRole
from dropline.customers.permissions import can_manage_people
from dropline.portal.common import current_membership
from dropline.portal.people.forms import InviteForm


def _manager(request: HttpRequest) -> AccountMember:
    """The holder of the account being looked at, or 403."""
    membership = current_membership(request)
    if not can_manage_people(membership):
        raise PermissionDenied
    assert membership is not None
    return membership


def _people_page(
    request: HttpRequest,
    membership: AccountMember,
    *,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    manages = can_manage_people(membership)
    pending = (
        [
            invitation
            for invitation in invitations.pending_invitations(account=membership.account)
            if invitation.role == MemberRole.AUTHORIZED
        ]
        if manages
        else []
    )
    return render(
        request,
        "portal/people/people.html",
        {
            "membership": membership,
            "people": invitations.people_on_account(account=membership.account),
            "can_manage": manages,
            "pending": pending,
            "invite_form": (invite_form or InviteForm()) if manages else None,
        },
        status=status,
    )


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, "portal/no_account.html")
    return _people_page(request, membership)


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    membership = _manager(request)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _people_page(request, membership, invite_form=form)
    try:
        issued = invitations.invite_by_email(
            by=membership, email=form.cleaned_data["email"], request=request
        )
    except invitations.InvitationError as exc:
        form.add_error("email", str(exc))
        return _people_page(request, membership, invite_form=form)
    messages.success(
        request,
        _("We emailed an invitation to %(email)s. It works once, for 7 days.")
        % {"email": issued.invitation.email},
    )
    return redirect("accounts_portal:people")


@login_required
@require_POST
def revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    membership = _manager(request)
    invitation = get_object_or_404(
        InvitationCode, pk=invitation_id, account=membership.account, role=MemberRole.AUTHORIZED
    )
    try:
        invitations.revoke_invitation(by=membership, invitation=invitation, request=request)
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
        return redirect("accounts_portal:people")
    messages.success(
        request,
        _("The invitation to %(email)s no longer works.") % {"email": invitation.email},
    )
    return redirect("accounts_portal:people")


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, member_id: int) -> HttpResponse:
    """GET asks to confirm; POST removes. Never the holder."""
    membership = _manager(request)
    member = get_object_or_404(
        AccountMember.objects.select_related("user"),
        pk=member_id,
        account=membership.account,
    )
    if member.role == MemberRole.HOLDER:
        messages.error(request, _("The account holder can't be removed from the account."))
        return redirect("accounts_portal:people")
    if request.method != "POST":
        return render(
            request,
            "portal/people/remove_member.html",
            {"membership": membership, "member": member},
        )
    try:
        invitations.remove_member(by=membership, member=member, request=request)
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
        return redirect("accounts_portal:people")
    messages.success(
        request,
        _("%(name)s can no longer sign in to this account.")
        % {"name": member.user.get_full_name() or member.user.get_username()},
    )
    return redirect("accounts_portal:people")


@login_required
@require_POST
def service_changes(request: HttpRequest, member_id: int) -> HttpResponse:
    """The holder lets an authorized user change plans and add-ons, or stops it."""
    membership = _manager(request)
    member = get_object_or_404(
        AccountMember.objects.select_related("user"),
        pk=member_id,
        account=membership.account,
        role=MemberRole.AUTHORIZED,
    )
    allowed = request.POST.get("allowed") == "1"
    try:
        invitations.allow_service_changes(
            by=membership, member=member, allowed=allowed, request=request
        )
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
        return redirect("accounts_portal:people")
    name = member.user.get_full_name() or member.user.get_username()
    if allowed:
        messages.success(request, _("%(name)s can now change plans and add-ons.") % {"name": name})
    else:
        messages.success(
            request, _("%(name)s can no longer change plans and add-ons.") % {"name": name}
        )
    return redirect("accounts_portal:people")
