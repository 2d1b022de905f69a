"""Authenticator-app codes from an independent implementation of RFC 6238.

The algorithm below is written from the RFCs (HOTP, RFC 4226 section 5.3; TOTP,
RFC 6238 section 4), checked against their published test vectors, and then used
as a person's authenticator app would be: to turn the app on and to sign in. A
code is refused once it has been used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as allauth_totp
from django.urls import reverse

from dropline.accounts import sealed
from dropline.accounts.second_factor import enrol_authenticator_app
from tests.support.factories import make_user
from tests.support.factors import (
    URLCONF,
    apply_settings,
    finish_without_trust,
    reauthenticate,
    sign_in_with_password,
    signed_in_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

RFC_SECRET = b"12345678901234567890"  # RFC 4226 appendix D and RFC 6238 appendix B (SHA-1)


def hotp(key: bytes, counter: int, *, digits: int = 6) -> str:
    """RFC 4226: HMAC-SHA-1 of the 8-byte counter, dynamically truncated."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[19] & 0x0F
    binary = (
        (mac[offset] & 0x7F) << 24 | mac[offset + 1] << 16 | mac[offset + 2] << 8 | mac[offset + 3]
    )
    return str(binary % 10**digits).rjust(digits, "0")


def totp(key: bytes, unix_time: float, *, digits: int = 6, step: int = 30, t0: int = 0) -> str:
    """RFC 6238: HOTP with T = floor((unix time - T0) / X)."""
    return hotp(key, int((unix_time - t0) // step), digits=digits)


def code_for(base32_secret: str, unix_time: float) -> str:
    return totp(base64.b32decode(base32_secret, casefold=True), unix_time)


@pytest.mark.parametrize(
    ("counter", "expected"),
    list(
        enumerate(
            [
                "755224",
                "287082",
                "359152",
                "969429",
                "338314",
                "254676",
                "287922",
                "162583",
                "399871",
                "520489",
            ]
        )
    ),
)
def test_hotp_matches_rfc_4226_appendix_d(counter, expected):
    assert hotp(RFC_SECRET, counter) == expected


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238_appendix_b_sha1(unix_time, expected):
    assert totp(RFC_SECRET, unix_time, digits=8) == expected


# --- used as a person's authenticator app ------------------------------------------------------

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class ServerClock:
    """The time allauth's TOTP check sees, held in the middle of a 30-second window so
    a test never straddles two codes."""

    def __init__(self) -> None:
        self.now = float((int(time.time()) // 30) * 30 + 10)

    def time(self) -> float:
        return self.now


@pytest.fixture
def server_clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> ServerClock:
    apply_settings(settings)
    clock = ServerClock()
    monkeypatch.setattr(allauth_totp, "time", SimpleNamespace(time=clock.time))
    return clock


def test_the_independent_codes_agree_with_the_rfc_secret_in_base32():
    secret = base64.b32encode(RFC_SECRET).decode()
    assert code_for(secret, 59) == "287082"  # counter 1, 6 digits: RFC 4226 vector
    assert allauth_totp.format_hotp_value(allauth_totp.hotp_value(secret, 1)) == "287082"


def test_turning_on_the_app_shows_the_qr_code_and_the_key_and_takes_an_independent_code(
    client, server_clock
):
    user = make_user(username="tina")
    client.force_login(user)
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    secret = client.session["mfa.totp.secret"]

    # The QR code, as an image with a text alternative...
    marker = 'src="data:image/svg+xml;base64,'
    assert marker in html
    encoded = html.split(marker, 1)[1].split('"', 1)[0]
    assert base64.b64decode(encoded).decode().lstrip().startswith(("<?xml", "<svg"))
    assert "QR code to scan with your authenticator app" in html
    assert page.context["totp_url"].startswith("otpauth://totp/")
    assert f"secret={secret}" in page.context["totp_url"]
    # ...and the key for typing in by hand, labelled and copyable.
    assert '<label for="authenticator_secret">Setup key</label>' in html
    # A read-only box that wraps on a narrow screen instead of cutting the key off.
    assert f'aria-describedby="authenticator_secret_helptext">{secret}</textarea>' in html

    right = code_for(secret, server_clock.now)
    wrong = "000000" if right != "000000" else "111111"
    refused = client.post(reverse("mfa_activate_totp"), {"code": wrong})
    assert refused.status_code == 200
    assert not Authenticator.objects.filter(user=user, type="totp").exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": right})
    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    app = Authenticator.objects.get(user=user, type="totp")
    # Kept sealed: the database holds a ciphertext that opens to the secret shown.
    assert secret not in app.data["secret"]
    assert sealed.unseal(app.data["secret"]) == secret


def test_signing_in_takes_an_independent_code_once(client, server_clock):
    user = make_user(username="tom")
    enrol_authenticator_app(user=user, secret=SECRET)
    code = code_for(SECRET, server_clock.now)

    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")
    response = finish_without_trust(
        client, client.post(reverse("mfa_authenticate"), {"code": code})
    )
    assert response.url == reverse("portal:overview")
    assert signed_in_user(client) == str(user.pk)

    # The same code again, still inside its 30 seconds: refused.
    client.post(reverse("account_logout"))
    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200
    assert "That code is not right" in replay.content.decode()
    assert signed_in_user(client) is None

    # The next window's code works.
    server_clock.now += 30
    following = code_for(SECRET, server_clock.now)
    response = client.post(reverse("mfa_authenticate"), {"code": following})
    assert finish_without_trust(client, response).url == reverse("portal:overview")


def test_codes_from_other_windows_are_refused(client, server_clock):
    user = make_user(username="tim")
    enrol_authenticator_app(user=user, secret=SECRET)
    sign_in_with_password(client, user)
    for offset in (-30, 30):
        stale = code_for(SECRET, server_clock.now + offset)
        if stale == code_for(SECRET, server_clock.now):
            continue  # one in a million: the neighbouring code is the same number
        response = client.post(reverse("mfa_authenticate"), {"code": stale})
        assert response.status_code == 200
    assert signed_in_user(client) is None


def test_a_code_used_to_re_authenticate_cannot_be_used_again(client, server_clock):
    user = make_user(username="tad")
    enrol_authenticator_app(user=user, secret=SECRET)
    client.force_login(user)
    code = code_for(SECRET, server_clock.now)
    first = client.post(reverse("mfa_reauthenticate"), {"code": code})
    assert first.status_code == 302
    second = client.post(reverse("mfa_reauthenticate"), {"code": code})
    assert second.status_code == 200
    assert "That code is not right" in second.content.decode()


def test_the_code_that_turned_the_app_on_is_spent(client, server_clock):
    user = make_user(username="ted")
    client.force_login(user)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    code = code_for(client.session["mfa.totp.secret"], server_clock.now)
    assert client.post(reverse("mfa_activate_totp"), {"code": code}).status_code == 302
    replay = client.post(reverse("mfa_reauthenticate"), {"code": code})
    assert replay.status_code == 200
    assert "That code is not right" in replay.content.decode()
