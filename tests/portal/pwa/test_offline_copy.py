"""The pages a signed-in person can read offline: the overview (the bill's summary, the
data meter, the account's and the provider's phone numbers), billing and data usage.
They say so to the service worker, for their reader only, and carry the hidden notice
with the time they were made."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dropline.core import clock
from dropline.portal.pwa.offline_copy import (
    NOTICE_HIDDEN,
    OFFLINE_HEADER,
    OWNER_HEADER,
    offline_copy,
    owner_token,
)
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db

KEPT = ["/", "/billing/", "/usage/"]
NOW = dt.datetime(2026, 3, 10, 21, 5, tzinfo=dt.UTC)  # 4:05 p.m. in Chicago (CDT)


@pytest.fixture(autouse=True)
def in_iowa(settings):
    settings.TIME_ZONE = "America/Chicago"


def signed_in(username: str) -> Client:
    customer = make_customer(username=username)
    client = Client()
    client.force_login(customer.user)
    return client


@pytest.mark.parametrize("path", KEPT)
def test_a_signed_in_persons_page_may_be_kept_for_them(path):
    client = signed_in("ines")
    response = client.get(path)
    assert response.status_code == 200
    assert response[OFFLINE_HEADER] == "private"
    user_id = response.wsgi_request.user.pk
    assert user_id is not None
    assert response[OWNER_HEADER] == owner_token(user_id)
    # Still no shared cache or history: only the worker keeps it, and only for them.
    assert response["Cache-Control"] == "no-store"


def test_the_owner_is_a_token_for_the_person_not_their_id():
    ines, omar = signed_in("ines"), signed_in("omar")
    one, other = ines.get("/")[OWNER_HEADER], omar.get("/")[OWNER_HEADER]
    assert one != other
    assert one == ines.get("/billing/")[OWNER_HEADER]
    user_id = str(ines.get("/").wsgi_request.user.pk)
    assert user_id not in (one, other)
    assert len(one) == 32


def test_a_signed_out_visitor_gets_nothing_to_keep(client):
    for path in KEPT:
        response = client.get(path)
        assert response.status_code == 302
        assert OFFLINE_HEADER not in response
        assert OWNER_HEADER not in response


@pytest.mark.parametrize(
    "path", ["/services/", "/billing/invoices/", "/billing/statement/", "/offline/", "/status/"]
)
def test_no_other_page_is_kept(path):
    response = signed_in("ines").get(path)
    assert response.status_code == 200
    assert OFFLINE_HEADER not in response


def test_a_download_or_a_post_is_never_kept(rf):
    from django.http import HttpResponse

    from tests.support.factories import make_user

    @offline_copy
    def page(request):
        if request.GET.get("pdf"):
            return HttpResponse(b"%PDF-1.7", content_type="application/pdf")
        return HttpResponse("<p>mine</p>")

    request = rf.get("/")
    request.user = make_user(username="ines")
    assert OFFLINE_HEADER in page(request)
    pdf = rf.get("/?pdf=1")
    pdf.user = request.user
    assert OFFLINE_HEADER not in page(pdf)
    post = rf.post("/")
    post.user = request.user
    assert OFFLINE_HEADER not in page(post)


def test_the_notice_is_hidden_with_the_time_the_page_was_made():
    client = signed_in("ines")
    with clock.frozen(NOW):
        page = client.get("/").content.decode()
    assert NOTICE_HIDDEN in page
    assert "You're offline. This is what we showed you on March 10, 2026, 4:05 p.m., and it" in page


def test_the_notice_in_spanish():
    client = signed_in("ines")
    client.cookies["django_language"] = "es"
    with clock.frozen(NOW):
        page = client.get("/usage/").content.decode()
    with translation.override("es"):
        assert "No tiene conexión. Esto es lo que le mostramos el 10 de marzo de 2026" in page


def test_pages_not_kept_have_no_notice():
    page = signed_in("ines").get("/services/").content.decode()
    assert "data-offline-notice" not in page


def test_the_overview_shows_the_amount_due_the_meter_and_the_phone_numbers(settings, demo):
    settings.DROPLINE_SUPPORT_PHONE = "+13195550100"
    client = Client()
    client.login(username="demo", password="dropline-demo")
    page = client.get(reverse("portal:overview")).content.decode()
    assert "Amount due" in page
    assert "Data used this cycle" in page
    assert "Contact phone" in page
    assert "(319) 555-0142" in page  # the account's contact number
    assert "(319) 555-0100" in page  # the provider's, in the footer


def test_no_contact_phone_row_without_one():
    page = signed_in("ines").get("/").content.decode()
    assert "Contact phone" not in page
