"""Reads of logins."""

from __future__ import annotations

import functools
from typing import Any

from allauth.account.models import EmailAddress
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from dropline.accounts.models import User


def user_for_login(login: str) -> User | None:
    """The login a typed username or email address names, if any: a username first, else
    a sign-in email address (the lowest id where an address is on several logins)."""
    return _find(login, User.objects.all())


def _find(login: str, users: QuerySet[User]) -> User | None:
    login = login.strip()[:254]
    if not login:
        return None
    user = users.filter(username__iexact=login).order_by("pk").first()
    if user is None and "@" in login:
        by_address = EmailAddress.objects.filter(email__iexact=login).values("user_id")
        user = users.filter(Q(pk__in=by_address) | Q(email__iexact=login)).order_by("pk").first()
    return user


# What the sign-in's later steps ask of the login (``dropline.identity.stages``): a
# verified email address (allauth's verification step), an authenticator app or passkey,
# a text-message factor (the two second steps); and whether the device signing in has
# signed in to it before (the security event, ``security_events.record.signed_in``).
SIGN_IN_FACTS = ("has_verified_email", "has_app_factor", "has_sms_factor", "device_seen")
_FACTS = "_dropline_sign_in_facts"


def _fact_subqueries(device_fingerprint: str) -> dict[str, Any]:
    from allauth.mfa.models import Authenticator

    from dropline.accounts.models import SecurityEvent, SecurityEventKind, SmsSecondFactor

    user = OuterRef("pk")
    app_types = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    return {
        "sign_in_device_seen": Exists(
            SecurityEvent.objects.filter(
                user_id=user,
                kind=SecurityEventKind.SIGN_IN,
                device_fingerprint=device_fingerprint,
            )
        ),
        "sign_in_has_verified_email": Exists(
            EmailAddress.objects.filter(user_id=user, verified=True)
        ),
        "sign_in_has_app_factor": Exists(
            Authenticator.objects.filter(user_id=user, type__in=app_types)
        ),
        "sign_in_has_sms_factor": Exists(SmsSecondFactor.objects.filter(user_id=user)),
    }


def user_for_sign_in(login: str, *, device_fingerprint: str) -> User | None:
    """:func:`user_for_login`, found by the same statement with the answers to
    ``SIGN_IN_FACTS`` (read with :func:`sign_in_fact`) for the device whose
    ``Device.fingerprint`` is given, so the sign-in's steps do not each ask the database
    again a moment later.

    The statement is built by the ORM once per process (``_sign_in_statement``) and run
    with this sign-in's values: building four subqueries anew cost as much CPU as the
    four look-ups they replace."""
    login = login.strip()[:254]
    if not login:
        return None
    user = _run_sign_in_statement(False, login, device_fingerprint)
    if user is None and "@" in login:
        user = _run_sign_in_statement(True, login, device_fingerprint)
    if user is not None:
        facts: dict[str, Any] = {
            name: bool(user.__dict__.pop(f"sign_in_{name}")) for name in SIGN_IN_FACTS
        }
        facts["device_fingerprint"] = device_fingerprint
        setattr(user, _FACTS, facts)
    return user


# Stand-ins for the login and the device in the statement built once; plain letters and
# digits, which no database's escaping changes.
_LOGIN = "dropline0sign0in0login0value"
_DEVICE = "dropline0sign0in0device0value"


@functools.cache
def _sign_in_statement(by_address: bool, vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL (and its parameters, with the stand-ins) that ``_find`` would run with the
    facts annotated: by username, or by a sign-in email address."""
    users = User.objects.annotate(**_fact_subqueries(_DEVICE))
    if by_address:
        by_addresses = EmailAddress.objects.filter(email__iexact=_LOGIN).values("user_id")
        users = users.filter(Q(pk__in=by_addresses) | Q(email__iexact=_LOGIN))
    else:
        users = users.filter(username__iexact=_LOGIN)
    sql, params = users.order_by("pk")[:1].query.sql_with_params()
    if _LOGIN not in params or _DEVICE not in params:  # pragma: no cover - a new Django
        raise RuntimeError("the sign-in statement no longer takes the login as a parameter")
    return sql, tuple(params)


def _run_sign_in_statement(by_address: bool, login: str, device: str) -> User | None:
    sql, stand_ins = _sign_in_statement(by_address, connection.vendor)
    typed = connection.ops.prep_for_iexact_query(login)
    params = [typed if p == _LOGIN else device if p == _DEVICE else p for p in stand_ins]
    return next(iter(User.objects.raw(sql, params)), None)


def sign_in_fact(user: object, name: str) -> bool | None:
    """What :func:`user_for_sign_in` found out about ``user`` (one of ``SIGN_IN_FACTS``);
    None when the user was not found that way: ask the database."""
    facts = getattr(user, _FACTS, None)
    return None if facts is None else bool(facts[name])


def device_seen_at_sign_in(user: object, device_fingerprint: str) -> bool | None:
    """Whether the device ``device_fingerprint`` had signed in to ``user`` before, as
    :func:`user_for_sign_in` found it; None when it was not asked about that device."""
    facts = getattr(user, _FACTS, None)
    if facts is None or facts["device_fingerprint"] != device_fingerprint:
        return None
    return bool(facts["device_seen"])
