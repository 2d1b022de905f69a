"""Withdrawing a dispute from the app, as its web page's Withdraw button does: the
dispute closes and its amount is no longer held; one already closed answers 409 and
stays as it was; another account's is not found."""

import pytest
from django.test import Client

from dropline.core.models import AuditEvent
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.payments.disputes.models import Dispute
from dropline.payments.disputes.resolving import reject
from tests.support.app_client import App
from tests.support.disputes import dispute_of, household
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(today):
    return household()


def app_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_withdrawing_closes_it_and_the_amount_is_no_longer_held(found):
    dispute = dispute_of(found, amount_cents=1250)
    app = app_for(found.user)
    assert app.get("/api/v1/disputes").json()["held_cents"] == 1250

    response = app.post(f"/api/v1/disputes/{dispute.pk}/withdraw")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"], body["status_label"]) == (
        dispute.pk,
        "withdrawn",
        "Withdrawn",
    )
    assert body["closed_at"] is not None
    assert body["messages"][0]["body"] == "I never asked for this."
    assert app.get("/api/v1/disputes").json()["held_cents"] == 0
    assert AuditEvent.objects.filter(action="dispute.withdrawn").count() == 1


def test_with_the_apps_session_token(found):
    dispute = dispute_of(found)
    response = App(found.user.username).post(f"/api/v1/disputes/{dispute.pk}/withdraw")
    assert response.status_code == 200, response.content
    dispute.refresh_from_db()
    assert dispute.status == "withdrawn"
    assert dispute.closed_by == found.user


def test_a_closed_dispute_answers_409_and_stays_as_it_was(found):
    dispute = dispute_of(found)
    reject(dispute=dispute, reason="The price was right.", actor=None)
    dispute.refresh_from_db()
    before = Dispute.objects.filter(pk=dispute.pk).values().get()

    response = app_for(found.user).post(f"/api/v1/disputes/{dispute.pk}/withdraw")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "This dispute is already closed.",
        "errors": [{"field": "dispute", "reason": "This dispute is already closed."}],
    }
    assert Dispute.objects.filter(pk=dispute.pk).values().get() == before
    again = app_for(found.user).post(
        f"/api/v1/disputes/{dispute.pk}/withdraw", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert again.json()["errors"][0]["reason"] == "Esta disputa ya está cerrada."


def test_an_authorized_user_may_withdraw_as_on_the_web(found):
    helper = make_user(username="helper")
    add_member(account=found.account, user=helper, role=MemberRole.AUTHORIZED)
    dispute = dispute_of(found)
    response = app_for(helper).post(
        f"/api/v1/disputes/{dispute.pk}/withdraw?account={found.account.number}"
    )
    assert response.status_code == 200, response.content
    dispute.refresh_from_db()
    assert dispute.status == "withdrawn"


def test_another_accounts_dispute_is_not_found_and_stays_open(found):
    other = household("neighbour", beside=found)
    theirs = dispute_of(other, description="Neighbour's private dispute")
    app = app_for(found.user)
    for url in (
        f"/api/v1/disputes/{theirs.pk}/withdraw",
        f"/api/v1/disputes/{theirs.pk}/withdraw?account={other.account.number}",
        "/api/v1/disputes/987654321/withdraw",
    ):
        response = app.post(url)
        assert response.status_code == 404, url
        assert "Neighbour" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == "open"
    assert theirs.closed_at is None


def test_nothing_without_signing_in(found):
    dispute = dispute_of(found)
    assert Client().post(f"/api/v1/disputes/{dispute.pk}/withdraw").status_code == 401
    dispute.refresh_from_db()
    assert dispute.status == "open"
