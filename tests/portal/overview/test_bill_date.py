"""The overview says when the bill is made in plain words, not "bill cycle anchor day"."""

import pytest
from django.urls import reverse

from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db


def test_the_bill_date_reads_as_people_say_it(client):
    customer = make_customer(username="maria")  # bill cycle day 15
    client.force_login(customer.user)
    page = client.get("/").content.decode()
    assert "Your bill is made on the 15th of each month." in page
    assert "anchor" not in page.lower()
    assert "Starts on day" not in page


def test_the_bill_date_in_spanish(client):
    customer = make_customer(username="maria")
    client.force_login(customer.user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Su factura se emite el día 15 de cada mes." in client.get("/").content.decode()
