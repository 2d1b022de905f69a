"""Getting back in without the password: a reset by email (link or code) or by a code
in a text message, and a username reminder. Thin: parse input, call
``dropline.identity.recovery``, render.

Every answer is the same whether or not a login matched: the request pages always
redirect to the same next page, and a code that does not work gets one message. One
code page serves both channels; what the person typed first is kept in the session
with the channel, never whether it matched anyone.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from dropline.core import audit
from dropline.identity.recovery import email_reset, errors, reset_codes, text_reset
from dropline.identity.recovery import username_reminder as reminders
from dropline.notifications.categories import Channel
from dropline.portal.recovery.forms import (
    ResetCodeForm,
    ResetCodeRequestForm,
    ResetEmailRequestForm,
    UsernameReminderForm,
)

RESET_SESSION_KEY = "dropline_recovery_reset_code"
# Where each channel's code page sends a person who has not asked yet.
_START = {Channel.EMAIL: "account_reset_password", Channel.SMS: "recovery:reset_code_request"}
_CODE_PAGE = {Channel.EMAIL: "recovery:reset_email_code", Channel.SMS: "recovery:reset_code"}


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _start_code_entry(request: HttpRequest, *, identifier: str, channel: Channel) -> HttpResponse:
    request.session[RESET_SESSION_KEY] = {"identifier": identifier, "channel": channel.value}
    return redirect(_CODE_PAGE[channel])


@never_cache
@require_http_methods(["GET", "POST"])
def reset_email_request(request: HttpRequest) -> HttpResponse:
    """Where the reset page's form posts; the page itself is allauth's."""
    if request.method != "POST":
        return redirect("account_reset_password")
    template = "account/password_reset.html"
    form = ResetEmailRequestForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form})
    email = form.cleaned_data["email"]
    try:
        email_reset.request_reset_email(email=email, request=request)
    except errors.InvalidAddressError as exc:
        form.add_error("email", str(exc))
        return render(request, template, {"form": form})
    except errors.ThrottledError as exc:
        form.add_error(None, str(exc))
        return render(request, template, {"form": form}, status=HTTPStatus.TOO_MANY_REQUESTS)
    return _start_code_entry(request, identifier=email, channel=Channel.EMAIL)


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
        text_reset.request_reset_code(
            identifier=identifier, ip=audit.client_ip(request), language=_language()
        )
    except errors.ThrottledError as exc:
        form.add_error(None, str(exc))
        return render(request, template, {"form": form}, status=HTTPStatus.TOO_MANY_REQUESTS)
    return _start_code_entry(request, identifier=identifier, channel=Channel.SMS)


@never_cache
@sensitive_post_parameters("code", "password1", "password2")
@require_http_methods(["GET", "POST"])
def reset_code(request: HttpRequest, channel: str) -> HttpResponse:
    """Enter the code from the text message or the email, and a new password."""
    state = request.session.get(RESET_SESSION_KEY)
    if (
        not isinstance(state, dict)
        or not state.get("identifier")
        or state.get("channel") != channel
    ):
        return redirect(_START[Channel(channel)])
    identifier = str(state["identifier"])
    if request.method != "POST":
        return _code_page(request, ResetCodeForm(channel=channel), identifier, channel)
    form = ResetCodeForm(request.POST, channel=channel)
    status = HTTPStatus.OK
    if form.is_valid():
        try:
            reset_codes.reset_password_with_code(
                identifier=identifier,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["password1"],
                request=request,
            )
        except errors.ThrottledError as exc:
            form.add_error(None, str(exc))
            status = HTTPStatus.TOO_MANY_REQUESTS
        except errors.CodeRejectedError as exc:
            form.add_error("code", str(exc))
        except errors.PasswordRejectedError as exc:
            for message in exc.messages:
                form.add_error("password1", message)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            return redirect("recovery:reset_done")
    return _code_page(request, form, identifier, channel, status)


def _code_page(
    request: HttpRequest,
    form: ResetCodeForm,
    identifier: str,
    channel: str,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    context = {
        "form": form,
        "identifier": identifier,
        "channel": channel,
        "start_url_name": _START[Channel(channel)],
        "lifetime_minutes": (
            email_reset.reset_email_minutes()
            if channel == Channel.EMAIL
            else int(reset_codes.CODE_LIFETIME.total_seconds() // 60)
        ),
    }
    return render(request, "portal/recovery/reset_code.html", context, status=status)


@never_cache
@require_GET
def reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/recovery/reset_done.html")


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
        reminders.send_username_reminder(
            address=form.cleaned_data["address"],
            ip=audit.client_ip(request),
            language=_language(),
        )
    except errors.ThrottledError as exc:
        form.add_error(None, str(exc))
        return render(request, template, {"form": form}, status=HTTPStatus.TOO_MANY_REQUESTS)
    return redirect("recovery:username_reminder_sent")


@never_cache
@require_GET
def username_reminder_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/recovery/username_reminder_sent.html")
