"""``POST /api/v1/radius/accounting`` as FreeRADIUS's rest module calls it: the two
bodies it really sent, posted verbatim, count what they say, once; the form body too;
only an active collector's credentials get in; a bad packet is a 400 naming the
attribute, kept as a rejection, counting nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from dropline.usage import collectors
from dropline.usage.models import Collector, Rejection, UsageRecord, UsageSession
from tests.support.usage_sources import (
    ACCOUNTING,
    basic,
    internet_service,
    packet,
    reference_body,
    rlm_form,
    rlm_json,
    used_bytes,
)

pytestmark = pytest.mark.django_db
KEY = "457461ed05a897752d751633d2f6a875"
INTERIM_BYTES = 1_000_000 + 2**32 + 5_000_000


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    collectors.forget_all()
    yield
    collectors.forget_all()


@pytest.fixture
def collector() -> tuple[Collector, str]:
    return collectors.add_collector(name="radius-1")


@pytest.fixture
def radius(collector) -> Client:
    """A client that is not a browser: no cookies, CSRF checks on, a collector's
    credentials on every request."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=basic("radius-1", collector[1]))


def post_json(client: Client, body: bytes, **extra):
    return client.post(ACCOUNTING, body, content_type="application/json", **extra)


def test_the_bodies_freeradius_sent_count_the_interims_bytes(radius):
    service = internet_service("cust-0001")
    start = post_json(radius, reference_body("start"))
    assert start.status_code == 204
    assert start.content == b""
    interim = post_json(radius, reference_body("interim"))
    assert interim.status_code == 204
    assert used_bytes(service) == INTERIM_BYTES
    session = UsageSession.objects.get(key=KEY)
    assert session.subscription == service
    assert session.counted_bytes == INTERIM_BYTES


def test_a_retransmitted_packet_counts_once(radius):
    service = internet_service("cust-0001")
    for _ in range(3):
        assert post_json(radius, reference_body("interim")).status_code == 204
    assert used_bytes(service) == INTERIM_BYTES


def test_the_form_body_counts_the_same(collector):
    service = internet_service("cust-0001")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=basic("radius-1", collector[1]))
    body = rlm_form(**packet("Stop", Acct_Input_Octets=300, Acct_Output_Octets=700))
    response = client.post(ACCOUNTING, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 204
    assert used_bytes(service) == 1000


def test_a_later_packet_adds_only_its_difference_and_an_older_one_nothing(radius):
    service = internet_service("cust-0001")
    for octets, seconds in ((1000, 60), (3000, 180), (2000, 120)):
        body = rlm_json(
            **packet("Interim-Update", Acct_Output_Octets=octets, Acct_Session_Time=seconds)
        )
        assert post_json(radius, body).status_code == 204
    assert used_bytes(service) == 3000


def test_accounting_on_is_accepted_and_counts_nothing(radius):
    body = rlm_json(Acct_Status_Type="Accounting-On", NAS_IP_Address="10.0.0.1")
    assert post_json(radius, body).status_code == 204
    assert not UsageRecord.objects.exists()


def test_usage_of_a_username_nobody_has_is_kept_aside(radius):
    body = rlm_json(**packet("Stop", User_Name="nobody-yet", Acct_Output_Octets=500))
    assert post_json(radius, body).status_code == 204
    record = UsageRecord.objects.get()
    assert (record.username, record.subscription_id) == ("nobody-yet", None)


def test_the_collector_is_seen(radius, collector):
    internet_service("cust-0001")
    post_json(radius, reference_body("start"))
    collector[0].refresh_from_db()
    assert collector[0].last_record_at is not None
    assert UsageRecord.objects.get().collector_id == collector[0].pk


def test_a_malformed_packet_is_400_naming_the_attribute_kept_and_counting_nothing(radius):
    service = internet_service("cust-0001")
    body = rlm_json(**packet("Interim-Update", Acct_Output_Octets=-5))
    response = post_json(radius, body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["errors"] == [
        {"field": "Acct-Output-Octets", "reason": "Acct-Output-Octets is negative."}
    ]
    assert answer["detail"] == "Acct-Output-Octets is negative."
    rejection = Rejection.objects.get()
    assert rejection.reason == "Acct-Output-Octets is negative."
    assert "cust-0001" in rejection.excerpt
    assert used_bytes(service) == 0
    assert not UsageRecord.objects.exists()


def test_a_body_that_is_not_json_is_400(radius):
    response = post_json(radius, b"{oops")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
    assert Rejection.objects.count() == 1


@pytest.mark.parametrize("authorization", [None, "Bearer abc", "Basic !!!", "basic-only"])
def test_without_a_collectors_credentials_it_is_401_with_a_basic_challenge(authorization):
    service = internet_service("cust-0001")
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = post_json(Client(), reference_body("interim"), **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="dropline"'
    assert response.json() == {"detail": "Unauthorized"}
    assert used_bytes(service) == 0
    assert not Rejection.objects.exists()


def test_a_wrong_password_or_a_revoked_collector_is_401(collector):
    service = internet_service("cust-0001")
    wrong = Client(HTTP_AUTHORIZATION=basic("radius-1", collector[1] + "x"))
    assert post_json(wrong, reference_body("interim")).status_code == 401
    right = Client(HTTP_AUTHORIZATION=basic("radius-1", collector[1]))
    assert post_json(right, reference_body("start")).status_code == 204
    collectors.revoke_collector(collector_id=collector[0].pk, actor=None)
    assert post_json(right, reference_body("interim")).status_code == 401
    assert used_bytes(service) == 0


def test_an_address_that_keeps_failing_is_told_to_wait(collector):
    wrong = Client(HTTP_AUTHORIZATION=basic("radius-1", "guess"), REMOTE_ADDR="192.0.2.9")
    for _ in range(collectors.FAILURES_PER_IP.count):
        assert post_json(wrong, reference_body("start")).status_code == 401
    refused = post_json(wrong, reference_body("start"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    elsewhere = Client(HTTP_AUTHORIZATION=basic("radius-1", collector[1]), REMOTE_ADDR="192.0.2.10")
    assert post_json(elsewhere, reference_body("start")).status_code == 204


def test_the_answer_is_never_kept_by_a_cache(radius):
    response = post_json(radius, reference_body("start"))
    assert "no-store" in response["Cache-Control"]
