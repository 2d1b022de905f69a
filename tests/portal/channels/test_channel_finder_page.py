import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.catalog.models import Channel
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.portal.common import SESSION_ACCOUNT_KEY
from dropline.subscriptions.channels import RESULT_LIMIT
from tests.support.channels import customer_with_tv, make_line_up
from tests.support.factories import make_customer, make_user

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/channels/?q=espn")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_without_a_search_only_the_box_shows(client):
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    client.force_login(customer.user)
    response = client.get("/channels/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in page
    assert response.context["search"] is None


def test_answers_whether_my_package_has_it_and_the_cheapest_change(client):
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    client.force_login(customer.user)
    page = client.get("/channels/", {"q": "valley"}).content.decode()
    assert "Valley 4" in page
    assert "Included in your package" in page
    page = client.get("/channels/", {"q": "90"}).content.decode()
    assert "Premiere Cinema" in page
    assert "Included in your package" not in page
    assert "Add Premiere Movies for $15.00 a month." in page
    assert "TV Gold" in page
    assert "$80.00" in page
    page = client.get("/channels/", {"q": "action"}).content.decode()
    assert "Switch to TV Gold: $35.00 a month more." in page


def test_in_spanish(client):
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    client.force_login(customer.user)
    page = client.get("/channels/", {"q": "action"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Buscador de canales" in page
    assert "TV Oro" in page


@pytest.mark.parametrize("query", ["", "   ", "x" * 51])
def test_empty_or_too_long_searches_answer_with_a_message(client, query):
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    client.force_login(customer.user)
    response = client.get("/channels/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert response.context["search"].results == []


def test_no_match_says_so(client):
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    client.force_login(customer.user)
    page = client.get("/channels/", {"q": "zzz"}).content.decode()
    assert "No channel matches your search." in page


def test_many_matches_are_capped_with_a_note(client):
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    Channel.objects.bulk_create(
        Channel(number=500 + i, call_sign=f"N{i}", name=f"News {i}", genre="news")
        for i in range(RESULT_LIMIT + 1)
    )
    client.force_login(customer.user)
    page = client.get("/channels/", {"q": "news"}).content.decode()
    assert f"Only the first {RESULT_LIMIT} channels are shown." in page
    assert page.count('class="service service-tv"') == RESULT_LIMIT


def test_an_authorized_user_may_search(client):
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    helper = make_user(username="helper")
    add_member(account=customer.account, user=helper, role=MemberRole.AUTHORIZED)
    client.force_login(helper)
    assert "Included in your package" in client.get("/channels/", {"q": "4"}).content.decode()


def test_another_accounts_package_is_never_mine(client):
    line_up = make_line_up()
    _, _ = customer_with_tv(line_up, username="viewer")
    other = make_customer(username="other")
    client.force_login(other.user)
    session = client.session
    session[SESSION_ACCOUNT_KEY] = _.account_id
    session.save()
    page = client.get("/channels/", {"q": "valley"}).content.decode()
    assert "Included in your package" not in page
    assert "This account has no TV service." in page


def test_query_count_does_not_grow_with_results(client):
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    client.force_login(customer.user)
    client.get("/channels/")

    def count(q):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/channels/", {"q": q}).status_code == 200
        return len([x for x in ctx.captured_queries if "SAVEPOINT" not in x["sql"]])

    assert count("action") == count("e")


def test_without_tv_a_plan_is_offered_as_an_addition(client):
    make_line_up()
    customer = make_customer(username="no-tv")
    client.force_login(customer.user)
    page = client.get("/channels/", {"q": "action"}).content.decode()
    assert "This account has no TV service." in page
    assert "Add TV Gold for $80.00 a month." in page
    assert "Switch to" not in page
