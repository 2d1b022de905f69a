"""Getting a login: claiming an account with the bill's details, or with an invitation
code. Thin: parse input, call ``dropline.identity.claiming``, render.

A visitor creates a login here; allauth then signs them in, and its mandatory email
verification stage keeps the portal closed until the address is confirmed. A person
who is already signed in only adds the account to their login.
"""

from __future__ import annotations

from http import HTTPStatus

from allauth.account import app_settings as allauth_settings
from allauth.account.utils import complete_signup
from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from dropline.accounts.models import User
from dropline.core import audit
from dropline.customers.models import AccountMember
from dropline.identity import claiming
from dropline.portal.claiming.forms import AccountDetailsForm, ClaimForm, CodeForm, InvitationForm
from dropline.portal.common import SESSION_ACCOUNT_KEY


def _signed_in(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _apply_error(form: Form, exc: claiming.ClaimError, *, code_field: bool = False) -> int:
    """Put a domain error on the form; the HTTP status to answer with."""
    if isinstance(exc, claiming.LoginDetailsError):
        for field, errors in exc.errors.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return HTTPStatus.OK
    if isinstance(exc, claiming.InvitationCodeError) and code_field:
        form.add_error("code", str(exc))
        return HTTPStatus.OK
    form.add_error(None, str(exc))
    if isinstance(exc, claiming.TooManyAttemptsError):
        return HTTPStatus.TOO_MANY_REQUESTS
    return HTTPStatus.OK


def _page(
    request: HttpRequest, template: str, form: Form, status: int = HTTPStatus.OK
) -> HttpResponse:
    return render(request, template, {"form": form}, status=status)


def _sign_in_new_login(request: HttpRequest, user: User) -> HttpResponse:
    """Hand the new login to allauth: it sends the confirmation and shows where to look."""
    return complete_signup(
        request,
        user,
        allauth_settings.EMAIL_VERIFICATION,
        reverse("portal:overview"),
    )


def _added(request: HttpRequest, member: AccountMember) -> HttpResponse:
    request.session[SESSION_ACCOUNT_KEY] = member.account_id
    messages.success(
        request,
        _("Account %(number)s is now on your login.") % {"number": member.account.display_number},
    )
    return redirect("portal:overview")


def _done(request: HttpRequest, *, member: AccountMember, signed_in: bool) -> HttpResponse:
    """Go on: a new login to allauth's email verification, a signed-in person to the
    account they just added (the domain has audited the new membership)."""
    if signed_in:
        return _added(request, member)
    return _sign_in_new_login(request, member.user)


@never_cache
@sensitive_post_parameters("password", "password_again")
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    """Claim an account with the bill's details: a visitor also creates a login."""
    template = "portal/claiming/claim.html"
    signed_in = _signed_in(request)
    form: Form = AccountDetailsForm() if signed_in else ClaimForm()
    if request.method != "POST":
        return _page(request, template, form)
    form = AccountDetailsForm(request.POST) if signed_in else ClaimForm(request.POST)
    if not form.is_valid():
        return _page(request, template, form)
    data = form.cleaned_data
    details = {
        "account_number": data["account_number"],
        "postal_code": data["postal_code"],
        "last_name": data["last_name"],
        "request_ip": audit.client_ip(request),
        "request": request,
    }
    try:
        if signed_in is not None:
            member = claiming.claim_account_for_user(user=signed_in, **details)
        else:
            member = claiming.claim_account(
                **details,
                username=data["username"],
                email=data["email"],
                password=data["password"],
                language=get_language() or "",
            )
    except claiming.ClaimError as exc:
        return _page(request, template, form, _apply_error(form, exc))
    return _done(request, member=member, signed_in=signed_in is not None)


@never_cache
@sensitive_post_parameters("code", "password", "password_again")
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest) -> HttpResponse:
    """Redeem an invitation code: a visitor also creates a login."""
    template = "portal/claiming/invitation.html"
    signed_in = _signed_in(request)
    form: Form = CodeForm() if signed_in else InvitationForm()
    if request.method != "POST":
        return _page(request, template, form)
    form = CodeForm(request.POST) if signed_in else InvitationForm(request.POST)
    if not form.is_valid():
        return _page(request, template, form)
    data = form.cleaned_data
    ip = audit.client_ip(request)
    try:
        if signed_in is not None:
            member = claiming.accept_invitation(
                code=data["code"], user=signed_in, request_ip=ip, request=request
            )
        else:
            member = claiming.redeem_invitation(
                code=data["code"],
                username=data["username"],
                email=data["email"],
                password=data["password"],
                request_ip=ip,
                language=get_language() or "",
                request=request,
            )
    except claiming.ClaimError as exc:
        return _page(request, template, form, _apply_error(form, exc, code_field=True))
    return _done(request, member=member, signed_in=signed_in is not None)
