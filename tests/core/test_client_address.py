"""Behind load balancers the customer's address comes from X-Forwarded-For
(``dropline.core.client_address``): per-address limits then count each customer, not
the proxy, and an address the client wrote into the header itself is never believed."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from dropline.core.client_address import forwarded_client
from tests.support.factories import PASSWORD
from tests.support.recovery import MARIA_PHONE, person

PROXY = "10.0.0.2"  # the load balancer, as the web server sees every request
LOGIN = "/accounts/login/"
TOO_MANY = "Too many tries. Wait a few minutes"


def test_the_entry_the_nearest_proxies_wrote_is_the_customer():
    assert forwarded_client("203.0.113.5", 1) == "203.0.113.5"
    assert forwarded_client("6.6.6.6, 203.0.113.5", 1) == "203.0.113.5"
    assert forwarded_client("6.6.6.6, 203.0.113.5, 10.0.0.9", 2) == "203.0.113.5"
    assert forwarded_client(" 2001:DB8::1 ", 1) == "2001:db8::1"


def test_a_header_that_cannot_say_gives_no_address():
    assert forwarded_client("", 1) is None
    assert forwarded_client("203.0.113.5", 2) is None  # did not pass every proxy
    assert forwarded_client("203.0.113.5, unknown", 1) is None
    assert forwarded_client("203.0.113.5", 0) is None


@given(
    forged=st.lists(st.text(max_size=20).filter(lambda s: "," not in s), max_size=5),
    real=st.ip_addresses().map(str),
    proxies=st.integers(min_value=1, max_value=4),
)
def test_what_the_client_writes_on_the_left_never_changes_the_answer(forged, real, proxies):
    added_by_proxies = [real] + [f"10.0.0.{n}" for n in range(1, proxies)]
    header = ", ".join([*forged, *added_by_proxies])
    assert forwarded_client(header, proxies) == str(ipaddress.ip_address(real))


def _attempt(client: Client, customer_address: str, password: str) -> tuple[bool, str]:
    response = client.post(
        LOGIN,
        {"login": "maria", "password": password},
        HTTP_X_FORWARDED_FOR=f"192.0.2.66, {customer_address}",
    )
    return response.status_code == 302, response.content.decode()


@pytest.mark.django_db
@override_settings(BEHIND_PROXY=True, DROPLINE_PROXY_COUNT=1)
def test_behind_a_proxy_one_customers_failures_do_not_pause_another():
    person("maria", phone=MARIA_PHONE)
    client = Client(REMOTE_ADDR=PROXY)
    paused = False
    for n in range(40):
        signed_in, page = _attempt(client, "203.0.113.5", f"wrong-guess-{n}")
        assert not signed_in
        if TOO_MANY in page:
            paused = True
            break
    assert paused, "failures from one customer's address were never limited"
    # The same customer is paused even with the right password ...
    assert TOO_MANY in _attempt(client, "203.0.113.5", PASSWORD)[1]
    # ... while another customer behind the same proxy signs in.
    assert _attempt(Client(REMOTE_ADDR=PROXY), "198.51.100.20", PASSWORD)[0]
