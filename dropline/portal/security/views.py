"""The customer's security pages: the hub that links every control, and the list of
signed-in sessions and devices. Thin: parse input, call ``dropline.identity.sessions``,
render.

A session id that is not the signed-in person's answers 404, whoever it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.identity import sessions as user_sessions
from dropline.identity.factors import listing

ACTIVITY_URL_NAME = "security_activity:index"


@dataclass(frozen=True)
class SecurityLink:
    url: str
    title: str
    description: str


def _optional_url(name: str) -> str | None:
    """A page another part of the portal provides, if it is installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _links() -> list[SecurityLink]:
    links = [
        SecurityLink(
            url=reverse("account_change_password"),
            title=_("Password"),
            description=_("Change the password you sign in with."),
        ),
        SecurityLink(
            url=reverse("account_email"),
            title=_("Sign-in email addresses"),
            description=_("The addresses you sign in with and we send password resets to."),
        ),
        SecurityLink(
            url=reverse("mfa_index"),
            title=_("Second factors"),
            description=_(
                "An authenticator app, passkeys, text messages and recovery codes: a second "
                "step when you sign in."
            ),
        ),
        SecurityLink(
            url=reverse("notifications:contacts"),
            title=_("Mobile numbers and alert addresses"),
            description=_("Where we send alerts, bills and sign-in codes by text or email."),
        ),
        SecurityLink(
            url=reverse("security:sessions"),
            title=_("Sessions and devices"),
            description=_("Where you are signed in. Sign out a device you don't recognize."),
        ),
    ]
    activity = _optional_url(ACTIVITY_URL_NAME)
    if activity is not None:
        links.append(
            SecurityLink(
                url=activity,
                title=_("Security activity"),
                description=_("Sign-ins, failed attempts and changes to your security settings."),
            )
        )
    return links


@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "portal/security/index.html",
        {"links": _links(), "second_factor": bool(listing.available_methods(user=user))},
    )


@never_cache
@login_required
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    active = user_sessions.active_sessions(
        user=user, current_session_key=request.session.session_key
    )
    trust = user_sessions.trust_applies(user=user)
    return render(
        request,
        "portal/security/sessions.html",
        {
            "sessions": active,
            "others": sum(1 for s in active if not s.is_current),
            "show_trust": trust,
            "trusted_until": (
                user_sessions.trusted_browser_until(request=request, user=user) if trust else None
            ),
        },
    )


@login_required
@require_POST
def end_session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        ended = user_sessions.end_session(
            user=user, session_id=session_id, current_session_key=request.session.session_key
        )
    except user_sessions.SessionNotFoundError:
        raise Http404 from None
    if ended.is_current:
        get_account_adapter(request).logout(request)
        return redirect("account_login")
    messages.success(
        request,
        _("%(device)s is signed out.") % {"device": ended.device_label},
    )
    return redirect("security:sessions")


@login_required
@require_POST
def forget_browsers(
    request: HttpRequest,
    *,
    fallback: str = "security:sessions",
    fragment: str = "trusted-browsers",
) -> HttpResponse:
    """Forget every trusted browser; then back to ``next`` if it is on this site, else to
    the page the URL names (the sessions page here, the second factors' page there)."""
    user_sessions.forget_trusted_browsers(user=signed_in_user(request), request=request)
    messages.success(
        request,
        _("No browser is trusted any more: each will ask for your second factor at sign-in."),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse(fallback) + (f"#{fragment}" if fragment else "")
    return redirect(target)


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    ended = user_sessions.end_other_sessions(
        user=signed_in_user(request), current_session_key=request.session.session_key
    )
    if ended:
        messages.success(
            request,
            ngettext(
                "%(count)d other session is signed out.",
                "%(count)d other sessions are signed out.",
                len(ended),
            )
            % {"count": len(ended)},
        )
    else:
        messages.info(request, _("You were not signed in anywhere else."))
    return redirect("security:sessions")
