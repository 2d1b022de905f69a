"""Staff make one-time invitation codes to print on a bill or read out to a customer.

The code is shown once, on the page that answers the POST that made it (never cached),
and cannot be shown again: only its hash is stored. Making and revoking codes needs
``customers.change_customeraccount`` and is written to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.invitations.forms import CodeRoleForm
from dropline.customers import invitations
from dropline.customers.models import CustomerAccount, InvitationCode, MemberRole
from dropline.customers.numbering import normalize_account_number

PERMISSION = "customers.change_customeraccount"


def _account(number: str) -> CustomerAccount:
    account = (
        CustomerAccount.objects.select_related("service_address")
        .filter(number=normalize_account_number(number))
        .first()
    )
    if account is None:
        raise Http404
    return account


def _page(
    request: HttpRequest,
    account: CustomerAccount,
    *,
    form: CodeRoleForm | None = None,
    issued: invitations.IssuedCode | None = None,
    status: int = 200,
) -> HttpResponse:
    roles = invitations.printed_code_roles(account=account)
    has_holder = MemberRole.HOLDER not in roles
    return render(
        request,
        "backoffice/invitations/invitation_codes.html",
        {
            "account": account,
            "has_holder": has_holder,
            "form": form or CodeRoleForm(roles=roles, initial={"role": roles[0]}),
            "issued": issued,
            "pending": invitations.pending_invitations(account=account),
        },
        status=status,
    )


@never_cache
@staff_permission_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def invitation_codes(request: HttpRequest, number: str) -> HttpResponse:
    account = _account(number)
    if request.method != "POST":
        return _page(request, account)
    form = CodeRoleForm(request.POST, roles=invitations.printed_code_roles(account=account))
    if not form.is_valid():
        return _page(request, account, form=form)
    try:
        issued = invitations.issue_printed_code(
            account=account,
            created_by=signed_in_user(request),
            role=form.cleaned_data["role"],
            request=request,
        )
    except invitations.InvitationError as exc:
        form.add_error("role", str(exc))
        return _page(request, account, form=form)
    return _page(request, account, issued=issued)


@staff_permission_required(PERMISSION)
@require_POST
def revoke_invitation_code(request: HttpRequest, number: str, invitation_id: int) -> HttpResponse:
    account = _account(number)
    invitation = get_object_or_404(InvitationCode, pk=invitation_id, account=account)
    try:
        invitations.revoke_invitation(by=None, invitation=invitation, request=request)
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The code no longer works."))
    return redirect("backoffice:invitation_codes", number=account.number)
