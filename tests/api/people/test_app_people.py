"""The people on an account from the mobile app: the holder sees, invites, revokes and
removes; an authorized user only sees; nobody reaches another account's people."""

from __future__ import annotations

import smtplib
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.db.models import Model
from django.test import Client

from dropline.core.models import AuditEvent
from dropline.customers import invitations
from dropline.customers.models import AccountMember, InvitationCode, MemberRole
from dropline.customers.onboarding import add_member
from tests.support.factories import PASSWORD, Customer, make_customer, make_user

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people"
INVITE = "/api/v1/people/invitations"
PHONE_UA = "Dropline-App/2.3 (Android 14; Pixel 8) okhttp/4.12.0"


class App:
    """The app signed in as one person: JSON and the session token, no cookies."""

    def __init__(self, username: str) -> None:
        login = Client().post(
            "/_allauth/app/v1/auth/login",
            {"username": username, "password": PASSWORD},
            content_type="application/json",
        )
        assert login.status_code == 200, login.content
        self.token = login.json()["meta"]["session_token"]

    def _client(self) -> Client:
        return Client(HTTP_USER_AGENT=PHONE_UA, HTTP_X_SESSION_TOKEN=self.token)

    def get(self, url: str, **query: str) -> Any:
        return self._client().get(url, query)

    def post(self, url: str, body: dict[str, Any]) -> Any:
        return self._client().post(url, body, content_type="application/json")

    def delete(self, url: str) -> Any:
        return self._client().delete(url)


@pytest.fixture
def household() -> tuple[Customer, AccountMember]:
    """Ann holds the account; Sam is an authorized user on it."""
    ann = make_customer(username="ann", name="Ann Household")
    sam = make_user(username="sam", first_name="Sam", last_name="Helper")
    member = add_member(account=ann.account, user=sam, role=MemberRole.AUTHORIZED)
    return ann, member


@pytest.fixture
def ann(household: tuple[Customer, AccountMember]) -> App:
    return App("ann")


@pytest.fixture
def sam(household: tuple[Customer, AccountMember]) -> App:
    return App("sam")


@pytest.fixture
def ned() -> Customer:
    """Another household, with an authorized user and an invitation waiting."""
    ned = make_customer(username="nedward", name="Nedward Household")
    add_member(account=ned.account, user=make_user(username="ned-helper"), role="authorized")
    invitations.invite_by_email(
        by=AccountMember.objects.get(user=ned.user),
        email="ned.friend@example.org",
        invite_url="https://portal.example/account/invitation/",
    )
    return ned


def rows(model: type[Model], **lookup: Any) -> list[dict[str, Any]]:
    return list(model._default_manager.filter(**lookup).order_by("pk").values())


def snapshot(customer: Customer) -> dict[str, list[dict[str, Any]]]:
    return {
        "members": rows(AccountMember, account=customer.account),
        "invitations": rows(InvitationCode, account=customer.account),
    }


def invite(app: App, email: str) -> Any:
    return app.post(INVITE, {"email": email})


# Seeing who is on the account -------------------------------------------------------------------


def test_the_holder_sees_the_people_and_the_invitations_waiting(ann, household):
    customer, sam_member = household
    issued = invitations.invite_by_email(
        by=AccountMember.objects.get(user=customer.user),
        email="kid@example.com",
        invite_url="https://portal.example/account/invitation/",
    )
    invitations.issue_printed_code(account=customer.account, created_by=None, role="authorized")

    response = ann.get(PEOPLE)

    assert response.status_code == 200
    body = response.json()
    assert body["account"] == {
        "number": customer.account.number,
        "name": "Ann Household",
        "role": "holder",
    }
    assert body["can_manage"] is True
    assert [(p["username"], p["role"], p["is_you"]) for p in body["people"]] == [
        ("ann", "holder", True),
        ("sam", "authorized", False),
    ]
    assert body["people"][1]["name"] == "Sam Helper"
    assert body["people"][1]["id"] == sam_member.pk
    # Pending invitations: the emailed one and the printed code, newest first.
    pending = body["pending_invitations"]
    assert [p["email"] for p in pending] == ["", "kid@example.com"]
    assert pending[1]["id"] == issued.invitation.pk
    assert "code" not in pending[1]


def test_an_authorized_user_sees_the_people_but_no_invitations(sam, household):
    customer, _ = household
    invitations.invite_by_email(
        by=AccountMember.objects.get(user=customer.user),
        email="kid@example.com",
        invite_url="https://portal.example/account/invitation/",
    )

    body = sam.get(PEOPLE).json()

    assert body["can_manage"] is False
    assert body["account"]["role"] == "authorized"
    assert [p["username"] for p in body["people"]] == ["ann", "sam"]
    assert body["pending_invitations"] == []
    assert "kid@example.com" not in str(body)


def test_the_account_parameter_picks_one_of_the_callers_accounts_only(ann, household, ned):
    customer, _ = household
    second = make_customer(username="ann-second", name="Cabin Household")
    add_member(account=second.account, user=customer.user, role=MemberRole.AUTHORIZED)

    mine = ann.get(PEOPLE, account=second.account.display_number)
    theirs = ann.get(PEOPLE, account=ned.account.number)
    nonsense = ann.get(PEOPLE, account="not a number")

    assert mine.status_code == 200
    assert mine.json()["account"]["number"] == second.account.number
    assert mine.json()["can_manage"] is False
    assert theirs.status_code == 404
    assert nonsense.status_code == 404
    assert "Nedward" not in theirs.content.decode()


# Inviting --------------------------------------------------------------------------------------


def test_the_holder_invites_by_email_and_the_code_is_mailed_once(ann, household):
    customer, _ = household

    response = invite(ann, "  Kid@Example.com ")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "kid@example.com"
    assert set(body) == {"id", "email", "created_at", "expires_at"}
    invitation = InvitationCode.objects.get(pk=body["id"])
    assert invitation.account == customer.account
    assert invitation.role == MemberRole.AUTHORIZED
    (message,) = mail.outbox
    assert message.to == ["kid@example.com"]
    assert "/account/invitation/" in str(message.body)
    assert AuditEvent.objects.filter(action="invitation.sent", actor=customer.user).exists()
    assert [p["id"] for p in ann.get(PEOPLE).json()["pending_invitations"]] == [body["id"]]


@pytest.mark.parametrize(
    ("email", "status"),
    [("not-an-address", 400), ("sam@example.com", 400), ("", 400), ("x" * 255, 422)],
)
def test_a_bad_invitation_names_the_email_field_and_keeps_nothing(ann, household, email, status):
    customer, _ = household

    response = invite(ann, email)

    assert response.status_code == status, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
    assert response.json()["errors"][0]["reason"]
    assert not InvitationCode.objects.filter(account=customer.account).exists()
    assert mail.outbox == []


def test_an_invitation_that_cannot_be_mailed_is_not_kept(ann, household):
    customer, _ = household
    with mock.patch(
        "dropline.customers.invitations.send_mail", side_effect=smtplib.SMTPException("down")
    ):
        response = invite(ann, "kid@example.com")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
    assert not InvitationCode.objects.filter(account=customer.account).exists()


# Revoking and removing ---------------------------------------------------------------------------


def test_the_holder_revokes_an_invitation_and_the_code_stops_working(ann, household):
    customer, _ = household
    issued = invitations.invite_by_email(
        by=AccountMember.objects.get(user=customer.user),
        email="kid@example.com",
        invite_url="https://portal.example/account/invitation/",
    )

    response = ann.delete(f"{INVITE}/{issued.invitation.pk}")

    assert response.status_code == 204
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is not None
    assert ann.get(PEOPLE).json()["pending_invitations"] == []
    again = ann.delete(f"{INVITE}/{issued.invitation.pk}")
    assert again.status_code == 409
    assert again.json()["detail"]
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1


def test_the_holder_removes_an_authorized_user_but_never_themselves(ann, household):
    customer, sam_member = household
    holder = AccountMember.objects.get(user=customer.user)

    removed = ann.delete(f"{PEOPLE}/{sam_member.pk}")
    refused = ann.delete(f"{PEOPLE}/{holder.pk}")

    assert removed.status_code == 204
    assert not AccountMember.objects.filter(pk=sam_member.pk).exists()
    assert refused.status_code == 409
    assert refused.json()["detail"]
    assert AccountMember.objects.filter(pk=holder.pk).exists()
    assert AuditEvent.objects.filter(action="member.removed").count() == 1
    # Sam's token still signs in, but the account is no longer his.
    assert (
        Client().get("/api/v1/me", HTTP_X_SESSION_TOKEN=App("sam").token).json()["accounts"] == []
    )


# Who may change what ------------------------------------------------------------------------------


def test_an_authorized_user_cannot_invite_revoke_or_remove(sam, household):
    customer, sam_member = household
    holder = AccountMember.objects.get(user=customer.user)
    issued = invitations.invite_by_email(
        by=holder, email="kid@example.com", invite_url="https://portal.example/x/"
    )
    mail.outbox.clear()
    before = snapshot(customer)

    answers = [
        invite(sam, "friend@example.com"),
        sam.delete(f"{INVITE}/{issued.invitation.pk}"),
        sam.delete(f"{PEOPLE}/{holder.pk}"),
        sam.delete(f"{PEOPLE}/{sam_member.pk}"),
    ]

    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert all(a.json()["detail"] for a in answers)
    assert snapshot(customer) == before
    assert mail.outbox == []


def test_another_accounts_invitations_and_people_answer_404_like_missing_ids(ann, ned):
    before = snapshot(ned)
    ned_invitation = InvitationCode.objects.get(account=ned.account)
    ned_members = AccountMember.objects.filter(account=ned.account)
    urls = [f"{INVITE}/{ned_invitation.pk}"] + [f"{PEOPLE}/{m.pk}" for m in ned_members]

    for url in urls:
        theirs = ann.delete(url)
        missing = ann.delete(url.rsplit("/", 1)[0] + "/987654321")
        assert theirs.status_code == 404, url
        assert theirs.content == missing.content
        assert "ned" not in theirs.content.decode().lower()
    with_their_number = ann.delete(f"{INVITE}/{ned_invitation.pk}?account={ned.account.number}")
    assert with_their_number.status_code == 404

    assert snapshot(ned) == before
    assert not AuditEvent.objects.filter(action__in=["invitation.revoked", "member.removed"])


def test_nothing_answers_without_signing_in(household):
    customer, sam_member = household
    before = snapshot(customer)
    client = Client()
    answers = [
        client.get(PEOPLE),
        client.post(INVITE, {"email": "x@example.com"}, content_type="application/json"),
        client.delete(f"{INVITE}/1"),
        client.delete(f"{PEOPLE}/{sam_member.pk}"),
    ]
    assert [a.status_code for a in answers] == [401, 401, 401, 401]
    assert snapshot(customer) == before


def test_the_operations_are_in_the_openapi_spec():
    spec = Client().get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert paths[PEOPLE]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "$ref"
    ].endswith("/PeopleOut")
    assert "post" in paths[INVITE]
    assert {"403", "404", "409"} <= set(paths[f"{INVITE}/{{invitation_id}}"]["delete"]["responses"])
    assert "delete" in paths[f"{PEOPLE}/{{member_id}}"]
    assert [p["name"] for p in paths[PEOPLE]["get"]["parameters"]] == ["account"]
