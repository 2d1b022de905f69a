"""The speed test page and its endpoints: only someone signed in who started a test gets
bytes, never more than the test's budget or a chunk at a time, with no cache and no
compression; starting is limited per person and per address; a result is recorded once
and shown with the plan's speeds and the advice."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any, cast

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.core import clock
from dropline.customers.models import AccountMember
from dropline.network.models import SpeedTest
from dropline.network.speed_tests import budget as budgets
from tests.support.factories import PASSWORD, Customer
from tests.support.speed_tests import FIGURES, a_test, household

pytestmark = pytest.mark.django_db

INDEX = reverse("speed_test:index")
START = reverse("speed_test:start")
RESULT = reverse("speed_test:result")
PING = reverse("speed_test:ping")
DOWNLOAD = reverse("speed_test:download")
UPLOAD = reverse("speed_test:upload")
HEADER = "HTTP_X_SPEED_TEST_TOKEN"


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def maria() -> Client:
    household("maria")
    return signed_in("maria")


def started(client: Client) -> dict[str, Any]:
    response = client.post(START)
    assert response.status_code == 201, response.content
    return response.json()


def cookieless(token: str, **extra: Any) -> Client:
    """The browser's chunk requests: the token, no cookies."""
    return Client(**{HEADER: token, **extra})


# --- the page ------------------------------------------------------------------------


def test_the_page_says_what_it_measures_and_that_it_needs_javascript(maria):
    page = maria.get(INDEX).content.decode()
    assert "Speed test" in page
    assert "up to 500 Mbps download and 50 Mbps upload" in page
    assert "<noscript>" in page
    assert "needs JavaScript" in page
    assert 'src="/static/dropline/speed_test.js"' in page
    assert "No speed tests yet." in page
    assert f'href="{INDEX}"' in page  # in the navigation


def test_the_latest_result_shows_against_the_plan_with_the_advice_and_history(maria):
    member = AccountMember.objects.get(user__username="maria")
    customer = Customer(account=member.account, user=member.user)
    for when, down, kind in [
        (dt.datetime(2026, 11, 20, 19, tzinfo=dt.UTC), 470_000, "wired"),
        (dt.datetime(2026, 11, 27, 20, tzinfo=dt.UTC), 160_000, "wifi"),
    ]:
        with clock.frozen(when):
            a_test(customer, download_kbps=down, connection=kind)
    page = maria.get(INDEX).content.decode()
    assert "Your latest result" in page
    assert "160 Mbps" in page
    assert "(32% of your plan's 500 Mbps)" in page
    assert "Wi-Fi, which is often the limit" in page
    assert "portal&#x27;s server" in page
    assert page.count('<tr><th scope="row">') == 2
    assert "470 Mbps" in page
    assert 'role="img"' not in page  # the chart is an image of its own ...
    assert '<img src="data:image/svg+xml;base64,' in page  # ... drawn on the server


def test_the_page_in_spanish(maria):
    maria.post(reverse("set_language"), {"language": "es"})
    page = maria.get(INDEX).content.decode()
    assert "Prueba de velocidad" in page
    assert "JavaScript" in page


# --- nobody else gets bytes -----------------------------------------------------------


@pytest.mark.parametrize("url", [PING, DOWNLOAD, UPLOAD, START, RESULT, INDEX])
@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_signed_out_gets_a_byte(client, url, method):
    response = getattr(client, method)(url + "?n=0&bytes=1000000")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert response.content == b""


def test_a_made_up_token_gets_nothing(maria, client):
    started(maria)
    for url in (PING, DOWNLOAD):
        response = cookieless("made-up").get(url + "?n=0")
        assert response.status_code == 302
        assert response.content == b""
    response = maria.get(DOWNLOAD + "?n=0", **{HEADER: "made-up"})
    assert response.status_code == 403
    assert len(response.content) < 100


def test_a_token_from_another_address_gets_nothing(maria):
    budget = started(maria)
    response = cookieless(budget["token"], REMOTE_ADDR="203.0.113.9").get(DOWNLOAD + "?n=0")
    assert response.status_code == 302
    assert response.content == b""


def test_a_budget_ends_after_a_minute(maria):
    now = dt.datetime(2026, 12, 1, 20, tzinfo=dt.UTC)
    with clock.frozen(now):
        budget = started(maria)
    with clock.frozen(now + dt.timedelta(seconds=59)):
        assert cookieless(budget["token"]).get(PING + "?n=0").status_code == 204
    with clock.frozen(now + dt.timedelta(seconds=60)):
        assert cookieless(budget["token"]).get(PING + "?n=1").status_code == 302
        assert maria.post(RESULT, {"token": budget["token"], **FIGURES}).status_code == 409


# --- what a budget gives --------------------------------------------------------------


def test_a_download_is_the_bytes_asked_for_incompressible_and_never_kept(maria):
    budget = started(maria)
    response = cookieless(budget["token"]).get(DOWNLOAD + "?n=0&bytes=300000")
    assert response.status_code == 200
    assert response.streaming
    body = cast(StreamingHttpResponse, response).getvalue()
    assert len(body) == 300_000
    assert response["Content-Length"] == "300000"
    assert response["Content-Type"] == "application/octet-stream"
    assert "no-store" in response["Cache-Control"]
    assert "no-transform" in response["Cache-Control"]
    assert not response.has_header("Content-Encoding")
    assert len(zlib.compress(body, 9)) > 0.99 * len(body)
    assert not response.cookies  # no session renewed


def test_a_chunk_request_reads_and_writes_no_session(maria):
    budget = started(maria)
    with CaptureQueriesContext(connection) as queries:
        cookieless(budget["token"]).get(DOWNLOAD + "?n=0&bytes=10")
    assert not [q for q in queries if "session" in q["sql"].lower()]


def test_a_whole_chunk_when_no_size_is_given_and_never_more(maria):
    budget = started(maria)
    chunk = budget["chunk_bytes"]
    tester = cookieless(budget["token"])
    response = tester.get(DOWNLOAD + "?n=0")
    assert int(response["Content-Length"]) == chunk
    too_big = tester.get(DOWNLOAD + f"?n=1&bytes={chunk + 1}")
    assert too_big.status_code == 413
    assert len(too_big.content) < 200


def test_a_chunk_number_is_served_once(maria):
    budget = started(maria)
    tester = cookieless(budget["token"])
    assert tester.get(DOWNLOAD + "?n=3&bytes=10").status_code == 200
    again = tester.get(DOWNLOAD + "?n=3&bytes=10")
    assert again.status_code == 409
    assert len(again.content) < 200


def test_the_budget_runs_out(maria):
    budget = started(maria)
    tester = cookieless(budget["token"])
    chunks = budget["download_chunks"]
    assert budgets.MIN_DOWNLOAD_CHUNKS <= chunks <= budgets.MAX_CHUNKS
    for n in range(chunks):
        assert tester.get(DOWNLOAD + f"?n={n}&bytes=1").status_code == 200
    for n in (chunks, chunks + 1, -1):
        assert tester.get(DOWNLOAD + f"?n={n}&bytes=1").status_code == 413
    assert tester.get(DOWNLOAD + "?bytes=1").status_code == 413  # no number
    for n in range(budget["pings"]):
        assert tester.get(PING + f"?n={n}").status_code == 204
    assert tester.get(PING + f"?n={budget['pings']}").status_code == 413


def test_the_budget_is_sized_from_the_plan_within_bounds():
    assert budgets.chunks_for(10, minimum=24) == 24
    assert budgets.chunks_for(100, minimum=24) == 38
    assert budgets.chunks_for(1000, minimum=24) == 307
    assert budgets.chunks_for(10_000, minimum=24) == budgets.MAX_CHUNKS
    assert budgets.chunks_for(None, minimum=24) == budgets.chunks_for(300, minimum=24)


def test_an_upload_is_read_and_thrown_away(maria):
    budget = started(maria)
    tester = cookieless(budget["token"])
    response = tester.post(
        UPLOAD + "?n=0", data=b"x" * 200_000, content_type="application/octet-stream"
    )
    assert response.status_code == 200
    assert response.json() == {"received": 200_000}
    assert "no-store" in response["Cache-Control"]


def test_an_upload_larger_than_a_chunk_is_refused_unread(maria):
    budget = started(maria)
    response = cookieless(budget["token"]).generic(
        "POST",
        UPLOAD + "?n=0",
        b"",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(budget["chunk_bytes"] + 1),
    )
    assert response.status_code == 413
    assert len(response.content) < 200


def test_an_upload_past_the_budget_is_refused(maria):
    budget = started(maria)
    response = cookieless(budget["token"]).post(
        UPLOAD + f"?n={budget['upload_chunks']}", data=b"x", content_type="application/octet-stream"
    )
    assert response.status_code == 413


# --- limits -----------------------------------------------------------------------------


def test_starting_is_limited_per_person_with_a_clear_429(maria):
    for _ in range(budgets.PER_PERSON.count):
        started(maria)
    refused = maria.post(START)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "You can run another in" in refused.json()["detail"]
    # Someone else at another address is not held up.
    household("jose")
    assert signed_in("jose").post(START, REMOTE_ADDR="198.51.100.7").status_code == 201


def test_starting_is_limited_per_address():
    people = []
    for n in range(4):
        household(f"neighbor{n}")
        people.append(signed_in(f"neighbor{n}"))
    answers = [
        person.post(START, REMOTE_ADDR="192.0.2.50").status_code
        for person in people
        for _ in range(budgets.PER_PERSON.count)
    ]
    assert answers.count(201) == budgets.PER_ADDRESS.count
    assert answers[budgets.PER_ADDRESS.count :] == [429] * (
        len(answers) - budgets.PER_ADDRESS.count
    )


def test_starting_needs_the_csrf_token():
    household("careful")
    client = Client(enforce_csrf_checks=True)
    client.login(username="careful", password=PASSWORD)
    assert client.post(START).status_code == 403


# --- the result -------------------------------------------------------------------------


def test_a_result_is_recorded_once_with_the_plans_speeds(maria):
    budget = started(maria)
    response = maria.post(RESULT, {"token": budget["token"], **FIGURES})
    assert response.status_code == 201
    assert response.json()["url"].startswith(INDEX)
    test = SpeedTest.objects.get()
    assert (test.download_kbps, test.upload_kbps, test.connection) == (480_000, 48_000, "wired")
    assert (test.plan_download_mbps, test.plan_upload_mbps) == (500, 50)
    again = maria.post(RESULT, {"token": budget["token"], **FIGURES})
    assert again.status_code == 409
    assert SpeedTest.objects.count() == 1
    page = maria.get(INDEX).content.decode()
    assert "Your speed test is saved." in page
    assert "Your latest result" in page


def test_a_bad_figure_is_refused_naming_the_field_and_nothing_is_written(maria):
    budget = started(maria)
    response = maria.post(RESULT, {"token": budget["token"], **FIGURES, "download_kbps": "fast"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "download_kbps"
    assert not SpeedTest.objects.exists()


def test_another_persons_token_records_nothing(maria):
    budget = started(maria)
    household("eve")
    response = signed_in("eve").post(RESULT, {"token": budget["token"], **FIGURES})
    assert response.status_code == 409
    assert not SpeedTest.objects.exists()
    # Maria's own result still goes in: Eve's try did not use it up.
    assert maria.post(RESULT, {"token": budget["token"], **FIGURES}).status_code == 201
