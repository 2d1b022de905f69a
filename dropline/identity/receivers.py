"""Receivers for allauth's and Django's documented authentication signals: each one
hands the event to ``dropline.identity.security_events.record`` (and a sign-in also to
``dropline.identity.sessions``) and does nothing else.

Connected once, in ``AccountsConfig.ready``. At a sign-in, the receiver also adds the
session to the person's list of sessions (``sessions.track_sign_in``): ``connect``
takes allauth.usersessions' own ``user_logged_in`` receiver off, which would check
every earlier session of the person one by one at each sign-in.

Signals carry ``AbstractBaseUser``; anything that is not a Dropline ``User`` (it always
is) is ignored rather than guessed at.

Django's ``user_login_failed`` passes the credentials that were tried (with the
password masked by Django). Only the login name is read from them, to find the
account; the rest is not looked at, stored or logged.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.apps import apps
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.http import HttpRequest

from dropline.accounts import middleware
from dropline.accounts.models import SecurityEventKind, User
from dropline.identity import sessions
from dropline.identity.security_events import record as security_events


def _user(value: Any) -> User | None:
    return value if isinstance(value, User) and value.pk is not None else None


def _request(value: Any) -> HttpRequest | None:
    return value if isinstance(value, HttpRequest) else None


def _address(email_address: Any) -> str:
    return str(getattr(email_address, "email", "") or "")


def on_user_logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if (person := _user(user)) is None:
        return
    if (http_request := _request(request)) is not None:
        middleware.stamp_sign_in(http_request.session)
        if _tracks_sessions():
            sessions.track_sign_in(request=http_request, user=person)
    security_events.signed_in(request=http_request, user=person)


def _tracks_sessions() -> bool:
    return apps.is_installed("allauth.usersessions")


def on_user_logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if (person := _user(user)) is not None:
        security_events.signed_out(request=_request(request), user=person)


def on_user_login_failed(
    sender: Any, credentials: Any = None, request: Any = None, **kwargs: Any
) -> None:
    login = ""
    if isinstance(credentials, dict):
        for key in ("username", "email", "login"):
            value = credentials.get(key)
            if isinstance(value, str) and value:
                login = value
                break
    security_events.sign_in_failed(request=_request(request), login=login)


def _password_receiver(how: str) -> Any:
    def receiver(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
        if (person := _user(user)) is not None:
            security_events.password_changed(request=_request(request), user=person, how=how)

    receiver.__name__ = f"on_{how}"
    return receiver


on_password_changed = _password_receiver(SecurityEventKind.PASSWORD_CHANGED)
on_password_set = _password_receiver(SecurityEventKind.PASSWORD_SET)
on_password_reset = _password_receiver(SecurityEventKind.PASSWORD_RESET)


def on_email_added(
    sender: Any, request: Any = None, user: Any = None, email_address: Any = None, **kwargs: Any
) -> None:
    if (person := _user(user)) is not None and _address(email_address):
        security_events.email_added(
            request=_request(request), user=person, address=_address(email_address)
        )


def on_email_removed(
    sender: Any, request: Any = None, user: Any = None, email_address: Any = None, **kwargs: Any
) -> None:
    if (person := _user(user)) is not None and _address(email_address):
        security_events.email_removed(
            request=_request(request), user=person, address=_address(email_address)
        )


def on_email_changed(
    sender: Any,
    request: Any = None,
    user: Any = None,
    from_email_address: Any = None,
    to_email_address: Any = None,
    **kwargs: Any,
) -> None:
    person = _user(user)
    new = _address(to_email_address)
    if person is not None and new:
        security_events.email_changed(
            request=_request(request), user=person, old=_address(from_email_address), new=new
        )


def _method(authenticator: Any) -> str:
    return str(getattr(authenticator, "type", "") or "")


def on_authenticator_added(
    sender: Any, request: Any = None, user: Any = None, authenticator: Any = None, **kwargs: Any
) -> None:
    if (person := _user(user)) is not None:
        security_events.second_factor_added(
            request=_request(request), user=person, method=_method(authenticator)
        )


def on_authenticator_removed(
    sender: Any, request: Any = None, user: Any = None, authenticator: Any = None, **kwargs: Any
) -> None:
    if (person := _user(user)) is not None:
        security_events.second_factor_removed(
            request=_request(request), user=person, method=_method(authenticator)
        )


def on_authenticator_reset(
    sender: Any, request: Any = None, user: Any = None, authenticator: Any = None, **kwargs: Any
) -> None:
    if (person := _user(user)) is not None:
        security_events.recovery_codes_generated(request=_request(request), user=person)


def on_mfa_authentication_failed(
    sender: Any,
    request: Any = None,
    user: Any = None,
    authenticator: Any = None,
    reauthentication: bool = False,
    **kwargs: Any,
) -> None:
    if (person := _user(user)) is not None:
        security_events.second_factor_failed(
            request=_request(request),
            user=person,
            method=_method(authenticator),
            reauthentication=bool(reauthentication),
        )


RECEIVERS: list[tuple[Any, Any]] = [
    (account_signals.user_logged_in, on_user_logged_in),
    (user_logged_out, on_user_logged_out),
    (user_login_failed, on_user_login_failed),
    (account_signals.password_changed, on_password_changed),
    (account_signals.password_set, on_password_set),
    (account_signals.password_reset, on_password_reset),
    (account_signals.email_added, on_email_added),
    (account_signals.email_removed, on_email_removed),
    (account_signals.email_changed, on_email_changed),
    (mfa_signals.authenticator_added, on_authenticator_added),
    (mfa_signals.authenticator_removed, on_authenticator_removed),
    (mfa_signals.authenticator_reset, on_authenticator_reset),
    (mfa_signals.authentication_failed, on_mfa_authentication_failed),
]


def connect() -> None:
    """Connect every receiver once (a stable ``dispatch_uid`` makes repeats harmless),
    in place of allauth.usersessions' sign-in receiver (``on_user_logged_in`` does its
    work)."""
    if _tracks_sessions():
        from allauth.usersessions import signals as usersessions_signals

        account_signals.user_logged_in.disconnect(usersessions_signals.on_user_logged_in)
    for signal, receiver in RECEIVERS:
        signal.connect(
            receiver,
            dispatch_uid=f"dropline.security_events.{receiver.__name__}.{id(signal)}",
            weak=False,
        )
