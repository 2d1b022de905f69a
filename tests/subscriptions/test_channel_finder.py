import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.subscriptions.channels import RESULT_LIMIT, find_channels
from dropline.subscriptions.models import SubscriptionStatus
from tests.support.channels import customer_with_tv, make_line_up
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db


def _by_number(search):
    return {c.number: c for c in search.results}


def test_searches_name_and_call_sign_in_any_case_and_numbers_exactly():
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    account = customer.account
    assert [c.number for c in find_channels(account=account, query="soccer").results] == [103, 104]
    assert [c.number for c in find_channels(account=account, query="prm").results] == [90]
    assert [c.number for c in find_channels(account=account, query="  PREMIERE ").results] == [90]
    # A number is the channel number, never part of another: 4 is not 104.
    assert [c.number for c in find_channels(account=account, query="4").results] == [4]
    assert find_channels(account=account, query="5").results == []
    assert find_channels(account=account, query="99999999999").results == []


def test_my_package_is_the_plan_and_the_add_ons_i_have():
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer", add_ons=[line_up.soccer])
    found = _by_number(find_channels(account=customer.account, query="e"))
    assert found[4].in_my_package  # Valley 4 is in TV Basic
    assert found[103].in_my_package  # World Soccer comes with the Soccer Pack
    assert not found[90].in_my_package
    assert found[4].cheapest_change is None
    assert found[4].changes == []


def test_packages_list_plans_and_add_ons_on_sale_with_their_prices():
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    cinema = _by_number(find_channels(account=customer.account, query="90"))[90]
    assert [(p.kind, p.code, p.monthly_price.amount_minor) for p in cinema.packages] == [
        ("plan", "tv-gold", 8000),
        ("add_on", "premiere", 1500),
    ]
    # A pack no longer on sale is neither listed nor offered.
    classic = _by_number(find_channels(account=customer.account, query="classic"))[104]
    assert classic.packages == []
    assert classic.cheapest_change is None


def test_the_cheapest_change_compares_an_add_on_with_a_plan_switch_from_my_contracted_price():
    line_up = make_line_up()
    # Contracted at $45.00: TV Gold costs $35.00 more a month, not $30.00.
    customer, _ = customer_with_tv(line_up, username="viewer", contracted=4500)
    cinema = _by_number(find_channels(account=customer.account, query="premiere cinema"))[90]
    assert [(c.kind, c.code, c.monthly_difference.amount_minor) for c in cinema.changes] == [
        ("add_on", "premiere", 1500),
        ("plan", "tv-gold", 3500),
    ]
    assert cinema.cheapest_change is not None
    assert cinema.cheapest_change.code == "premiere"
    action = _by_number(find_channels(account=customer.account, query="action"))[63]
    assert [(c.code, c.monthly_difference.amount_minor) for c in action.changes] == [
        ("tv-gold", 3500)
    ]


def test_a_switch_can_be_cheaper_than_an_add_on():
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer", contracted=7000)
    cinema = _by_number(find_channels(account=customer.account, query="90"))[90]
    assert [(c.code, c.monthly_difference.amount_minor) for c in cinema.changes] == [
        ("tv-gold", 1000),
        ("premiere", 1500),
    ]


def test_without_tv_a_plan_costs_its_whole_price_and_add_ons_are_not_offered():
    line_up = make_line_up()
    customer = make_customer(username="no-tv")
    search = find_channels(account=customer.account, query="90")
    assert not search.has_tv
    cinema = search.results[0]
    assert not cinema.in_my_package
    assert [(c.code, c.monthly_difference.amount_minor) for c in cinema.changes] == [
        ("tv-gold", 8000)
    ]
    assert line_up.movies.code in [p.code for p in cinema.packages]


def test_a_cancelled_tv_service_is_not_my_package():
    line_up = make_line_up()
    customer, subscription = customer_with_tv(line_up, username="viewer")
    subscription.status = SubscriptionStatus.CANCELLED
    subscription.save()
    found = _by_number(find_channels(account=customer.account, query="valley"))
    assert not found[4].in_my_package


def test_empty_and_too_long_searches_answer_with_a_message_and_search_nothing():
    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    for query in ["", "   "]:
        with CaptureQueriesContext(connection) as ctx:
            search = find_channels(account=customer.account, query=query)
        assert search.problem
        assert search.results == []
        assert len(ctx.captured_queries) == 0
    long = find_channels(account=customer.account, query="s" * 51)
    assert "50" in long.problem
    assert long.results == []
    assert find_channels(account=customer.account, query="s" * 50).problem == ""


def test_results_are_capped_with_a_note():
    from dropline.catalog.models import Channel

    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer")
    Channel.objects.bulk_create(
        Channel(number=500 + i, call_sign=f"N{i}", name=f"News {i}", genre="news")
        for i in range(RESULT_LIMIT + 5)
    )
    search = find_channels(account=customer.account, query="news")
    assert len(search.results) == RESULT_LIMIT
    assert search.truncated
    assert not find_channels(account=customer.account, query="soccer").truncated


def test_query_count_does_not_grow_with_results_or_packages():
    from dropline.catalog.models import AddOn, Channel

    line_up = make_line_up()
    customer, _ = customer_with_tv(line_up, username="viewer", add_ons=[line_up.soccer])

    def count(query):
        with CaptureQueriesContext(connection) as ctx:
            find_channels(account=customer.account, query=query)
        return len(ctx.captured_queries)

    one = count("action")
    made = Channel.objects.bulk_create(
        Channel(number=600 + i, call_sign=f"M{i}", name=f"Action {i}", genre="movies")
        for i in range(30)
    )
    for i in range(5):
        extra = AddOn.objects.create(code=f"x{i}", kind="tv", name=f"X{i}", monthly_price_cents=99)
        extra.channels.set(made)
    line_up.gold.channels.add(*made)
    many = count("action")
    assert one == many
    # the TV service, its add-ons, the channels, their plans, their add-ons
    assert many <= 5
