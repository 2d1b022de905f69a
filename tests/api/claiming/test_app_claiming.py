"""Getting a login from the mobile app: claiming an account with the bill's details or
redeeming an invitation code, then confirming the email through allauth headless.

The app talks JSON with the ``X-Session-Token`` header and never has a cookie.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers.invitations import issue_printed_code
from dropline.customers.models import AccountMember, CustomerAccount, InvitationCode, MemberRole
from tests.support.claiming import unclaimed_account, with_typo
from tests.support.factories import PASSWORD as CUSTOMER_PASSWORD
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db

CLAIM = "/api/v1/new-login/claim"
REDEEM = "/api/v1/new-login/invitation"
CLAIM_FOR_ME = "/api/v1/accounts/claim"
REDEEM_FOR_ME = "/api/v1/accounts/invitation"
ME = "/api/v1/me"
APP = "/_allauth/app/v1"
VERIFY_EMAIL = f"{APP}/auth/email/verify"
PASSWORD = "violet-kettle-harbor-9"
PHONE_UA = "Dropline-App/2.3 (Android 14; Pixel 8) okhttp/4.12.0"


@pytest.fixture
def account() -> CustomerAccount:
    return unclaimed_account(name="Maria Rivera", postal_code="52240")


def app_post(
    url: str, body: dict[str, Any], *, token: str | None = None, ip: str = "203.0.113.9"
) -> Any:
    headers: dict[str, Any] = {"HTTP_X_SESSION_TOKEN": token} if token else {}
    return Client(HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR=ip).post(
        url, body, content_type="application/json", **headers
    )


def me(token: str) -> Any:
    return Client().get(ME, HTTP_X_SESSION_TOKEN=token)


def claim_body(account: CustomerAccount, **overrides: str) -> dict[str, str]:
    return {
        "account_number": account.display_number,
        "postal_code": "52240",
        "last_name": "Rivera",
        "username": "maria.r",
        "email": "maria@example.com",
        "password": PASSWORD,
        **overrides,
    }


def redeem_body(code: str, **overrides: str) -> dict[str, str]:
    return {
        "code": code,
        "username": "sam.helper",
        "email": "sam@example.com",
        "password": PASSWORD,
        **overrides,
    }


def confirmation_code(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    found = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{2,4})\s*$", str(message.body), re.M)
    assert found is not None, message.body
    return found.group(1)


def pending_flows(response: Any) -> list[str]:
    return [f["id"] for f in response.json()["data"]["flows"] if f.get("is_pending")]


def sign_in(username: str) -> str:
    response = app_post(f"{APP}/auth/login", {"username": username, "password": CUSTOMER_PASSWORD})
    assert response.status_code == 200, response.content
    return str(response.json()["meta"]["session_token"])


def fields(response: Any) -> dict[str, str]:
    return {error["field"]: error["reason"] for error in response.json()["errors"]}


# Claiming with the bill's details ------------------------------------------------------------


def test_claiming_answers_like_an_app_sign_up_and_the_api_opens_once_the_email_is_confirmed(
    account,
):
    response = app_post(CLAIM, claim_body(account))

    # allauth's answer to an app sign-up: signed in once the email is confirmed.
    assert response.status_code == 401, response.content
    body = response.json()
    assert body["status"] == 401
    assert body["meta"]["is_authenticated"] is False
    assert pending_flows(response) == ["verify_email"]
    token = body["meta"]["session_token"]
    assert token
    assert not response.cookies  # the app has no cookies
    user = User.objects.get(username="maria.r")
    assert AccountMember.objects.get(user=user).role == MemberRole.HOLDER
    assert not EmailAddress.objects.get(user=user).verified
    assert AuditEvent.objects.filter(action="account.claimed", actor=user).count() == 1

    # Not in yet.
    assert me(token).status_code == 401

    verified = app_post(VERIFY_EMAIL, {"key": confirmation_code("maria@example.com")}, token=token)

    assert verified.status_code == 200, verified.content
    assert verified.json()["meta"]["is_authenticated"] is True
    signed_in = verified.json()["meta"].get("session_token", token)
    profile = me(signed_in)
    assert profile.status_code == 200
    assert profile.json()["accounts"] == [
        {"number": account.number, "name": "Maria Rivera", "role": "holder"}
    ]
    assert EmailAddress.objects.get(user=user).verified


def test_a_wrong_confirmation_code_keeps_the_api_closed(account):
    token = app_post(CLAIM, claim_body(account)).json()["meta"]["session_token"]
    right = confirmation_code("maria@example.com")
    wrong = "AAAA-AAAA" if right != "AAAA-AAAA" else "BBBB-BBBB"

    refused = app_post(VERIFY_EMAIL, {"key": wrong}, token=token)

    assert refused.status_code == 400
    assert me(token).status_code == 401
    assert not EmailAddress.objects.get(email="maria@example.com").verified


@pytest.mark.parametrize(
    "case", ["wrong zip", "typo in number", "wrong name", "already claimed", "closed"]
)
def test_every_wrong_detail_gets_the_byte_identical_answer_of_an_unknown_number(account, case):
    unknown = app_post(CLAIM, claim_body(account, account_number="826 0000 0000"), ip="192.0.2.1")
    overrides = {
        "wrong zip": {"postal_code": "52241"},
        "typo in number": {"account_number": with_typo(account.number)},
        "wrong name": {"last_name": "Smith"},
        "already claimed": {},
        "closed": {},
    }[case]
    if case == "already claimed":
        holder = make_customer(username="first.holder")
        AccountMember.objects.filter(user=holder.user).update(account=account)
    if case == "closed":
        CustomerAccount.objects.filter(pk=account.pk).update(status="closed")
    users_before = User.objects.count()

    answer = app_post(CLAIM, claim_body(account, **overrides), ip="192.0.2.2")

    assert unknown.status_code == answer.status_code == 400
    assert answer.content == unknown.content
    assert fields(answer) == {"body": answer.json()["detail"]}
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="maria.r").exists()
    assert mail.outbox == []
    assert "session_token" not in answer.content.decode()


def test_the_sixth_claim_on_one_account_number_in_15_minutes_is_refused_even_if_right(account):
    for attempt in range(5):
        wrong = app_post(
            CLAIM, claim_body(account, postal_code="99999"), ip=f"198.51.100.{attempt}"
        )
        assert wrong.status_code == 400

    sixth = app_post(CLAIM, claim_body(account), ip="198.51.100.99")

    assert sixth.status_code == 429
    assert sixth.json()["detail"].startswith("Too many attempts.")
    assert 0 < sixth.json()["retry_after"] <= 15 * 60
    assert int(sixth["Retry-After"]) == sixth.json()["retry_after"]
    assert not User.objects.filter(username="maria.r").exists()
    assert mail.outbox == []

    with clock.frozen(clock.now() + dt.timedelta(minutes=16)):
        later = app_post(CLAIM, claim_body(account), ip="198.51.100.99")
    assert later.status_code == 401
    assert pending_flows(later) == ["verify_email"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "maria.example.com"}, "email"),
        ({"password": "short"}, "password"),
        ({"password": "password1234"}, "password"),
        ({"username": "maria r!"}, "username"),
        ({"username": ""}, "username"),
    ],
)
def test_bad_login_details_name_the_field_and_create_nothing(account, overrides, field):
    response = app_post(CLAIM, claim_body(account, **overrides))

    assert response.status_code == 400, response.content
    assert field in fields(response)
    assert fields(response)[field]
    assert not User.objects.exists()
    assert not AccountMember.objects.filter(account=account).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("body_change", "field"),
    [
        ({"remove": "postal_code"}, "postal_code"),
        ({"last_name": "x" * 101}, "last_name"),
        ({"account_number": 826000000016}, "account_number"),
    ],
)
def test_malformed_input_is_422_naming_the_field(account, body_change, field):
    body: dict[str, Any] = claim_body(account)
    if "remove" in body_change:
        del body[body_change["remove"]]
    else:
        body.update(body_change)

    response = app_post(CLAIM, body)

    assert response.status_code == 422
    assert field in fields(response)
    assert not User.objects.exists()


def test_a_taken_username_is_said_once_the_details_match(account):
    make_customer(username="maria.r")

    response = app_post(CLAIM, claim_body(account, email="new@example.com"))

    assert response.status_code == 400
    assert set(fields(response)) == {"username"}
    assert not AccountMember.objects.filter(account=account).exists()


def test_someone_signed_in_cannot_create_a_second_login(account):
    ann = make_customer(username="ann")
    token = sign_in("ann")

    response = app_post(CLAIM, claim_body(account), token=token)

    assert response.status_code == 409
    assert response.json()["detail"]
    assert not User.objects.filter(username="maria.r").exists()
    assert AccountMember.objects.filter(user=ann.user).count() == 1
    assert me(token).status_code == 200  # still signed in as before


def test_an_ended_session_token_gets_allauths_410_and_nothing_is_created(account):
    make_customer(username="ann")
    token = sign_in("ann")
    Client().delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token)

    response = app_post(CLAIM, claim_body(account), token=token)

    assert response.status_code == 410
    assert not User.objects.filter(username="maria.r").exists()


# Redeeming an invitation code -----------------------------------------------------------------


def test_a_printed_holder_code_makes_a_login_that_signs_in_after_the_email(account):
    code = issue_printed_code(account=account, created_by=None).code

    response = app_post(REDEEM, redeem_body(code.lower().replace("-", " ")))

    assert response.status_code == 401, response.content
    assert pending_flows(response) == ["verify_email"]
    token = response.json()["meta"]["session_token"]
    user = User.objects.get(username="sam.helper")
    assert AccountMember.objects.get(user=user, account=account).role == MemberRole.HOLDER
    assert InvitationCode.objects.get(account=account).used_by == user
    assert me(token).status_code == 401
    verified = app_post(VERIFY_EMAIL, {"key": confirmation_code("sam@example.com")}, token=token)
    assert verified.status_code == 200
    signed_in = verified.json()["meta"].get("session_token", token)
    assert me(signed_in).json()["accounts"][0]["number"] == account.number


@pytest.mark.parametrize("case", ["unknown", "used", "expired", "revoked"])
def test_a_code_that_cannot_be_used_names_the_code_field(account, case):
    issued = issue_printed_code(account=account, created_by=None, role=MemberRole.AUTHORIZED)
    code = issued.code
    if case == "unknown":
        code = "DRPL-AAAA-BBBB-CCCC"
    elif case == "used":
        assert app_post(REDEEM, redeem_body(code)).status_code == 401
    elif case == "expired":
        InvitationCode.objects.filter(pk=issued.invitation.pk).update(expires_at=clock.now())
    elif case == "revoked":
        InvitationCode.objects.filter(pk=issued.invitation.pk).update(revoked_at=clock.now())
    users_before = User.objects.count()

    response = app_post(REDEEM, redeem_body(code, username="other", email="other@example.com"))

    assert response.status_code == 400
    assert list(fields(response)) == ["code"]
    assert User.objects.count() == users_before


def test_redeeming_is_limited_per_ip_address(account):
    for _ in range(20):
        assert app_post(REDEEM, redeem_body("DRPL-AAAA-BBBB-CCCC")).status_code == 400
    code = issue_printed_code(account=account, created_by=None).code

    response = app_post(REDEEM, redeem_body(code))

    assert response.status_code == 429
    assert response.json()["retry_after"] > 0
    assert not User.objects.filter(username="sam.helper").exists()
    assert app_post(REDEEM, redeem_body(code), ip="192.0.2.50").status_code == 401


# Someone signed in adds an account -------------------------------------------------------------


def test_a_signed_in_person_redeems_a_code_and_the_account_is_on_their_login(account):
    ann = make_customer(username="ann")
    token = sign_in("ann")
    code = issue_printed_code(account=account, created_by=None, role=MemberRole.AUTHORIZED).code

    response = app_post(REDEEM_FOR_ME, {"code": code}, token=token)

    assert response.status_code == 201, response.content
    assert response.json() == {
        "account": {"number": account.number, "name": "Maria Rivera", "role": "authorized"}
    }
    numbers = {a["number"] for a in me(token).json()["accounts"]}
    assert numbers == {ann.account.number, account.number}
    assert User.objects.count() == 1

    again = app_post(REDEEM_FOR_ME, {"code": code}, token=token)
    assert again.status_code == 400
    assert list(fields(again)) == ["code"]


def test_a_signed_in_person_claims_another_account_they_hold(account):
    make_customer(username="ann")
    token = sign_in("ann")
    body = {"account_number": account.number, "postal_code": "52240", "last_name": "rivera"}

    wrong = app_post(CLAIM_FOR_ME, {**body, "last_name": "Smith"}, token=token)
    right = app_post(CLAIM_FOR_ME, body, token=token)

    assert wrong.status_code == 400
    assert list(fields(wrong)) == ["body"]
    assert right.status_code == 201
    assert right.json()["account"]["role"] == "holder"
    assert AccountMember.objects.get(account=account, role=MemberRole.HOLDER).user.username == "ann"


def test_adding_an_account_needs_a_signed_in_person(account):
    code = issue_printed_code(account=account, created_by=None).code
    assert app_post(REDEEM_FOR_ME, {"code": code}).status_code == 401
    assert app_post(CLAIM_FOR_ME, {"account_number": account.number}).status_code == 401
    assert not AccountMember.objects.filter(account=account).exists()


# The spec ---------------------------------------------------------------------------------------


def test_the_operations_are_in_the_openapi_spec_with_their_schemas():
    spec = Client().get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    schemas = spec["components"]["schemas"]

    claim = paths[CLAIM]["post"]
    assert claim["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ClaimIn"
    )
    assert {"400", "401", "409", "422", "429"} <= set(claim["responses"])
    assert claim.get("security") in (None, [])  # open to someone signed out
    assert set(schemas["ClaimIn"]["required"]) == {
        "account_number",
        "postal_code",
        "last_name",
        "username",
        "email",
        "password",
    }
    assert set(schemas["RedeemIn"]["required"]) == {"code", "username", "email", "password"}
    assert "session_token" in schemas["AllauthMetaOut"]["properties"]
    for path in (REDEEM, CLAIM_FOR_ME, REDEEM_FOR_ME):
        assert "post" in paths[path]
    assert paths[CLAIM_FOR_ME]["post"]["security"]
