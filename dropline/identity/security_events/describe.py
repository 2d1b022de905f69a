"""What a security event was, in a sentence for the person it happened to."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dropline.accounts.devices import device_label
from dropline.accounts.models import SecurityEvent, SecurityEventKind

Kind = SecurityEventKind

# Second factors by allauth's ``Authenticator.type`` (and "sms" for text-message codes).
RECOVERY_CODES = "recovery_codes"
METHOD_LABELS: dict[str, Promise] = {
    "totp": gettext_lazy("authenticator app"),
    "webauthn": gettext_lazy("passkey"),
    RECOVERY_CODES: gettext_lazy("recovery codes"),
    "sms": gettext_lazy("text-message codes"),
}


def method_label(method: str) -> str | Promise:
    return METHOD_LABELS.get(method, method)


def describe(event: SecurityEvent) -> str:
    """What happened, in a sentence for the person it happened to (current language)."""
    data = event.data or {}
    kind = event.kind
    method = str(method_label(str(data.get("method", ""))))
    if kind == Kind.SIGN_IN:
        return _("Signed in")
    if kind == Kind.SIGN_IN_FAILED:
        if data.get("reauthentication"):
            return _("Wrong password when confirming it was you")
        return _("Failed sign-in: wrong password")
    if kind == Kind.SECOND_FACTOR_FAILED:
        return _("Wrong code at the second sign-in step (%(method)s)") % {"method": method}
    if kind == Kind.LOCKED_OUT:
        return _("Sign-in paused after too many failed attempts")
    if kind == Kind.RATE_LIMITED:
        return _("Too many requests: slowed down for a while")
    if kind == Kind.SESSION_ENDED:
        return _("Signed out %(device)s from the list of sessions") % {
            "device": device_label(
                browser=str(data.get("session_browser", "")), os=str(data.get("session_os", ""))
            )
        }
    if kind == Kind.SECOND_FACTOR_ADDED:
        return _("Second factor added: %(method)s") % {"method": method}
    if kind == Kind.SECOND_FACTOR_REMOVED:
        return _("Second factor removed: %(method)s") % {"method": method}
    if kind == Kind.EMAIL_ADDED:
        return _("Email address added: %(address)s") % {"address": data.get("address", "")}
    if kind == Kind.EMAIL_REMOVED:
        return _("Email address removed: %(address)s") % {"address": data.get("address", "")}
    if kind == Kind.EMAIL_CHANGED:
        if data.get("contact"):
            return _("Notification email address changed: %(old)s → %(new)s") % {
                "old": data.get("old") or "—",
                "new": data.get("new") or "—",
            }
        return _("Sign-in email address changed: %(old)s → %(new)s") % {
            "old": data.get("old") or "—",
            "new": data.get("new") or "—",
        }
    if kind == Kind.PHONE_CHANGED:
        if data.get("added") and data.get("removed"):
            return _("Mobile number changed: %(removed)s → %(added)s") % data
        if data.get("added"):
            return _("Mobile number added: %(added)s") % data
        return _("Mobile number removed: %(removed)s") % data
    if kind in {Kind.PAYMENT_METHOD_ADDED, Kind.PAYMENT_METHOD_REMOVED}:
        what = _("%(brand)s •••• %(last4)s") % {
            "brand": str(data.get("brand", "")).title(),
            "last4": data.get("last4", ""),
        }
        if kind == Kind.PAYMENT_METHOD_ADDED:
            return _("Payment method added: %(method)s") % {"method": what}
        return _("Payment method removed: %(method)s") % {"method": what}
    return str(event.get_kind_display())
