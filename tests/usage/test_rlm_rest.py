"""What FreeRADIUS's rest module posts, read into readings: both bodies, every status
type, gigawords, the session key, Event-Timestamp in both forms, and bad input named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from dropline.usage import rlm_rest
from dropline.usage.errors import ReadingError
from dropline.usage.models import SessionStatus
from tests.support.usage_sources import packet, reference_body, rlm_form, rlm_json

NOW = dt.datetime(2026, 12, 4, 14, 0, 5, tzinfo=dt.UTC)
KEY = "457461ed05a897752d751633d2f6a875"


def parse_json(body: bytes) -> rlm_rest.Reading | None:
    return rlm_rest.parse_json(body, received_at=NOW)


def test_the_captured_start_is_a_start_of_nothing_yet():
    reading = parse_json(reference_body("start"))
    assert reading is not None
    assert reading.status == SessionStatus.START
    assert reading.session_key == KEY
    assert reading.username == "cust-0001"
    assert (reading.input_octets, reading.output_octets, reading.session_time) == (0, 0, 0)
    assert reading.nas == "127.0.0.1"
    assert reading.occurred_at == NOW  # no Event-Timestamp: when it arrived


def test_the_captured_interim_folds_the_output_gigaword_in():
    reading = parse_json(reference_body("interim"))
    assert reading is not None
    assert reading.status == SessionStatus.INTERIM
    assert reading.input_octets == 1_000_000
    assert reading.output_octets == 2**32 + 5_000_000
    assert reading.session_time == 600


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Start", SessionStatus.START),
        ("Interim-Update", SessionStatus.INTERIM),
        ("Alive", SessionStatus.INTERIM),
        ("Stop", SessionStatus.STOP),
        (1, SessionStatus.START),  # raw_value = yes
        (3, SessionStatus.INTERIM),
        (2, SessionStatus.STOP),
    ],
)
def test_status_types_by_name_and_by_number(value, status):
    reading = parse_json(rlm_json(**packet(value)))
    assert reading is not None
    assert reading.status == status


@pytest.mark.parametrize("value", ["Accounting-On", "Accounting-Off", 7, 8, "Failed"])
def test_accounting_on_and_off_count_nothing(value):
    body = rlm_json(Acct_Status_Type=value, NAS_IP_Address="10.0.0.1")
    assert parse_json(body) is None


def test_the_form_body_reads_the_same_as_the_json_one():
    attrs = packet(
        "Interim-Update",
        Acct_Input_Octets=10,
        Acct_Output_Octets=20,
        Acct_Input_Gigawords=2,
        Acct_Session_Time=60,
        Event_Timestamp="Dec  4 2026 13:59:00 UTC",
    )
    from_form = rlm_rest.parse_form(rlm_form(**attrs), received_at=NOW)
    assert from_form == parse_json(rlm_json(**attrs))
    assert from_form is not None
    assert from_form.input_octets == 2 * 2**32 + 10
    assert from_form.occurred_at == dt.datetime(2026, 12, 4, 13, 59, tzinfo=dt.UTC)


def test_the_content_type_chooses_the_reader():
    attrs = packet("Stop", Acct_Input_Octets=5)
    as_json = rlm_rest.parse(rlm_json(**attrs), content_type="application/json", received_at=NOW)
    as_form = rlm_rest.parse(
        rlm_form(**attrs), content_type="application/x-www-form-urlencoded", received_at=NOW
    )
    assert as_json == as_form


def test_without_a_unique_id_the_key_is_the_nas_and_the_session_id():
    reading = parse_json(rlm_json(**packet("Start", Acct_Unique_Session_Id=None)))
    assert reading is not None
    assert reading.session_key == "127.0.0.1/sess-1"
    by_identifier = parse_json(
        rlm_json(
            **packet(
                "Start", Acct_Unique_Session_Id=None, NAS_IP_Address=None, NAS_Identifier="bng-3"
            )
        )
    )
    assert by_identifier is not None
    assert by_identifier.session_key == "bng-3/sess-1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Dec  4 2026 14:00:00 UTC", dt.datetime(2026, 12, 4, 14, 0, tzinfo=dt.UTC)),
        ("Dec 14 2025 09:30:15 GMT", dt.datetime(2025, 12, 14, 9, 30, 15, tzinfo=dt.UTC)),
        ("Jul  4 2026 10:00:00 +0200", dt.datetime(2026, 7, 4, 8, 0, tzinfo=dt.UTC)),
        (1_796_392_800, dt.datetime(2026, 12, 4, 14, 0, tzinfo=dt.UTC)),
        ("1796392800", dt.datetime(2026, 12, 4, 14, 0, tzinfo=dt.UTC)),
    ],
)
def test_event_timestamp_as_freeradius_prints_it_or_as_seconds(value, expected):
    reading = parse_json(rlm_json(**packet("Stop", Event_Timestamp=value)))
    assert reading is not None
    assert reading.occurred_at == expected


@override_settings(TIME_ZONE="America/Chicago")
def test_the_providers_own_zone_name_is_understood_summer_and_winter():
    winter = parse_json(rlm_json(**packet("Stop", Event_Timestamp="Dec  4 2026 08:00:00 CST")))
    summer = parse_json(rlm_json(**packet("Stop", Event_Timestamp="Jul  4 2026 08:00:00 CDT")))
    assert winter is not None
    assert summer is not None
    assert winter.occurred_at == dt.datetime(2026, 12, 4, 14, 0, tzinfo=dt.UTC)
    assert summer.occurred_at == dt.datetime(2026, 7, 4, 13, 0, tzinfo=dt.UTC)


def test_a_zone_that_cannot_be_known_or_a_clock_never_set_means_the_arrival_time():
    for value in ("Dec  4 2026 14:00:00 XYZT", 0, "Jan  1 1970 00:00:10 UTC"):
        reading = parse_json(rlm_json(**packet("Stop", Event_Timestamp=value)))
        assert reading is not None
        assert reading.occurred_at == NOW


@pytest.mark.parametrize(
    ("attrs", "field", "words"),
    [
        ({"Acct_Status_Type": None}, "Acct-Status-Type", "missing"),
        ({"Acct_Status_Type": "Sleeping"}, "Acct-Status-Type", "not a known status type"),
        ({"User_Name": None}, "User-Name", "missing"),
        ({"User_Name": "u" * 254}, "User-Name", "longer than 253"),
        ({"Acct_Input_Octets": -1}, "Acct-Input-Octets", "negative"),
        ({"Acct_Output_Octets": "lots"}, "Acct-Output-Octets", "not a whole number"),
        ({"Acct_Output_Octets": 1.5}, "Acct-Output-Octets", "not a whole number"),
        ({"Acct_Input_Gigawords": 2**32}, "Acct-Input-Gigawords", "32-bit"),
        ({"Acct_Session_Time": True}, "Acct-Session-Time", "not a whole number"),
        ({"Event_Timestamp": "yesterday"}, "Event-Timestamp", "not a date"),
        ({"Event_Timestamp": "Dec 25 2026 00:00:00 UTC"}, "Event-Timestamp", "a day ahead"),
        (
            {"Acct_Unique_Session_Id": None, "Acct_Session_Id": None},
            "Acct-Session-Id",
            "both missing",
        ),
        (
            {"Acct_Unique_Session_Id": None, "NAS_IP_Address": None},
            "NAS-IP-Address",
            "needed",
        ),
        ({"Acct_Unique_Session_Id": "k" * 256}, "Acct-Unique-Session-Id", "longer than 255"),
    ],
)
def test_bad_packets_name_the_attribute_and_the_reason(attrs, field, words):
    with pytest.raises(ReadingError) as raised:
        parse_json(rlm_json(**packet("Interim-Update", **attrs)))
    assert raised.value.field == field
    assert field in raised.value.message
    assert words in raised.value.message


@pytest.mark.parametrize("body", [b"", b"{not json", b"[1, 2]", b'"Start"', b"\xff\xfe"])
def test_a_body_that_is_not_an_object_of_attributes_is_refused(body):
    with pytest.raises(ReadingError) as raised:
        parse_json(body)
    assert raised.value.field == "body"


def test_a_form_body_that_is_not_text_or_empty_is_refused():
    for body in (b"\xff=\xfe", b""):
        with pytest.raises(ReadingError):
            rlm_rest.parse_form(body, received_at=NOW)


@given(
    octets=st.integers(0, 2**32 - 1),
    gigawords=st.integers(0, 2**32 - 1),
    form=st.booleans(),
)
def test_any_32_bit_counter_and_its_gigawords_fold_exactly(octets, gigawords, form):
    attrs = packet("Interim-Update", Acct_Output_Octets=octets, Acct_Output_Gigawords=gigawords)
    body = rlm_form(**attrs) if form else rlm_json(**attrs)
    reading = rlm_rest.parse(
        body, content_type="" if not form else "application/x-www-form-urlencoded", received_at=NOW
    )
    assert reading is not None
    assert reading.output_octets == gigawords * 2**32 + octets
    assert reading.input_octets == 0


def test_a_form_body_as_it_is_on_the_wire():
    body = (
        b"User-Name=cust-0001&NAS-IP-Address=127.0.0.1&Acct-Status-Type=Stop"
        b"&Acct-Input-Octets=1000&Acct-Session-Id=sess-1&Acct-Output-Gigawords=1"
        b"&Event-Timestamp=Dec++4+2026+14%3A00%3A00+UTC"
        b"&Acct-Unique-Session-Id=457461ed05a897752d751633d2f6a875"
    )
    reading = rlm_rest.parse(
        body, content_type="application/x-www-form-urlencoded", received_at=NOW
    )
    assert reading is not None
    assert reading.status == SessionStatus.STOP
    assert (reading.input_octets, reading.output_octets) == (1000, 2**32)
    assert reading.occurred_at == dt.datetime(2026, 12, 4, 14, 0, tzinfo=dt.UTC)
    assert reading.session_key == KEY
