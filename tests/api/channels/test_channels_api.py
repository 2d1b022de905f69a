"""The channel finder from the mobile app: each channel with `number`, `call_sign`,
`name`, whether my package has it and the packages that do; bad searches answer with a
message, and another account's number answers 404."""

import pytest
from django.test import Client

from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from tests.support.channels import customer_with_tv, make_line_up
from tests.support.factories import make_customer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def line_up():
    return make_line_up()


@pytest.fixture
def viewer(line_up):
    customer, _ = customer_with_tv(line_up, username="viewer")
    return customer


@pytest.fixture
def app(viewer) -> Client:
    client = Client()
    client.force_login(viewer.user)
    return client


def test_anonymous_callers_are_refused():
    assert Client().get("/api/v1/channels?q=news").status_code == 401


def test_a_channel_with_its_packages_and_the_cheapest_change(app, viewer):
    body = app.get("/api/v1/channels?q=premiere").json()
    assert body["account"]["number"] == viewer.account.number
    assert body["message"] == ""
    assert body["truncated"] is False
    [cinema] = body["results"]
    assert (cinema["number"], cinema["call_sign"], cinema["name"]) == (
        90,
        "PRM1",
        "Premiere Cinema",
    )
    assert cinema["in_my_package"] is False
    assert [
        (p["kind"], p["code"], p["monthly_price"]["amount_minor"]) for p in cinema["packages"]
    ] == [
        ("plan", "tv-gold", 8000),
        ("add_on", "premiere", 1500),
    ]
    assert [(c["code"], c["monthly_difference"]["amount_minor"]) for c in cinema["changes"]] == [
        ("premiere", 1500),
        ("tv-gold", 3500),
    ]


def test_a_channel_in_my_package_needs_no_change(app):
    [valley] = app.get("/api/v1/channels?q=4").json()["results"]
    assert valley["in_my_package"] is True
    assert valley["changes"] == []
    assert [p["is_mine"] for p in valley["packages"]] == [True, False]


@pytest.mark.parametrize("q", ["", "x" * 51, "x" * 5000])
def test_empty_or_too_long_searches_answer_with_a_message(app, q):
    response = app.get("/api/v1/channels", {"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["message"]
    assert body["results"] == []


def test_an_authorized_user_may_search(line_up, viewer):
    helper = make_user(username="helper")
    add_member(account=viewer.account, user=helper, role=MemberRole.AUTHORIZED)
    client = Client()
    client.force_login(helper)
    [valley] = client.get("/api/v1/channels?q=valley").json()["results"]
    assert valley["in_my_package"] is True


def test_another_accounts_number_answers_404(viewer):
    other = make_customer(username="other")
    client = Client()
    client.force_login(other.user)
    assert client.get(f"/api/v1/channels?q=4&account={viewer.account.number}").status_code == 404
    [valley] = client.get("/api/v1/channels?q=valley").json()["results"]
    assert valley["in_my_package"] is False
