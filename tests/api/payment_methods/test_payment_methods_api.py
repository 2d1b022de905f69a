"""Saved methods from the app: listed default first, added by the gateway's token,
removed and made default after a recent sign-in confirmation; another account's method
is 404."""

import pytest

from dropline.payments.models import PaymentMethod
from tests.support.app_client import App, is_reauthentication_answer
from tests.support.payments import card_token, make_payer

pytestmark = pytest.mark.django_db

METHODS = "/api/v1/payment-methods"


@pytest.fixture
def payer():
    return make_payer(username="paula")


@pytest.fixture
def app(payer):
    return App("paula")


def test_list_add_make_default_and_remove(app, payer):
    listed = app.get(METHODS).json()["items"]
    assert [(m["brand"], m["last4"], m["is_default"]) for m in listed] == [("visa", "4242", True)]
    setup = app.post(f"{METHODS}/setup")
    assert setup.status_code == 200
    assert setup.json()["gateway"] == "simulator"
    added = app.post(METHODS, {"token": card_token("5555555555554444"), "make_default": False})
    assert added.status_code == 201, added.content
    new_id = added.json()["id"]
    assert added.json()["is_default"] is False
    made = app.post(f"{METHODS}/{new_id}/default")
    assert made.status_code == 200
    assert made.json()["is_default"] is True
    removed = app.delete(f"{METHODS}/{new_id}")
    assert removed.status_code == 204
    listed = app.get(METHODS).json()["items"]
    assert [(m["last4"], m["is_default"]) for m in listed] == [("4242", True)]


def test_an_unknown_token_is_refused_naming_the_field(app):
    response = app.post(METHODS, {"token": "simpm_nothing"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "token"


def test_changes_need_a_recent_sign_in(payer):
    stale = App("paula", reauthenticated=False)
    assert stale.get(METHODS).status_code == 200
    response = stale.post(METHODS, {"token": card_token()})
    assert is_reauthentication_answer(response), response.content
    assert is_reauthentication_answer(stale.delete(f"{METHODS}/{payer.method.pk}"))
    assert PaymentMethod.objects.filter(account=payer.account).count() == 1


def test_another_accounts_method_is_not_found(app):
    other = make_payer(username="oscar")
    assert app.delete(f"{METHODS}/{other.method.pk}").status_code == 404
    assert app.post(f"{METHODS}/{other.method.pk}/default").status_code == 404
    other.method.refresh_from_db()
    assert other.method.removed_at is None
