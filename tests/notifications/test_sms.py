"""Text messages: retries with backoff, giving up, and the Twilio-style HTTP provider."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json

import pytest
from django.test import override_settings

from dropline.core import clock
from dropline.notifications.categories import Channel
from dropline.notifications.channels.sms import (
    HttpGateway,
    PermanentSmsError,
    SimulatorGateway,
    TemporarySmsError,
)
from dropline.notifications.delivery import BACKOFF_SECONDS, LEASE, MAX_ATTEMPTS, deliver
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    DeliveryAttempt,
    Message,
    MessageStatus,
    SimulatedSms,
)
from dropline.notifications.tasks import deliver_due
from tests.support.notifications import make_person, send_notice
from tests.support.servers import SmsApi, free_port

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 1, 15, 16, 0, tzinfo=dt.UTC)
TIMES_OUT = "+13195550198"
NOT_MOBILE = "+13195550199"
SID = "AC0123456789abcdef"
TOKEN = "s3cret-token"
SENDER = "+13195550100"


def _sms_to(number: str, **extra) -> Message:
    person = make_person(username=f"u{number[-4:]}", email_address=None, phone=number)
    with clock.frozen(NOW):
        send_notice(user=person.user, **extra)
    return Message.objects.get(user=person.user, channel=Channel.SMS)


def test_a_timing_out_provider_is_retried_with_growing_backoff_then_given_up():
    sms = _sms_to(TIMES_OUT)
    now = NOW
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with clock.frozen(now):
            assert deliver_due() == 1
        sms.refresh_from_db()
        assert sms.attempts == attempt
        assert sms.last_error == "provider timed out"
        assert DeliveryAttempt.objects.filter(message=sms, succeeded=False).count() == attempt
        if attempt < MAX_ATTEMPTS:
            assert sms.status == MessageStatus.PENDING
            waits.append((sms.not_before - now).total_seconds())
            with clock.frozen(sms.not_before - dt.timedelta(seconds=1)):
                assert deliver_due() == 0
            now = sms.not_before
        else:
            assert sms.status == MessageStatus.FAILED

    assert waits == BACKOFF_SECONDS[: MAX_ATTEMPTS - 1]
    assert all(a < b for a, b in itertools.pairwise(waits))  # it grows
    with clock.frozen(now + dt.timedelta(days=2)):
        assert deliver_due() == 0  # given up: no seventh try
    sms.refresh_from_db()
    assert sms.attempts == MAX_ATTEMPTS
    assert not SimulatedSms.objects.exists()
    # a timeout says nothing about the number: it stays in use
    contact = ContactPoint.objects.get(address=TIMES_OUT)
    assert contact.status == ContactStatus.OK


def test_a_number_that_cannot_take_texts_fails_at_once_and_is_marked():
    sms = _sms_to(NOT_MOBILE)
    with clock.frozen(NOW):
        assert deliver(sms.pk).status == MessageStatus.FAILED
    sms.refresh_from_db()
    assert sms.status == MessageStatus.FAILED
    assert sms.attempts == 1
    assert "not a mobile line" in sms.last_error
    contact = ContactPoint.objects.get(address=NOT_MOBILE)
    assert contact.status == ContactStatus.UNDELIVERABLE
    assert contact.failure_reason == "number is not a mobile line"
    assert contact.failed_at == NOW
    with clock.frozen(NOW + dt.timedelta(days=1)):
        assert deliver_due() == 0
    assert not SimulatedSms.objects.exists()


def test_the_simulator_keeps_one_text_per_idempotency_key():
    gateway = SimulatorGateway()
    with clock.frozen(NOW):
        first = gateway.send(to="+13195550142", body="Hello", idempotency_key="k1")
        again = gateway.send(to="+13195550142", body="Hello", idempotency_key="k1")
        other = gateway.send(to="+13195550142", body="Hello", idempotency_key="k2")
    assert first == again != other
    assert SimulatedSms.objects.count() == 2
    with pytest.raises(TemporarySmsError):
        gateway.send(to=TIMES_OUT, body="x", idempotency_key="k3")
    with pytest.raises(PermanentSmsError):
        gateway.send(to=NOT_MOBILE, body="x", idempotency_key="k4")


# --- the HTTP provider -------------------------------------------------------------------


def _gateway(api: SmsApi) -> HttpGateway:
    return HttpGateway(
        base_url=api.base_url + "/", account_sid=SID, auth_token=TOKEN, sender=SENDER
    )


def test_http_gateway_posts_the_form_with_basic_auth_and_an_idempotency_key(sms_api: SmsApi):
    sms_api.replies.append((201, json.dumps({"sid": "SM42", "status": "queued"}).encode()))

    reference = _gateway(sms_api).send(
        to="+13195550142", body="Outage: 6:00 to 8:00 ñ€", idempotency_key="notice:1:7:sms"
    )

    assert reference == "SM42"
    [request] = sms_api.requests
    assert request.method == "POST"
    assert request.path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request.form == {
        "To": ["+13195550142"],
        "From": [SENDER],
        "Body": ["Outage: 6:00 to 8:00 ñ€"],
    }
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    scheme, _, encoded = request.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == f"{SID}:{TOKEN}"
    assert request.headers["idempotency-key"] == "notice:1:7:sms"


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, b'{"message": "internal error"}', TemporarySmsError),
        (503, b"", TemporarySmsError),
        (429, b'{"message": "too many requests"}', TemporarySmsError),
        (400, b'{"code": 21211, "message": "not a valid phone number"}', PermanentSmsError),
        (404, b'{"message": "not found"}', PermanentSmsError),
        (201, b'{"status": "queued"}', TemporarySmsError),  # no sid: we cannot track it
    ],
)
def test_http_gateway_says_whether_a_retry_can_help(sms_api: SmsApi, status, body, error):
    sms_api.replies.append((status, body))
    with pytest.raises(error) as caught:
        _gateway(sms_api).send(to="+13195550142", body="Hi", idempotency_key="k")
    if status == 400:
        assert "21211" in str(caught.value)  # the provider's reason reaches the operator


def test_http_gateway_treats_a_refused_connection_as_temporary():
    gateway = HttpGateway(
        base_url=f"http://127.0.0.1:{free_port()}", account_sid=SID, auth_token=TOKEN, sender=SENDER
    )
    with pytest.raises(TemporarySmsError, match="unreachable"):
        gateway.send(to="+13195550142", body="Hi", idempotency_key="k")


def test_http_gateway_treats_a_garbled_answer_as_temporary(sms_api: SmsApi):
    sms_api.replies.append((200, b"<html>proxy error</html>"))
    with pytest.raises(TemporarySmsError):
        _gateway(sms_api).send(to="+13195550142", body="Hi", idempotency_key="k")


def _http_settings(api: SmsApi) -> dict[str, str]:
    return {
        "SMS_GATEWAY": "http",
        "SMS_HTTP_BASE_URL": api.base_url,
        "SMS_HTTP_ACCOUNT_SID": SID,
        "SMS_HTTP_AUTH_TOKEN": TOKEN,
        "SMS_FROM_NUMBER": SENDER,
    }


def test_delivery_through_the_http_provider_end_to_end(sms_api: SmsApi):
    sms = _sms_to("+13195550142")
    sms_api.replies.append((500, b'{"message": "try later"}'))
    with override_settings(**_http_settings(sms_api)):
        with clock.frozen(NOW):
            first = deliver(sms.pk)
        assert first.status == MessageStatus.PENDING
        assert first.retry_in == BACKOFF_SECONDS[0]
        with clock.frozen(NOW + dt.timedelta(seconds=BACKOFF_SECONDS[0])):
            assert deliver_due() == 1

    sms.refresh_from_db()
    assert sms.status == MessageStatus.SENT
    assert sms.provider_reference == "SM" + "2".zfill(32)
    assert sms.attempts == 2
    # both tries carried the same key, so the provider can drop a duplicate
    keys = {r.headers["idempotency-key"] for r in sms_api.requests}
    assert keys == {sms.idempotency_key}
    assert [r.form["Body"] for r in sms_api.requests] == [[sms.body_text]] * 2
    assert [r.form["To"] for r in sms_api.requests] == [["+13195550142"]] * 2
    assert not SimulatedSms.objects.exists()  # the simulator was not used
    attempts = list(DeliveryAttempt.objects.filter(message=sms).values_list("succeeded", "detail"))
    assert attempts[0][0] is False
    assert "500" in attempts[0][1]
    assert attempts[1] == (True, sms.provider_reference)


def test_a_refusal_from_the_http_provider_marks_the_number(sms_api: SmsApi):
    sms = _sms_to("+13195550142")
    sms_api.replies.append((400, b'{"code": 21614, "message": "not a mobile number"}'))
    with override_settings(**_http_settings(sms_api)), clock.frozen(NOW):
        assert deliver(sms.pk).status == MessageStatus.FAILED
        assert deliver_due() == 0
    assert len(sms_api.requests) == 1
    contact = ContactPoint.objects.get(kind=ContactKind.PHONE, address="+13195550142")
    assert contact.status == ContactStatus.UNDELIVERABLE
    assert "21614" in contact.failure_reason


def test_a_provider_answer_that_cannot_be_read_is_not_resent_forever(sms_api: SmsApi):
    sms = _sms_to("+13195550142")
    sms_api.default = (200, b"<html>proxy error</html>")  # the text was probably sent
    moment = NOW
    with override_settings(**_http_settings(sms_api)):
        for _ in range(3 * MAX_ATTEMPTS):
            with clock.frozen(moment):
                deliver_due()
            moment += LEASE + dt.timedelta(hours=3)  # longer than any backoff
    sms.refresh_from_db()
    assert len(sms_api.requests) <= MAX_ATTEMPTS
    assert sms.status == MessageStatus.FAILED
    assert DeliveryAttempt.objects.filter(message=sms).count() == len(sms_api.requests)
