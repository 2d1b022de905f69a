"""A customer with no login yet, in Chromium: claims the account with the bill's details,
confirms the email address, turns on an authenticator app, signs out, and signs in
again with the password and a code from the app.

The email goes to Django's in-memory outbox: ``live_server`` answers from a thread of
this process, so the code (or link) the portal sends is read from ``mailoutbox``. The
authenticator app's codes are computed from the setup key the page shows, as a person
typing it into an app would, with ``dropline.accounts.second_factor.current_code``.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import LOGIN_PATH, DemoSite, confirm_password_if_asked, opened, sign_in

if TYPE_CHECKING:
    from django.core.mail import EmailMessage

    from dropline.customers.models import CustomerAccount

pytestmark = pytest.mark.browser

HOLDER = "Ngozi Okafor"
LAST_NAME = "Okafor"
ZIP_CODE = "52241"
USERNAME = "ngozi.okafor"
EMAIL = "ngozi@example.net"
PASSWORD = "paper lantern over quiet harbours"  # a test login: long, uncommon words

CLAIM_PATH = "/account/claim/"
TOTP_ACTIVATE_PATH = "/accounts/2fa/totp/activate/"
LOGOUT_PATH = "/accounts/logout/"
TOTP_PERIOD = 30

# A verification code as allauth formats it ("K7QM-4XRD"), or a confirmation link.
CODE_IN_MAIL = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
LINK_IN_MAIL = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


@pytest.fixture
def unclaimed_account(demo_site: DemoSite) -> CustomerAccount:
    """A customer account with a service address but nobody who can sign in to it."""
    from dropline.core import ratelimit
    from dropline.customers.models import ServiceAddress, ServiceArea
    from dropline.customers.onboarding import open_account
    from dropline.identity import claiming

    # Claim attempts are counted per IP in the shared cache, which outlives the test.
    ratelimit.reset(claiming.CLAIMS_PER_IP, "127.0.0.1")
    address = ServiceAddress.objects.create(
        line1="77 Orchard Lane",
        city="Riverbend",
        region="IA",
        postal_code=ZIP_CODE,
        service_area=ServiceArea.objects.get(code="riverbend-north"),  # a demo area
    )
    account = open_account(
        name=HOLDER, service_address=address, bill_cycle_day=12, email="okafor@example.org"
    )
    assert not account.members.exists()
    return account


_used_windows: set[int] = set()


def fresh_code(secret: str) -> str:
    """The app's code now, waiting for the next one if this one is about to expire or
    was already used: a used code is refused (no replays), as on a real phone."""
    from tests.support.totp import code_with_time_to_spare

    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < 4 or int(time.time() // TOTP_PERIOD) in _used_windows:
        time.sleep(left + 0.2)
    _used_windows.add(int(time.time() // TOTP_PERIOD))
    return code_with_time_to_spare(secret)


def message_to(outbox: list[EmailMessage], address: str) -> EmailMessage:
    """The last email sent to ``address`` with a verification code or link in it."""
    for message in reversed(outbox):
        body = str(message.body)
        if address in message.to and (CODE_IN_MAIL.search(body) or LINK_IN_MAIL.search(body)):
            return message
    sent = [(message.to, message.subject) for message in outbox]
    raise AssertionError(f"no verification email to {address}; sent: {sent}")


def dont_trust_browser_if_asked(page: Page) -> None:
    if "/2fa/trust/" in page.url:
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile(r"don.t trust", re.IGNORECASE)).click()


def test_claim_verify_totp_sign_out_and_sign_in_with_a_code(
    page: Page,
    demo_site: DemoSite,
    unclaimed_account: CustomerAccount,
    mailoutbox: list[EmailMessage],
) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from dropline.accounts.models import User
    from dropline.customers.models import MemberRole

    # 1. Claim the account with what the bill shows, and choose a login.
    opened(page, demo_site.at(CLAIM_PATH))
    main = page.get_by_role("main")
    main.get_by_label(re.compile(r"account number", re.IGNORECASE)).fill(
        unclaimed_account.display_number
    )
    main.get_by_label(re.compile(r"zip", re.IGNORECASE)).fill(ZIP_CODE)
    main.get_by_label(re.compile(r"last name", re.IGNORECASE)).fill(LAST_NAME)
    main.get_by_label(re.compile(r"^username", re.IGNORECASE)).fill(USERNAME)
    main.get_by_label(re.compile(r"e-?mail", re.IGNORECASE)).fill(EMAIL)
    main.get_by_label(re.compile(r"^password$", re.IGNORECASE)).fill(PASSWORD)
    again = main.get_by_label(re.compile(r"password again|confirm", re.IGNORECASE))
    if again.count():
        again.fill(PASSWORD)
    with page.expect_navigation():
        main.get_by_role("button", name=re.compile(r"create|claim|set up", re.IGNORECASE)).click()

    user = User.objects.get(username=USERNAME)
    assert user.memberships.get().account == unclaimed_account
    assert user.memberships.get().role == MemberRole.HOLDER
    assert not EmailAddress.objects.get(user=user, email=EMAIL).verified
    # The portal stays closed until the address is confirmed.
    page.goto(demo_site.at("/"))
    assert page.url != demo_site.at("/"), "the portal opened before the email was confirmed"

    # 2. Confirm the email address with the code (or link) that was sent to it.
    body = str(message_to(mailoutbox, EMAIL).body)
    link = LINK_IN_MAIL.search(body)
    if link:
        page.goto(link.group(0))
        confirm = page.get_by_role("button", name=re.compile(r"confirm", re.IGNORECASE))
        if confirm.count():
            with page.expect_navigation():
                confirm.first.click()
    else:
        code = CODE_IN_MAIL.search(body)
        assert code is not None
        if "/accounts/confirm-email/" not in page.url:
            page.goto(demo_site.at("/accounts/confirm-email/"))
        code_field = page.locator("input[name=code]")
        code_field.fill(code.group(1))
        with page.expect_navigation():
            code_field.press("Enter")
    assert EmailAddress.objects.get(user=user, email=EMAIL).verified

    # Confirming in the same browser finishes the sign-in: the portal opens.
    expect(page).to_have_url(demo_site.at("/"))
    expect(main).to_contain_text(unclaimed_account.display_number)

    # 3. Turn on an authenticator app with the setup key shown for manual entry.
    opened(page, demo_site.at(TOTP_ACTIVATE_PATH))
    confirm_password_if_asked(page, PASSWORD)
    expect(page).to_have_url(demo_site.at(TOTP_ACTIVATE_PATH))
    setup_key = page.get_by_role("textbox", name=re.compile(r"setup key|secret", re.IGNORECASE))
    secret = setup_key.input_value().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    code_field = page.locator("input[name=code]")
    code_field.fill(fresh_code(secret))
    with page.expect_navigation():
        code_field.press("Enter")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    # 4. Sign out.
    opened(page, demo_site.at(LOGOUT_PATH))
    with page.expect_navigation():
        main.get_by_role("button", name=re.compile(r"sign out", re.IGNORECASE)).click()
    opened(page, demo_site.at("/"))
    expect(page).to_have_url(re.compile(re.escape(demo_site.at(LOGIN_PATH))))

    # 5. Sign in: the password alone is not enough, the app's code completes it.
    sign_in(page, demo_site.at(LOGIN_PATH), USERNAME, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.goto(demo_site.at("/"))
    assert page.url != demo_site.at("/"), "the portal opened with the password alone"
    opened(page, demo_site.at("/accounts/2fa/authenticate/"))
    code_field = page.get_by_label("Code from your authenticator app")
    code_field.fill(fresh_code(secret))
    with page.expect_navigation():
        code_field.press("Enter")
    dont_trust_browser_if_asked(page)

    expect(page).to_have_url(demo_site.at("/"))
    expect(main).to_contain_text(unclaimed_account.display_number)
