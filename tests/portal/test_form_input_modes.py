"""Every field of every portal form tells a phone what it is: the keyboard to show
(``type``, ``inputmode``) and what the browser or password manager may fill in
(``autocomplete``): one-time codes, phone numbers, email addresses, current and new
passwords, usernames, names and ZIP codes, amounts and card-less numbers.

The pages are rendered as a person reaches them: the demo customer's pages by following
links from the overview (re-authenticated, so the security pages open), the signed-out
ways in, and the steps that only a form leads to (the second step of signing in, a code
to confirm a new address, a password reset). ``FIELDS`` says what each field is for;
a field in no row fails the test, so a new form's fields must be classified, and a field
whose attributes are wrong for its purpose fails with the page and the attribute. A page
of the portal that none of this renders must be listed in ``NOT_RENDERED`` with why.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import HASH_SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dropline.accounts.recovery_codes import HashedRecoveryCodes
from dropline.accounts.second_factor import enrol_authenticator_app
from dropline.catalog.models import AddOn
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.helpdesk.troubleshooting.steps import PROBLEMS
from dropline.notifications.models import ContactKind, ContactPoint
from dropline.payments.disputes.models import DisputeReason
from dropline.payments.disputes.opening import open_dispute
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.pricing import add_add_on
from tests.support.billing import bill_this_cycle_today
from tests.support.claiming import unclaimed_account
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_customer, make_user
from tests.support.factors import enable_sms, sign_in_with_password
from tests.support.form_inputs import Field, Pages, Purpose, Row, fields_of, judge, page_name
from tests.support.orders import pending_order
from tests.support.payments import save_card
from tests.support.recovery import MARIA_PHONE, person
from tests.support.tickets import a_ticket

pytestmark = pytest.mark.django_db

# --- what each kind of field needs ---------------------------------------------------------

DIGITS_CODE = Purpose(
    "one-time code of digits",
    attrs={
        "autocomplete": "one-time-code",
        "inputmode": "numeric",
        "autocapitalize": "none",
        "spellcheck": "false",
    },
    matches=("123456", "123 456"),
    refuses=("12345a", "abcdef"),
)
# allauth's emailed codes are letters ("BCDF-GHJK"): no numeric keypad.
LETTERS_CODE = Purpose(
    "one-time code of letters",
    attrs={
        "autocomplete": "one-time-code",
        "inputmode": None,
        "autocapitalize": "characters",
        "spellcheck": "false",
    },
)
# Printed or saved codes with letters (an invitation, a recovery code): never autofilled.
PRINTED_CODE = Purpose(
    "printed code of letters and digits",
    attrs={
        "autocomplete": "off",
        "inputmode": None,
        "autocapitalize": "characters",
        "spellcheck": "false",
    },
)
OWN_EMAIL = Purpose("person's own email address", types=("email",), attrs={"autocomplete": "email"})
# Someone else's (an invitation to a household member): not filled with one's own.
OTHERS_EMAIL = Purpose(
    "someone else's email address", types=("email",), attrs={"autocomplete": "off"}
)
EMAIL_OR_PHONE = Purpose(
    "email address or mobile number",
    attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"},
)
PHONE = Purpose("phone number", types=("tel",), attrs={"autocomplete": "tel"})
USERNAME = Purpose(
    "username",
    attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
)
CURRENT_PASSWORD = Purpose(
    "current password", types=("password",), attrs={"autocomplete": "current-password"}
)
NEW_PASSWORD = Purpose("new password", types=("password",), attrs={"autocomplete": "new-password"})
FAMILY_NAME = Purpose("last name", attrs={"autocomplete": "family-name"})
POSTAL_CODE = Purpose("ZIP code", attrs={"autocomplete": "postal-code", "inputmode": "numeric"})
# An account or bank number: digits only, never remembered by the browser.
DIGITS = Purpose("number of digits", attrs={"inputmode": "numeric", "autocomplete": "off"})
AMOUNT = Purpose("amount of money", attrs={"inputmode": "decimal", "autocomplete": "off"})
CARD_NAME = Purpose("name on the card", attrs={"autocomplete": "cc-name"})
CARD_NUMBER = Purpose("card number", attrs={"autocomplete": "cc-number", "inputmode": "numeric"})
CARD_MONTH = Purpose(
    "card's expiry month", types=("number",), attrs={"autocomplete": "cc-exp-month"}
)
CARD_YEAR = Purpose("card's expiry year", types=("number",), attrs={"autocomplete": "cc-exp-year"})
CARD_CODE = Purpose("card security code", attrs={"autocomplete": "cc-csc", "inputmode": "numeric"})
# A Wi-Fi name or passphrase: exactly as typed, not the site's password.
WIFI = Purpose(
    "Wi-Fi name or passphrase",
    attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
)
DATE = Purpose("date", types=("date",))
TIME = Purpose("time of day", types=("time",))
SEARCH = Purpose("search", types=("search",))
FILES = Purpose("file to attach", types=("file",))
CHOICE = Purpose("choice", tags=("input", "select"), types=("radio", "checkbox"))
# A few words of the person's own (a subject, a passkey's name): no token applies.
WORDS = Purpose("line of the person's own words")
MESSAGE = Purpose("message", tags=("textarea",))
READ_ONLY = Purpose("text to copy", tags=("textarea",), attrs={"readonly": ""})

# --- what each field is for ------------------------------------------------------------------

FIELDS = [
    # Signing in and getting back in.
    Row("login", USERNAME),
    Row("password", CURRENT_PASSWORD),
    Row("remember", CHOICE),
    Row("identifier", USERNAME),
    Row("oldpassword", CURRENT_PASSWORD),
    Row("password1|password2", NEW_PASSWORD),
    Row("code", DIGITS_CODE),
    Row("code", PRINTED_CODE, id="id_recovery_code"),
    Row("code", LETTERS_CODE, page="account_email_verification_sent"),
    Row("address", EMAIL_OR_PHONE, page="recovery:username_reminder"),
    Row("email", OWN_EMAIL),
    # Getting a login: the bill's details, an invitation, the new login.
    Row("account_number", DIGITS),
    Row("postal_code", POSTAL_CODE),
    Row("last_name", FAMILY_NAME),
    Row("code", PRINTED_CODE, page="accounts_portal:invitation"),
    Row("username", USERNAME),
    Row("password|password_again", NEW_PASSWORD, page="accounts_portal:claim"),
    Row("password|password_again", NEW_PASSWORD, page="accounts_portal:invitation"),
    # Second factors.
    Row("#authenticator_secret|#recovery_codes", READ_ONLY),
    Row("name", WORDS, page="mfa_add_webauthn"),
    Row("name", WORDS, page="mfa_edit_webauthn"),
    Row("passwordless|confirm_last|contact|method|#codes_saved", CHOICE),
    # Contact details and notifications.
    Row("address", OWN_EMAIL, page="notifications:contacts", id="add-email-address"),
    Row("address", PHONE, page="notifications:contacts", id="add-phone-address"),
    Row(r"contact-\d+-code", DIGITS_CODE),
    Row(r"\w+__(email|sms|in_app|push)|#id_security__\w+", CHOICE),
    Row("starts|ends", TIME),
    Row("time_zone", CHOICE),
    # allauth's page asking where to send a code to confirm it's you (no password).
    Row("recipient", CHOICE),
    # People on the account: the invitation goes to someone else's address.
    Row("email", OTHERS_EMAIL, page="accounts_portal:people"),
    # Paying, payment methods, autopay, extensions, disputes.
    Row("amount_choice|when|kind|make_default", CHOICE),
    Row("amount|other_amount", AMOUNT),
    Row("pay_on|until", DATE),
    Row("holder_name", CARD_NAME),
    Row("number", CARD_NUMBER, page="payment_methods:add"),
    Row("exp_month", CARD_MONTH),
    Row("exp_year", CARD_YEAR),
    Row("cvc", CARD_CODE),
    Row("routing_number", DIGITS),
    Row("reason", CHOICE),
    Row("description|body|details|comment", MESSAGE),
    Row("attachments", FILES),
    # Equipment, support, visits, speed test, channels, help.
    Row(r"wifi-\d+-(ssid|passphrase)", WIFI),
    Row("category|rating|window_id|connection|ticked|account", CHOICE),
    Row("subject", WORDS),
    Row("q", SEARCH),
]

# Portal pages this test does not render, with the reason. Pages that only take a POST
# (GET answers 405) and files (a PDF, a CSV, a calendar entry) need no row: they are
# found to be so by asking.
NOT_RENDERED = {
    "account_logout": "signing out: a button, no field",
    "account_inactive": "tells a deactivated person why they can't sign in; no field",
    "account_signup": "sign-up is closed: the page says so, no field",
    "account_confirm_login_code": "signing in by emailed code is off",
    "account_request_reauthentication_code": "re-authenticating by emailed code is off",
    "account_confirm_reauthentication_code": "re-authenticating by emailed code is off",
    "account_reset_password_done": "says the email is on its way; no field",
    "account_reset_password_from_key_done": "says the password is changed; no field",
    "mfa_trust": "the last step of signing in: two buttons",
    "mfa_login_webauthn": "signing in with a passkey: the browser asks, no field",
    "mfa_reauthenticate_webauthn": "re-authenticating with a passkey: the browser asks",
    "mfa_generate_recovery_codes": "a button that makes new codes",
    "mfa_deactivate_totp": "Dropline's removal page stands in front: a button",
    "mfa_remove_webauthn": "Dropline's removal page stands in front: a button",
    "usersessions_list": "Dropline's sessions page stands in front",
    "second_factor:choose_method": "the second step of signing in: buttons",
    "notifications:unsubscribe": "one-click unsubscribe from a signed link: a button",
    "recovery:reset_done": "says the password is changed; no field",
    "recovery:username_reminder_sent": "says the reminder is on its way; no field",
    "equipment:restart_progress": "the restart's progress: no field",
    "appointments:tracking": "the technician on the way: no field",
    "tickets:updates": "the thread's new messages, polled by the page: no field",
    "speed_test:result": "a finished test's figures: no field",
    # Files, found by an id this test does not make.
    "billing:invoice_pdf": "an invoice's PDF",
    "disputes:attachment": "a file sent with a dispute",
    "tickets:attachment": "a file sent with a support request",
    "appointments:ics": "a technician visit's calendar file",
    "equipment:restart_status": "a restart's progress as JSON, polled by its page",
    "mfa_download_recovery_codes": "the recovery codes as a text file",
}

# The parts of the site that are not the customer portal.
NOT_PORTAL = ("backoffice/", "api/", "_allauth/", "healthz", "readyz", "metrics", "i18n/")

# --- reaching the pages -----------------------------------------------------------------------

DEMO = ("demo", "dropline-demo")


def signed_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def the_demo_customers_pages(pages: Pages) -> list[str]:
    """Every page the demo customer reaches by following links."""
    client = signed_in(*DEMO)
    # A mobile number waiting for its code: the page asks for it.
    customer = make_customer(username="contacts-test")
    ContactPoint.objects.create(user=customer.user, kind=ContactKind.PHONE, address=MARIA_PHONE)
    pages.render(signed_in("contacts-test"), reverse("notifications:contacts"))

    pages.password = DEMO[1]
    crawled = pages.crawl(client, ["/", "/plans/", "/channels/?q=sports", "/accounts/2fa/"])
    pages.password = None
    return crawled


def the_ways_in(pages: Pages) -> list[str]:
    """The signed-out pages: signing in, getting a login, getting back in."""
    return pages.crawl(
        Client(),
        [
            reverse("account_login"),
            reverse("account_reset_password"),
            reverse("accounts_portal:claim"),
            reverse("accounts_portal:invitation"),
            reverse("recovery:reset_code_request"),
            reverse("recovery:username_reminder"),
        ],
        skipped=("/support/", "/status/", "/plans/"),
    )


def the_steps_a_form_leads_to(pages: Pages) -> None:
    """Pages that only a form submitted before leads to."""
    # The second step of signing in: an authenticator app (with recovery codes), and
    # text messages. Then confirming it's you with the app, and the factor pages.
    app_user = make_user(username="app-user", second_factor=True)
    HashedRecoveryCodes.activate(app_user)
    client = Client()
    assert sign_in_with_password(client, app_user).url == reverse("mfa_authenticate")
    pages.render(client, reverse("mfa_authenticate"))
    texter = make_user(username="texter")
    enable_sms(texter)
    client = Client()
    assert sign_in_with_password(client, texter).url == reverse("second_factor:sms_authenticate")
    pages.render(client, reverse("second_factor:sms_authenticate"))
    client = Client()
    client.force_login(app_user)
    pages.render(client, reverse("mfa_reauthenticate"))
    pages.render(client, reverse("account_reauthenticate"))
    # A new password by code: by text message, and by email.
    person("maria", phone=MARIA_PHONE, email="maria@example.com")
    client = Client()
    client.post(reverse("recovery:reset_code_request"), {"identifier": "maria"})
    pages.render(client, reverse("recovery:reset_code"))
    client = Client()
    client.post(reverse("recovery:reset_email_request"), {"email": "maria@example.com"})
    pages.render(client, reverse("recovery:reset_email_code"))
    # ...and by the link in the email.
    body = str(mail.outbox[-1].body)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", body)
    assert link, body
    pages.render(Client(), link.group(1))
    # Claiming an account: the new login's email address is confirmed with a code.
    account = unclaimed_account()
    client = Client()
    claimed = client.post(
        reverse("accounts_portal:claim"),
        {
            "account_number": account.number,
            "postal_code": "52240",
            "last_name": "Rivera",
            "username": "new-rivera",
            "email": "new-rivera@example.com",
            "password": "violet-kettle-harbor-9",
            "password_again": "violet-kettle-harbor-9",
        },
    )
    assert claimed.status_code == 302, claimed.content.decode()[:2000]
    pages.render(client, claimed["Location"])
    # A login without a password sets one; a closed support request can be rated.
    no_password = make_customer(username="no-password")
    client = signed_in("no-password")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    no_password.user.set_unusable_password()
    no_password.user.save()
    session = client.session  # still signed in, as after a password reset by link
    session[HASH_SESSION_KEY] = no_password.user.get_session_auth_hash()
    session.save()
    pages.render(client, reverse("account_set_password"))
    ticket = a_ticket(no_password)
    client.post(reverse("tickets:close", args=[ticket.pk]))
    pages.render(client, reverse("tickets:detail", args=[ticket.pk]))


def the_pages_behind_a_button(pages: Pages) -> None:
    """Pages a button or a form opens, for a customer with one of everything: a dispute,
    a plan change waiting, a saved card, another person on the account, an add-on, a
    troubleshooter run, a help search; a passkey, recovery codes and the app."""
    customer = make_customer(username="extras")
    service = Subscription.objects.get(account=customer.account)
    add_on, _made = AddOn.objects.get_or_create(
        code="test-static-ip",
        defaults={"kind": "internet", "name": "Static IP", "monthly_price_cents": 1000},
    )
    add_add_on(subscription=service, add_on=add_on, started_on=service.started_on)
    invoice = bill_this_cycle_today(customer.account)
    dispute = open_dispute(
        account=customer.account,
        invoice_line=invoice.lines.filter(amount_cents__gt=0).order_by("position")[0],
        amount_cents=100,
        reason=DisputeReason.OTHER,
        description="The charge is twice on the bill",
        actor=customer.user,
    )
    helper = add_member(
        account=customer.account,
        user=make_user(username="extras-helper"),
        role=MemberRole.AUTHORIZED,
    )
    card = save_card(customer)
    order = pending_order(customer)
    client = signed_in("extras")
    pages.password = PASSWORD
    run = client.post(reverse("troubleshooter:index"), {"problem": PROBLEMS[0]})
    assert run.status_code == 302, run.content.decode()[:500]
    for path in (
        run["Location"],
        reverse("disputes:dispute", args=[dispute.pk]),
        reverse("disputes:withdraw", args=[dispute.pk]),
        reverse("orders:cancel", args=[order.pk]),
        reverse("payment_methods:remove", args=[card.pk]),
        reverse("accounts_portal:remove_member", args=[helper.pk]),
        reverse("changes:remove_add_on", args=[service.pk, add_on.code]),
        reverse("help:search") + "?q=bill",
    ):
        pages.render(client, path)
    # Second factors: the app, recovery codes and a passkey.
    enrol_authenticator_app(user=customer.user, secret=STAFF_TOTP_SECRET)
    HashedRecoveryCodes.activate(customer.user)
    passkey = Authenticator.objects.create(
        user=customer.user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Phone", "credential": {"id": "credential-1", "type": "public-key"}},
    )
    totp = Authenticator.objects.get(user=customer.user, type=Authenticator.Type.TOTP)
    for path in (
        reverse("mfa_view_recovery_codes"),
        reverse("mfa_list_webauthn"),
        reverse("mfa_edit_webauthn", args=[passkey.pk]),
        reverse("second_factor:remove", args=["totp", totp.pk]),
    ):
        pages.render(client, path)
    pages.password = None


# --- the guard on the rendering --------------------------------------------------------------


def _routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            found.append((prefix + str(pattern.pattern), f"{namespace}{pattern.name}"))
    return found


def portal_pages() -> dict[str, str]:
    """URL name -> a concrete path (ids 1, words "x"), for every portal pattern."""
    pages: dict[str, str] = {}
    for route, name in _routes(get_resolver().url_patterns):
        if route.startswith(NOT_PORTAL):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "x" if "code" in m[1] else "1", route)
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "x1", path).replace("^", "").replace("$", "")
        pages.setdefault(name, "/" + path)
    return pages


def covered(client: Client, path: str, rendered: set[str]) -> bool:
    """Nothing to fill in at ``path``, or it is a page rendered under another name: a
    POST-only address (GET answers 405), an answer that is not a page (JSON, a file), a
    page without a field, or one that leads to a page rendered (allauth's page that
    Dropline's stands in front of, a redirect)."""
    response = client.get(path, follow=True)
    if response.status_code == 405 or "html" not in response.get("Content-Type", ""):
        return True
    if response.status_code != 200:
        return False
    final = response.request["PATH_INFO"]
    return page_name(final) in rendered or not fields_of(final, response.content.decode())[0]


# --- the tests ----------------------------------------------------------------------------------


def test_every_field_of_every_portal_form_has_the_right_keyboard_and_autofill(demo):
    pages = Pages()
    crawled = the_demo_customers_pages(pages) + the_ways_in(pages)
    the_steps_a_form_leads_to(pages)
    the_pages_behind_a_button(pages)
    assert len(crawled) > 60, crawled
    # The pages the issue names, with the code, phone, email and password fields.
    assert {
        "account_login",
        "account_change_password",
        "account_set_password",
        "account_reset_password",
        "account_reset_password_from_key",
        "account_reauthenticate",
        "account_email_verification_sent",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "second_factor:sms_authenticate",
        "recovery:reset_code",
        "notifications:contacts",
        "accounts_portal:claim",
        "payments:pay",
    } <= pages.rendered, pages.rendered

    problems = judge(FIELDS, pages.fields)
    assert not problems, f"{len(problems)} fields:\n" + "\n".join(problems)

    # The purposes the issue names were all met on a real page.
    seen = {(row.purpose.words) for row in FIELDS for found in pages.fields if row.covers(found)}
    for purpose in (DIGITS_CODE, PHONE, OWN_EMAIL, CURRENT_PASSWORD, NEW_PASSWORD, USERNAME):
        assert purpose.words in seen, f"no {purpose.words} on any page rendered"

    # Every portal page with a form was rendered, or is listed with its reason.
    client = signed_in(*DEMO)
    missing = [
        f"{name} ({path})"
        for name, path in sorted(portal_pages().items())
        if name not in pages.rendered
        and name not in NOT_RENDERED
        and not covered(client, path, pages.rendered)
    ]
    assert not missing, "pages not rendered; reach them or list them in NOT_RENDERED:\n" + (
        "\n".join(missing)
    )
    stale = sorted(set(NOT_RENDERED) & pages.rendered)
    assert not stale, f"rendered after all, take them out of NOT_RENDERED: {stale}"


def _fields(html: str, path: str = "/accounts/login/") -> list[Field]:
    return fields_of(path, html)[0]


def test_a_field_in_no_row_fails():
    problems = judge(FIELDS, _fields('<form><input type="text" name="favourite_colour"></form>'))
    assert problems == [
        '<input type="text" name="favourite_colour"> on /accounts/login/: in no row of the '
        "table; say what it is for"
    ]


@pytest.mark.parametrize(
    ("html", "complaint"),
    [
        ('<input type="text" name="login" autocomplete="email">', 'needs autocomplete="username"'),
        ('<input type="text" name="password" autocomplete="current-password">', "type=password"),
        (
            '<input type="password" name="password1" autocomplete="current-password">',
            'needs autocomplete="new-password"',
        ),
        (
            '<input type="text" name="code" autocomplete="one-time-code" inputmode="numeric" '
            'autocapitalize="none" spellcheck="false">',
            "has no pattern",
        ),
        (
            '<input type="text" name="code" autocomplete="one-time-code" inputmode="numeric" '
            'autocapitalize="none" spellcheck="false" pattern="[0-9a-z]*">',
            'accepts "abcdef"',
        ),
        (
            '<input type="text" name="code" id="id_recovery_code" autocomplete="off" '
            'inputmode="numeric" autocapitalize="characters" spellcheck="false">',
            'has inputmode="numeric"',
        ),
        ('<input type="text" name="other_amount" autocomplete="off">', 'needs inputmode="decimal"'),
    ],
)
def test_a_wrong_token_fails(html, complaint):
    problems = judge(FIELDS, _fields(f"<form>{html}</form>"))
    assert any(complaint in problem for problem in problems), problems


def test_a_row_for_one_page_wins_over_the_row_for_every_page():
    html = '<input type="email" name="email" autocomplete="off">'
    assert judge(FIELDS, _fields(html, "/account/people/")) == []
    assert judge(FIELDS, _fields(html, "/accounts/email/")) == [
        f'<input type="email" name="email" autocomplete="off"> on /accounts/email/: has '
        f'autocomplete="off", a {OWN_EMAIL.words} needs autocomplete="email"'
    ]


def test_the_tables_name_every_page_they_mention(client: Any):
    """A row or a reason for a page that no longer exists is a mistake to correct."""
    names = set(portal_pages())
    assert not sorted(set(NOT_RENDERED) - names)
    assert not sorted({row.page for row in FIELDS if row.page} - names)


# --- the boxes split by keyboard: what a person sees after a refusal ---------------------------


def _box(page: str, box_id: str) -> str:
    """The ``<input>`` tag with ``box_id``."""
    match = re.search(rf'<input [^>]*id="{box_id}"[^>]*>', page)
    assert match, f"no #{box_id} on the page"
    return match.group(0)


def test_a_mobile_number_has_its_own_box_which_keeps_its_error():
    customer = make_customer(username="boxes")
    client = signed_in("boxes")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("notifications:contacts")).content.decode()
    assert 'type="tel"' in _box(page, "add-phone-address")
    assert 'type="email"' in _box(page, "add-email-address")

    refused = client.post(
        reverse("notifications:add_contact"), {"kind": "phone", "address": "555-CALL-NOW"}
    )
    page = refused.content.decode()
    assert refused.status_code == 200
    phone = _box(page, "add-phone-address")
    assert 'value="555-CALL-NOW"' in phone
    assert 'aria-invalid="true"' in phone
    assert 'id="add-phone-address_error"' in page
    assert "add-email-address_error" not in page
    assert "value=" not in _box(page, "add-email-address")
    assert not ContactPoint.objects.filter(user=customer.user).exists()


@pytest.mark.parametrize(
    ("typed", "error_beside", "opened"),
    [("000000", "id_code_error", False), ("ABCDE-FGHJK", "id_recovery_code_error", True)],
)
def test_a_refused_code_is_answered_beside_the_box_it_was_typed_in(typed, error_beside, opened):
    """The app's code gets the number pad, a recovery code (letters) a box of its own."""
    user = make_user(username="two-boxes", second_factor=True)
    HashedRecoveryCodes.activate(user)
    client = Client()
    sign_in_with_password(client, user)
    page = client.post(reverse("mfa_authenticate"), {"code": typed}).content.decode()
    assert f'id="{error_beside}"' in page
    assert page.count('class="errorlist"') == 1
    assert ('<details class="recovery-code" open>' in page) is opened
