"""Second factors: the person's list of them (default, removal), turning on text-message
codes, and the text-message step of signing in. Forgetting trusted browsers is
``dropline.portal.security.views.forget_browsers``, shared with the sessions page.

Thin: parse input, call ``dropline.identity.factors.sms_codes`` (or the sign-in stages in
``dropline.identity.stages``), render. Adding or removing a factor, or changing the
default, needs a re-authentication within the last five minutes (allauth's
``reauthentication_required``); every factor is looked up with the signed-in person in
the query, so another person's factor id answers 404.
"""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.accounts.models import SecondFactorMethod, User
from dropline.accounts.requests import signed_in_user
from dropline.core.phones import display_phone
from dropline.identity import stages
from dropline.identity.factors import errors, listing, sms_codes, trusted_browsers
from dropline.identity.factors import removal as factor_removal
from dropline.portal.factors.forms import (
    DefaultMethodForm,
    RemoveForm,
    SmsCodeForm,
    TextMessageForm,
)

MFA_APP = "allauth.mfa"


def _posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


# Managing factors --------------------------------------------------------------------------


def _manage_page(
    request: HttpRequest,
    user: User,
    *,
    default_form: DefaultMethodForm | None = None,
    status: int = 200,
) -> HttpResponse:
    summary = listing.factors_for(user=user)
    if default_form is None and len(summary.methods) > 1:
        default_form = DefaultMethodForm(
            methods=summary.methods, initial={"method": summary.default_method}
        )
    return render(
        request,
        "portal/factors/manage.html",
        {
            "summary": summary,
            "default_form": default_form,
            "has_verified_number": bool(sms_codes.verified_numbers(user=user)),
            "trusted_until": trusted_browsers.trusted_until(request=request, user=user),
            "manage_url": reverse("second_factor:manage"),
        },
        status=status,
    )


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return _manage_page(request, signed_in_user(request))


@login_required
@require_POST
@reauthentication_required(app=MFA_APP)
def set_default(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = DefaultMethodForm(request.POST, methods=listing.available_methods(user=user))
    if not form.is_valid():
        return _manage_page(request, user, default_form=form, status=400)
    try:
        listing.set_default_method(user=user, method=form.cleaned_data["method"])
    except errors.SecondFactorError as exc:
        form.add_error("method", str(exc))
        return _manage_page(request, user, default_form=form, status=400)
    messages.success(request, _("Saved: this is what we will ask for first when you sign in."))
    return redirect("second_factor:manage")


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(app=MFA_APP)
def add_text_message(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    numbers = sms_codes.verified_numbers(user=user)
    current = sms_codes.sms_factor_for(user=user)
    form = TextMessageForm(
        _posted(request),
        numbers=[(contact.pk, display_phone(contact.address)) for contact in numbers],
        initial={"contact": current.contact_id if current else None},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sms_codes.enable_sms_factor(
                    user=user, contact_id=form.cleaned_data["contact"], request=request
                )
            except errors.SecondFactorError as exc:
                form.add_error("contact", str(exc))
            else:
                messages.success(request, _("Sign-in codes by text message are on."))
                return redirect("second_factor:manage")
        status = 400
    return render(
        request,
        "portal/factors/text_message.html",
        {"form": form, "numbers": numbers, "current": current},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(app=MFA_APP)
def remove(request: HttpRequest, method: str, factor_id: int) -> HttpResponse:
    user = signed_in_user(request)
    factor = listing.find_factor(user=user, method=method, factor_id=factor_id)
    if factor is None:
        raise Http404
    form = RemoveForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            factor_removal.remove_factor(
                request=request,
                user=user,
                method=method,
                factor_id=factor_id,
                confirm_last=form.cleaned_data["confirm_last"],
            )
        except errors.SecondFactorError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            if method == SecondFactorMethod.TEXT_MESSAGE:
                messages.success(request, _("Sign-in codes by text message are off."))
            return redirect("second_factor:manage")
    return render(
        request,
        "portal/factors/remove.html",
        {
            "factor": factor,
            "removal": factor_removal.removal_of(user=user, factor=factor),
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_authenticator_app(request: HttpRequest) -> HttpResponse:
    """allauth's "deactivate authenticator app" address, sent to Dropline's removal page."""
    authenticator = get_object_or_404(
        Authenticator, user_id=signed_in_user(request).pk, type=Authenticator.Type.TOTP
    )
    return redirect("second_factor:remove", method=authenticator.type, factor_id=authenticator.pk)


@login_required
@require_http_methods(["GET", "POST"])
def remove_passkey(request: HttpRequest, pk: int) -> HttpResponse:
    """allauth's "remove security key" address, sent to Dropline's removal page."""
    authenticator = get_object_or_404(
        Authenticator, pk=pk, user_id=signed_in_user(request).pk, type=Authenticator.Type.WEBAUTHN
    )
    return redirect("second_factor:remove", method=authenticator.type, factor_id=authenticator.pk)


# The text-message step of signing in -------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def sms_authenticate(request: HttpRequest) -> HttpResponse:
    step = stages.sms_step(request)
    if step is None:
        return redirect("account_login")
    form = SmsCodeForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                return stages.pass_sms_step(request, step, code=form.cleaned_data["code"])
            except errors.SecondFactorError as exc:
                form.add_error("code", str(exc))
        status = 400
    return render(
        request,
        "portal/factors/sms_sign_in.html",
        {
            "form": form,
            "number": sms_codes.masked_number(step.factor.contact.address),
            "has_other_factor": is_mfa_enabled(
                step.user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ),
        },
        status=status,
    )


@never_cache
@require_POST
def sms_resend(request: HttpRequest) -> HttpResponse:
    step = stages.sms_step(request)
    if step is None:
        return redirect("account_login")
    try:
        sms_codes.send_sign_in_code(factor=step.factor)
    except errors.SecondFactorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("We sent a new code. Only the newest code works."))
    return redirect("second_factor:sms_authenticate")


@never_cache
@require_POST
def choose_method(request: HttpRequest) -> HttpResponse:
    """ "Use a text message instead" and back: switch the waiting sign-in's second step."""
    if request.user.is_authenticated:
        return redirect("portal:overview")
    response = stages.choose_route(request, request.POST.get("route", ""))
    if response is None:
        return redirect("account_login")
    return response
