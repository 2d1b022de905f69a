import re

import pytest

from tests.support.factories import PASSWORD, make_customer


def test_me_without_credentials_is_401_json(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_me_with_a_bad_session_token_is_401(client, db):
    response = client.get("/api/v1/me", HTTP_X_SESSION_TOKEN="forged-token")
    assert response.status_code == 401


def test_me_with_the_browser_session(client, demo):
    client.login(username="demo", password="dropline-demo")
    body = client.get("/api/v1/me").json()
    assert body["username"] == "demo"
    account = body["account"]
    assert account["role"] == "holder"
    assert account["service_address"]["line1"] == "418 Willow Bend Road"
    assert account["monthly_total"] == {
        "amount_minor": 26843,
        "currency": "USD",
        "formatted": "$268.43",
    }
    assert {s["plan_name"] for s in account["services"]} >= {"Internet Ultra 500", "TV Silver"}
    assert len(account["equipment"]) == 4


@pytest.mark.django_db
def test_mobile_app_signs_in_with_allauth_headless_and_uses_the_token(client):
    customer = make_customer(username="app-user", services=2)
    login = client.post(
        "/_allauth/app/v1/auth/login",
        {"username": "app-user", "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200, login.content
    token = login.json()["meta"]["session_token"]
    client.logout()
    body = client.get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).json()
    assert body["account"]["number"] == customer.account.number
    assert len(body["account"]["services"]) == 2


@pytest.mark.django_db
def test_one_customer_never_sees_another(client):
    mine = make_customer(username="mine")
    theirs = make_customer(username="theirs")
    client.force_login(mine.user)
    body = client.get("/api/v1/me").json()
    assert [a["number"] for a in body["accounts"]] == [mine.account.number]
    assert theirs.account.number not in str(body)


def test_openapi_specification_and_docs_are_served_without_a_cdn(client, db):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/me" in spec.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Every script, style sheet and image comes from this server (a CSRF token in the
    # page may spell anything, so the addresses are what is checked).
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert addresses
    assert all(address.startswith("/") and not address.startswith("//") for address in addresses)
    assert "/static/ninja/" in html


def test_headless_specification_is_served(client, db):
    assert client.get("/_allauth/openapi.json").status_code == 200
