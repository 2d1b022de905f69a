import pytest

from dropline.customers.queries import SEARCH_LIMIT, search_accounts
from tests.support.factories import make_customer


@pytest.fixture
def customers(db):
    return {
        "ana": make_customer(username="ana", name="Ana Ortega", phone="+13195550101"),
        "bo": make_customer(username="bo", name="Bo Lindqvist", email="bo@lind.example"),
    }


def numbers(results):
    return {account.number for account in results}


def test_finds_by_account_number_typed_with_spaces(customers):
    account = customers["ana"].account
    assert numbers(search_accounts(query=account.display_number)) == {account.number}


def test_finds_by_name_ignoring_case(customers):
    assert numbers(search_accounts(query="lindqvist")) == {customers["bo"].account.number}


def test_finds_by_billing_or_member_email(customers):
    assert numbers(search_accounts(query="BO@lind.example")) == {customers["bo"].account.number}


def test_finds_by_phone_as_people_write_it(customers):
    assert numbers(search_accounts(query="(319) 555-0101")) == {customers["ana"].account.number}


def test_empty_query_finds_nothing(customers):
    assert search_accounts(query="   ") == []


@pytest.mark.django_db
def test_results_are_bounded():
    for i in range(SEARCH_LIMIT + 5):
        make_customer(username=f"smith{i}", name=f"Pat Smith {i}", services=0, devices=0)
    assert len(search_accounts(query="smith")) == SEARCH_LIMIT
