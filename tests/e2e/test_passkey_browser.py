"""Passkeys in real Chromium: a signed-in customer adds one, signs out, and signs in
again with it alone, without typing a password.

Chromium's virtual authenticator (DevTools protocol, ``WebAuthn.addVirtualAuthenticator``)
stands in for the phone or security key: a CTAP2 platform authenticator that keeps
resident (discoverable) credentials and verifies the user (as a fingerprint or PIN would).
``http://localhost`` is a secure context, so WebAuthn works against ``live_server``
without HTTPS, and the server checks the origin as it does in production.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import (
    DEMO_CUSTOMER,
    LOGIN_PATH,
    DemoSite,
    confirm_password_if_asked,
    opened,
)

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession

pytestmark = pytest.mark.browser

ADD_PASSKEY_PATH = "/accounts/2fa/webauthn/add/"
PASSKEY_LOGIN_PATH = "/accounts/2fa/webauthn/login/"
LOGOUT_PATH = "/accounts/logout/"

# What allauth's "Sign in with a passkey" button does (allauth.webauthn.forms.loginForm),
# for a sign-in page that does not have the button: ask the server for a challenge,
# let the authenticator answer it, post the answer.
PASSKEY_SIGN_IN_SCRIPT = """async (path) => {
  const response = await fetch(path, {headers: {Accept: "application/json"}});
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  const data = await response.json();
  const credential = await webauthnJSON.get(data.request_options);
  const form = document.createElement("form");
  form.method = "post";
  form.action = path;
  const fields = {
    csrfmiddlewaretoken: document.querySelector("input[name=csrfmiddlewaretoken]").value,
    credential: JSON.stringify(credential),
  };
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  setTimeout(() => form.submit(), 0);
}"""


@pytest.fixture
def authenticator(page: Page) -> Iterator[tuple[CDPSession, str]]:
    """A virtual passkey authenticator in the page's browser: the DevTools session and
    the authenticator's id."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    authenticator_id = str(added["authenticatorId"])
    try:
        yield cdp, authenticator_id
    finally:
        cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator_id})
        cdp.detach()


def credentials_in(cdp: CDPSession, authenticator_id: str) -> list[dict[str, Any]]:
    answer = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    return list(answer["credentials"])


def test_add_a_passkey_then_sign_in_with_it_alone(
    customer_page: Page,
    demo_site: DemoSite,
    authenticator: tuple[CDPSession, str],
) -> None:
    from allauth.mfa.models import Authenticator

    from dropline.accounts.models import User

    page = customer_page
    cdp, authenticator_id = authenticator
    assert demo_site.url.startswith("http://localhost:"), "WebAuthn needs a secure context"
    user = User.objects.get(username=DEMO_CUSTOMER[0])

    # 1. Add a passkey that can sign in without a password (a resident credential).
    opened(page, demo_site.at(ADD_PASSKEY_PATH))
    confirm_password_if_asked(page, DEMO_CUSTOMER[1])
    expect(page).to_have_url(demo_site.at(ADD_PASSKEY_PATH))
    main = page.get_by_role("main")
    main.get_by_role(
        "checkbox", name=re.compile(r"without a password|passwordless", re.IGNORECASE)
    ).check()
    with page.expect_navigation():
        main.get_by_role("button", name=re.compile(r"^add", re.IGNORECASE)).click()
    expect(page).not_to_have_url(demo_site.at(ADD_PASSKEY_PATH))

    passkeys = Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN)
    assert passkeys.count() == 1
    assert passkeys.get().wrap().is_passwordless
    (credential,) = credentials_in(cdp, authenticator_id)
    assert credential["isResidentCredential"], "the passkey is not discoverable"

    # 2. Sign out.
    opened(page, demo_site.at(LOGOUT_PATH))
    with page.expect_navigation():
        main.get_by_role("button", name=re.compile(r"sign out", re.IGNORECASE)).click()
    opened(page, demo_site.at("/"))
    expect(page).to_have_url(re.compile(re.escape(demo_site.at(LOGIN_PATH))))

    # 3. Sign in with the passkey: nobody types a username or a password.
    opened(page, demo_site.at(LOGIN_PATH))
    expect(page.locator("#id_login")).to_have_value("")
    expect(page.locator("#id_password")).to_have_value("")
    button = page.get_by_role("button", name=re.compile(r"passkey", re.IGNORECASE))
    with page.expect_navigation(url=demo_site.at("/")):
        if button.count():
            button.first.click()
        else:
            # The sign-in page has no passkey button yet: do what allauth's does.
            page.add_script_tag(url=demo_site.at("/static/mfa/js/webauthn-json.js"))
            page.evaluate(PASSKEY_SIGN_IN_SCRIPT, PASSKEY_LOGIN_PATH)

    expect(page).to_have_url(demo_site.at("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maria")
    assert credentials_in(cdp, authenticator_id)[0]["signCount"] >= 1
    passkey = passkeys.get()
    assert passkey.last_used_at is not None
