"""Getting back in by text message: a person with a verified mobile, asking for a reset
code and entering it on the real pages."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from dropline.accounts.models import User
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind, SimulatedSms
from tests.support.factories import make_user

TEXT_REQUEST = "/accounts/recover/text/"


TEXT_CODE = "/accounts/recover/text/code/"


MARIA_PHONE = "+13195550142"


NEW_PASSWORD = "copper-kettle-moonrise-41"


def person(username: str, *, phone: str | None = None, email: str | None = None) -> User:
    """A login with a verified sign-in email (also a contact) and maybe a verified mobile."""
    user = make_user(username=username, email=email or f"{username}@example.com")
    add_verified_contact(user=user, kind=ContactKind.EMAIL, address=user.email, primary=True)
    if phone:
        add_verified_contact(user=user, kind=ContactKind.PHONE, address=phone, primary=True)
    return user


def texts_to(number: str) -> list[str]:
    return list(
        SimulatedSms.objects.filter(to=number).order_by("id").values_list("body", flat=True)
    )


def code_in(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match, text
    return match.group(1)


def ask_for_code(browser: Client, identifier: str) -> Any:
    return browser.post(TEXT_REQUEST, {"identifier": identifier})


def enter_code(
    browser: Client, code: str, password: str = NEW_PASSWORD, again: str | None = None
) -> Any:
    return browser.post(
        TEXT_CODE, {"code": code, "password1": password, "password2": again or password}
    )


def latest_code(number: str = MARIA_PHONE) -> str:
    return code_in(texts_to(number)[-1])
