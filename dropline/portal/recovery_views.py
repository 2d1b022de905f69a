"""Getting back in without the password: a reset code by text message and a username
reminder. Thin: parse input, call ``dropline.accounts.recovery``, render.

Every answer is the same whether or not a login matched: the request pages always
redirect to the same next page, and a code that does not work gets one message.
"""

from __future__ import annotations

from http import HTTPStatus

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from dropline.accounts import recovery
from dropline.accounts.models import User
from dropline.core import audit
from dropline.portal.recovery_forms import (
    ResetCodeForm,
    ResetCodeRequestForm,
    UsernameReminderForm,
)

# What the person typed on the first page (never whether it matched anyone).
RESET_SESSION_KEY = "dropline_recovery_reset_code"


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _clear_sign_in_throttle(request: HttpRequest, user: User) -> None:
    """A successful reset lets the person straight in: forget allauth's count of failed
    sign-ins for each name they sign in with, as allauth does after its own reset."""
    adapter = get_adapter(request)
    for login in recovery.sign_in_names(user=user):
        adapter._delete_login_attempts_cached_email(request, email=login)


@never_cache
@require_http_methods(["GET", "POST"])
def reset_code_request(request: HttpRequest) -> HttpResponse:
    template = "portal/recovery/reset_code_request.html"
    if request.method != "POST":
        return render(request, template, {"form": ResetCodeRequestForm()})
    form = ResetCodeRequestForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form})
    identifier = form.cleaned_data["identifier"].strip()
    try:
        recovery.request_reset_code(
            identifier=identifier, ip=audit.client_ip(request), language=_language()
        )
    except recovery.ThrottledError as exc:
        form.add_error(None, str(exc))
        return render(request, template, {"form": form}, status=HTTPStatus.TOO_MANY_REQUESTS)
    request.session[RESET_SESSION_KEY] = {"identifier": identifier}
    return redirect("recovery:reset_code")


@never_cache
@sensitive_post_parameters("code", "password1", "password2")
@require_http_methods(["GET", "POST"])
def reset_code(request: HttpRequest) -> HttpResponse:
    state = request.session.get(RESET_SESSION_KEY)
    if not isinstance(state, dict) or not state.get("identifier"):
        return redirect("recovery:reset_code_request")
    identifier = str(state["identifier"])
    if request.method != "POST":
        return _code_page(request, ResetCodeForm(), identifier)
    form = ResetCodeForm(request.POST)
    status = HTTPStatus.OK
    if form.is_valid():
        try:
            user = recovery.reset_password_with_code(
                identifier=identifier,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["password1"],
                request=request,
            )
        except recovery.ThrottledError as exc:
            form.add_error(None, str(exc))
            status = HTTPStatus.TOO_MANY_REQUESTS
        except recovery.CodeRejectedError as exc:
            form.add_error("code", str(exc))
        except recovery.PasswordRejectedError as exc:
            for message in exc.messages:
                form.add_error("password1", message)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            _clear_sign_in_throttle(request, user)
            return redirect("recovery:reset_code_done")
    return _code_page(request, form, identifier, status)


def _code_page(
    request: HttpRequest, form: ResetCodeForm, identifier: str, status: int = HTTPStatus.OK
) -> HttpResponse:
    context = {
        "form": form,
        "identifier": identifier,
        "lifetime_minutes": int(recovery.CODE_LIFETIME.total_seconds() // 60),
    }
    return render(request, "portal/recovery/reset_code.html", context, status=status)


@never_cache
@require_GET
def reset_code_done(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/recovery/reset_code_done.html")


@never_cache
@require_http_methods(["GET", "POST"])
def username_reminder(request: HttpRequest) -> HttpResponse:
    template = "portal/recovery/username_reminder.html"
    if request.method != "POST":
        return render(request, template, {"form": UsernameReminderForm()})
    form = UsernameReminderForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form})
    try:
        recovery.send_username_reminder(
            address=form.cleaned_data["address"],
            ip=audit.client_ip(request),
            language=_language(),
        )
    except recovery.ThrottledError as exc:
        form.add_error(None, str(exc))
        return render(request, template, {"form": form}, status=HTTPStatus.TOO_MANY_REQUESTS)
    return redirect("recovery:username_reminder_sent")


@never_cache
@require_GET
def username_reminder_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/recovery/username_reminder_sent.html")
