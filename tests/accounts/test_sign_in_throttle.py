"""Sign-in throttling (``dropline.accounts.sign_in_throttle``, docs/OPERATIONS.md): a
guessing tool, from one address or from many, finds nothing; the person still gets in
from another address, from an address they signed in from before, or with a reset code.
"""

from __future__ import annotations

import re

import pytest
from allauth.account import app_settings as account_settings
from django.test import Client

from dropline.accounts.models import SecurityEvent, SecurityEventKind
from tests.support.factories import PASSWORD
from tests.support.recovery import (
    MARIA_PHONE,
    NEW_PASSWORD,
    ask_for_code,
    enter_code,
    latest_code,
    person,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
APP_LOGIN = "/_allauth/app/v1/auth/login"
TOO_MANY = "Too many tries. Wait a few minutes"
GUESSES = [f"guess-number-{n}-for-maria" for n in range(200)]


def _amount(action: str, per: str, duration: str) -> int:
    """The configured number for ``action`` per ``per`` over ``duration``."""
    for rate in (account_settings.RATE_LIMITS.get(action) or "").split(","):
        amount, window, rate_per = rate.strip().split("/")
        if rate_per == per and window == duration:
            return int(amount)
    pytest.fail(f"no {action} limit {per}/{duration}: {account_settings.RATE_LIMITS}")


PER_LOGIN_AND_ADDRESS = _amount("login_failed", "key", "5m")
PER_ACCOUNT_HOURLY = _amount("login_failed_account", "key", "h")


def attempt(ip: str, password: str, login: str = "maria") -> tuple[bool, str]:
    """(signed in, page) for one try from ``ip`` on the web's sign-in form."""
    response = Client(REMOTE_ADDR=ip).post(LOGIN, {"login": login, "password": password})
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return response.status_code == 302, page


def lockouts() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT))


def many_addresses(count: int, start: int = 1) -> list[str]:
    return [f"10.{n // 250}.{n % 250}.{7}" for n in range(start, start + count)]


@pytest.fixture
def maria():
    return person("maria", phone=MARIA_PHONE)


def test_the_right_password_from_another_address_gets_in_while_one_is_paused(maria):
    for guess in GUESSES[:PER_LOGIN_AND_ADDRESS]:
        assert not attempt("203.0.113.5", guess)[0]
    signed_in, page = attempt("203.0.113.5", PASSWORD)
    assert not signed_in
    assert TOO_MANY in page  # that address is paused, even for the right password

    assert attempt("198.51.100.20", PASSWORD)[0]  # the person, from home
    [lockout] = lockouts()
    assert lockout.user == maria
    assert lockout.ip == "203.0.113.5"


def test_the_count_is_one_whatever_host_name_and_port_the_requests_name(maria):
    """Web nodes reached on their own ports, or a guessing tool that varies the port
    in the Host header (ALLOWED_HOSTS allows any port), still count together."""
    hosts = ["localhost:8001", "localhost:8002", "127.0.0.1", "localhost:9"]
    for n, guess in enumerate(GUESSES[:PER_LOGIN_AND_ADDRESS]):
        client = Client(REMOTE_ADDR="203.0.113.9", HTTP_HOST=hosts[n % len(hosts)])
        assert client.post(LOGIN, {"login": "maria", "password": guess}).status_code == 200
    for host in hosts:
        client = Client(REMOTE_ADDR="203.0.113.9", HTTP_HOST=host)
        page = client.post(LOGIN, {"login": "maria", "password": PASSWORD}).content.decode()
        assert TOO_MANY in page


def test_a_guessing_run_from_one_address_is_paused_and_learns_nothing(maria):
    run = [*GUESSES[:15], PASSWORD, *GUESSES[15:20]]  # under the form's own 30/m per address
    answers = [attempt("203.0.113.9", password) for password in run]

    assert not any(signed_in for signed_in, _ in answers)
    paused = [TOO_MANY in page for _, page in answers]
    assert paused.index(True) == PER_LOGIN_AND_ADDRESS
    assert all(paused[PER_LOGIN_AND_ADDRESS:])  # the right password got the same answer
    assert answers[15][1] == answers[14][1]
    assert [e.ip for e in lockouts()] == ["203.0.113.9"]  # recorded once per window


def test_a_guessing_run_over_many_addresses_is_throttled_per_account(maria):
    """Two guesses per address, every address new: the account's ceiling holds."""
    addresses = many_addresses(60)
    answers = []
    for n, ip in enumerate(addresses):
        answers.append(attempt(ip, GUESSES[2 * n]))
        answers.append(attempt(ip, PASSWORD if n == 40 else GUESSES[2 * n + 1]))

    assert not any(signed_in for signed_in, _ in answers)
    refused = [TOO_MANY in page for _, page in answers]
    assert refused.index(True) == PER_ACCOUNT_HOURLY
    assert all(refused[PER_ACCOUNT_HOURLY:])
    wrong, right = answers[80], answers[81]  # the 41st address: a guess, then the password
    assert wrong[1] == right[1]
    assert {e.user for e in lockouts()} == {maria}
    assert len(lockouts()) == len(addresses) - PER_ACCOUNT_HOURLY // 2


def test_the_username_and_the_e_mail_address_share_the_account_count(maria):
    for n, ip in enumerate(many_addresses(PER_ACCOUNT_HOURLY)):
        login = "maria" if n % 2 else "Maria@Example.com"
        assert not attempt(ip, GUESSES[n], login=login)[0]
    assert TOO_MANY in attempt("10.9.9.9", PASSWORD, login="maria@example.com")[1]
    assert TOO_MANY in attempt("10.9.9.10", PASSWORD, login="MARIA")[1]


def test_the_ceiling_looks_the_same_for_an_account_that_does_not_exist(maria):
    pages = {}
    for login in ("maria", "nobody-here"):
        for n, ip in enumerate(many_addresses(PER_ACCOUNT_HOURLY, start=100)):
            attempt(ip, GUESSES[n], login=login)
        pages[login] = attempt("10.8.8.8", "whatever-they-type", login=login)[1]
    assert TOO_MANY in pages["maria"]
    assert pages["maria"].replace("maria", "") == pages["nobody-here"].replace("nobody-here", "")


def test_the_person_gets_in_from_an_address_they_signed_in_from_before(maria):
    assert attempt("198.51.100.20", PASSWORD)[0]
    for n, ip in enumerate(many_addresses(PER_ACCOUNT_HOURLY + 5)):
        attempt(ip, GUESSES[n])
    assert TOO_MANY in attempt("192.0.2.200", PASSWORD)[1]  # a new address: refused

    assert attempt("198.51.100.20", PASSWORD)[0]


def test_the_person_gets_in_from_a_new_address_after_a_reset_code(maria):
    for n, ip in enumerate(many_addresses(PER_ACCOUNT_HOURLY + 5)):
        attempt(ip, GUESSES[n])
    assert TOO_MANY in attempt("192.0.2.200", PASSWORD)[1]

    phone = Client(REMOTE_ADDR="192.0.2.200")
    ask_for_code(phone, "maria")
    enter_code(phone, latest_code())  # proves control of the mobile number

    assert attempt("192.0.2.200", NEW_PASSWORD)[0]
    assert attempt("192.0.2.201", NEW_PASSWORD)[0]


def test_the_app_sign_in_follows_the_same_rule(maria):
    def app(ip: str, password: str) -> int:
        return (
            Client(REMOTE_ADDR=ip)
            .post(APP_LOGIN, {"username": "maria", "password": password}, "application/json")
            .status_code
        )

    for guess in GUESSES[:PER_LOGIN_AND_ADDRESS]:
        assert app("203.0.113.50", guess) == 400
    assert app("203.0.113.50", PASSWORD) == 400  # paused there
    assert app("203.0.113.51", PASSWORD) == 200  # not from another address


def test_a_persons_own_sign_ins_never_count(maria):
    for _ in range(PER_ACCOUNT_HOURLY + PER_LOGIN_AND_ADDRESS):
        assert attempt("198.51.100.20", PASSWORD)[0]
