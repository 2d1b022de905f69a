"""The connection check's decision, state by state and in every combination: one answer
with one next step, an outage always before equipment advice, never "restart" while a
restart runs or when nothing can be restarted."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from hypothesis import given

from dropline.network.diagnosis.diagnose import (
    FindingCode,
    NextStep,
    Verdict,
    VisitReason,
    diagnose,
)
from dropline.network.diagnosis.facts import (
    DeviceFacts,
    DeviceStatus,
    Facts,
    OutageFacts,
    SpeedTestFacts,
)
from tests.support.diagnosis import NOW, any_facts

HOUR = dt.timedelta(hours=1)


def device(kind: str, equipment_id: int, **changes: Any) -> DeviceFacts:
    plain = DeviceFacts(
        equipment_id=equipment_id, kind=kind, name=kind.title(), status=DeviceStatus.ONLINE
    )
    return replace(plain, **changes)


def gateway(**changes: Any) -> DeviceFacts:
    return device("gateway", 1, **changes)


def router(**changes: Any) -> DeviceFacts:
    return device("router", 2, **changes)


def receiver(**changes: Any) -> DeviceFacts:
    return device("receiver", 3, **changes)


def modem(**changes: Any) -> DeviceFacts:
    return device("modem", 4, **changes)


def outage(**changes: Any) -> OutageFacts:
    plain = OutageFacts(
        outage_id=10,
        maintenance=False,
        title="Fiber cut on Main St",
        starts_at=NOW - HOUR,
        eta=NOW + 2 * HOUR,
        affects_internet=True,
    )
    return replace(plain, **changes)


def slow_test(**changes: Any) -> SpeedTestFacts:
    plain = SpeedTestFacts(
        ran_at=NOW - HOUR,
        download_kbps=40_000,
        upload_kbps=10_000,
        plan_download_mbps=300,
        on_wifi=False,
    )
    return replace(plain, **changes)


def facts(**changes: Any) -> Facts:
    return replace(Facts(now=NOW, account_status="active", devices=(gateway(),)), **changes)


# --- each state on its own -----------------------------------------------------------


def test_all_fine_says_so_and_suggests_nothing_to_fix():
    answer = diagnose(facts())
    assert (answer.verdict, answer.next_step) == (Verdict.ALL_FINE, NextStep.NONE)
    assert answer.findings == ()


def test_a_suspended_account_is_told_to_pay_the_bill():
    answer = diagnose(facts(account_status="suspended"))
    assert (answer.verdict, answer.next_step) == (Verdict.ACCOUNT_SUSPENDED, NextStep.PAY_BILL)


def test_services_suspended_on_an_active_account_also_means_pay_the_bill():
    answer = diagnose(facts(services_suspended=True))
    assert answer.next_step == NextStep.PAY_BILL


def test_closed_and_not_yet_installed_accounts_get_no_equipment_advice():
    offline = (gateway(status=DeviceStatus.OFFLINE),)
    closed = diagnose(facts(account_status="closed", devices=offline))
    pending = diagnose(facts(account_status="pending", devices=offline))
    assert (closed.verdict, closed.next_step) == (Verdict.ACCOUNT_CLOSED, NextStep.NONE)
    assert (pending.verdict, pending.next_step) == (Verdict.NOT_INSTALLED, NextStep.NONE)


def test_an_outage_says_wait_with_its_eta_and_the_outage_to_watch():
    answer = diagnose(facts(outages=(outage(),)))
    assert (answer.verdict, answer.next_step) == (Verdict.OUTAGE, NextStep.WAIT)
    assert (answer.outage_id, answer.eta) == (10, NOW + 2 * HOUR)


def test_several_outages_wait_for_the_last_and_an_unknown_eta_makes_it_unknown():
    later = outage(outage_id=11, eta=NOW + 5 * HOUR)
    assert diagnose(facts(outages=(outage(), later))).eta == NOW + 5 * HOUR
    unknown = outage(outage_id=12, eta=None)
    answer = diagnose(facts(outages=(outage(), unknown, later)))
    assert (answer.eta, answer.outage_id) == (None, 12)


def test_maintenance_going_on_says_wait_until_its_window_ends():
    answer = diagnose(facts(outages=(outage(maintenance=True),)))
    assert (answer.verdict, answer.next_step) == (Verdict.MAINTENANCE, NextStep.WAIT)
    assert answer.eta == NOW + 2 * HOUR


def test_an_outage_outranks_maintenance():
    both = (outage(maintenance=True, outage_id=1), outage(outage_id=2))
    assert diagnose(facts(outages=both)).verdict == Verdict.OUTAGE


def test_a_running_restart_says_wait_until_it_is_back():
    back = NOW + dt.timedelta(minutes=2)
    answer = diagnose(
        facts(devices=(gateway(status=DeviceStatus.RESTARTING, restart_expected_at=back),))
    )
    assert (answer.verdict, answer.next_step) == (Verdict.RESTARTING, NextStep.WAIT)
    assert (answer.equipment_id, answer.eta) == (1, back)


def test_device_management_down_says_check_power_and_cables():
    unknown = (gateway(status=DeviceStatus.UNKNOWN),)
    answer = diagnose(facts(devices=unknown, device_management_available=False))
    assert answer.verdict == Verdict.EQUIPMENT_UNREACHABLE
    assert (answer.next_step, answer.equipment_id) == (NextStep.CHECK_CABLES, 1)


def test_an_offline_gateway_says_check_its_power_and_cable():
    answer = diagnose(facts(devices=(gateway(status=DeviceStatus.OFFLINE),)))
    assert (answer.verdict, answer.next_step) == (Verdict.MODEM_OFFLINE, NextStep.CHECK_CABLES)
    assert answer.equipment_id == 1


def test_still_offline_after_a_restart_books_a_visit_with_the_reason():
    device = gateway(status=DeviceStatus.OFFLINE, restarts_recently=1)
    answer = diagnose(facts(devices=(device,)))
    assert answer.next_step == NextStep.BOOK_VISIT
    assert answer.reason == VisitReason.OFFLINE_AFTER_RESTART


def test_a_router_offline_behind_an_online_modem_is_the_cable_between_them():
    answer = diagnose(facts(devices=(modem(), router(status=DeviceStatus.OFFLINE))))
    assert (answer.verdict, answer.next_step) == (Verdict.ROUTER_OFFLINE, NextStep.CHECK_CABLES)
    assert answer.equipment_id == 2


def test_signal_out_of_range_says_check_the_cable_then_a_visit_after_a_restart():
    weak = gateway(signal_problems=("downstream_power_low",))
    first = diagnose(facts(devices=(weak,)))
    assert (first.verdict, first.next_step) == (Verdict.SIGNAL_OUT_OF_RANGE, NextStep.CHECK_CABLES)
    restarted = gateway(signal_problems=("snr_low",), restarts_recently=1)
    again = diagnose(facts(devices=(restarted,)))
    assert (again.next_step, again.reason) == (
        NextStep.BOOK_VISIT,
        VisitReason.SIGNAL_OUT_OF_RANGE,
    )


def test_a_receiver_offline_says_check_its_cable():
    answer = diagnose(facts(devices=(gateway(), receiver(status=DeviceStatus.OFFLINE))))
    assert (answer.verdict, answer.equipment_id) == (Verdict.RECEIVER_OFFLINE, 3)


def test_a_tv_only_outage_waits_but_does_not_hide_an_offline_modem():
    tv = outage(affects_internet=False)
    assert diagnose(facts(outages=(tv,))).next_step == NextStep.WAIT
    offline = diagnose(facts(outages=(tv,), devices=(gateway(status=DeviceStatus.OFFLINE),)))
    assert offline.verdict == Verdict.MODEM_OFFLINE


def test_two_restarts_in_a_day_that_did_not_help_book_a_visit():
    answer = diagnose(facts(devices=(gateway(restarts_recently=2, last_restart_at=NOW - HOUR),)))
    assert (answer.verdict, answer.next_step) == (Verdict.RESTARTS_NOT_HELPING, NextStep.BOOK_VISIT)
    assert answer.reason == VisitReason.RESTARTS_NOT_HELPING
    assert diagnose(facts(devices=(gateway(restarts_recently=1),))).verdict == Verdict.ALL_FINE


def test_a_recent_slow_speed_test_says_restart_the_gateway():
    answer = diagnose(facts(devices=(modem(), gateway()), speed_test=slow_test()))
    assert (answer.verdict, answer.next_step) == (Verdict.SLOW_SPEED, NextStep.RESTART)
    assert answer.equipment_id == 1  # the gateway before the modem


def test_a_slow_test_restarted_since_or_long_ago_or_at_plan_speed_is_fine():
    restarted = gateway(restarts_recently=1, last_restart_at=NOW - dt.timedelta(minutes=30))
    assert diagnose(facts(devices=(restarted,), speed_test=slow_test())).verdict == Verdict.ALL_FINE
    old = slow_test(ran_at=NOW - dt.timedelta(days=3))
    assert diagnose(facts(speed_test=old)).verdict == Verdict.ALL_FINE
    quick = slow_test(download_kbps=290_000)
    assert diagnose(facts(speed_test=quick)).verdict == Verdict.ALL_FINE


def test_a_slow_test_with_nothing_restartable_from_here_does_not_offer_a_restart():
    unmanaged = (gateway(status=DeviceStatus.UNKNOWN),)
    answer = diagnose(facts(devices=unmanaged, speed_test=slow_test()))
    assert (answer.verdict, answer.next_step) == (Verdict.SLOW_SPEED, NextStep.NONE)


def test_findings_list_everything_noticed_not_only_the_verdict():
    answer = diagnose(
        facts(
            account_status="suspended",
            outages=(outage(),),
            devices=(gateway(signal_problems=("snr_low",)), receiver(status=DeviceStatus.OFFLINE)),
            upcoming_maintenance=(outage(outage_id=20, maintenance=True, starts_at=NOW + HOUR),),
        )
    )
    assert answer.verdict == Verdict.ACCOUNT_SUSPENDED
    assert [f.code for f in answer.findings] == [
        FindingCode.ACCOUNT_SUSPENDED,
        FindingCode.OUTAGE,
        FindingCode.SIGNAL_OUT_OF_RANGE,
        FindingCode.DEVICE_OFFLINE,
        FindingCode.MAINTENANCE_UPCOMING,
    ]


def test_mobile_phones_are_not_part_of_the_connection():
    phone = DeviceFacts(equipment_id=9, kind="phone", name="P", status=DeviceStatus.OFFLINE)
    assert diagnose(facts(devices=(gateway(), phone))).verdict == Verdict.ALL_FINE


# --- every combination -----------------------------------------------------------------


@given(any_facts)
def test_every_state_gets_exactly_one_answer_with_a_next_step(given_facts):
    answer = diagnose(given_facts)
    assert answer.verdict in Verdict
    assert answer.next_step in NextStep
    # A visit always says why; nothing else carries a visit's reason.
    assert (answer.reason is not None) == (answer.next_step == NextStep.BOOK_VISIT)
    # Restart and cables name a device of the account (cables may have none to name
    # only when device management cannot say which).
    ids = {device.equipment_id for device in given_facts.devices}
    if answer.next_step == NextStep.RESTART:
        assert answer.equipment_id in ids
    if answer.next_step == NextStep.WAIT and answer.verdict != Verdict.RESTARTING:
        assert answer.outage_id in {o.outage_id for o in given_facts.outages}


@given(any_facts)
def test_the_same_facts_always_give_the_same_answer(given_facts):
    assert diagnose(given_facts) == diagnose(given_facts)


@given(any_facts)
def test_a_suspended_account_always_hears_pay_the_bill(given_facts):
    answer = diagnose(given_facts)
    suspended = given_facts.account_status == "suspended" or (
        given_facts.services_suspended and given_facts.account_status != "closed"
    )
    assert (answer.next_step == NextStep.PAY_BILL) == suspended


@given(any_facts)
def test_an_internet_outage_always_outranks_equipment_advice(given_facts):
    answer = diagnose(given_facts)
    active = given_facts.account_status == "active" and not given_facts.services_suspended
    if active and any(o.affects_internet for o in given_facts.outages):
        assert answer.next_step == NextStep.WAIT
        assert answer.verdict in (Verdict.OUTAGE, Verdict.MAINTENANCE)


@given(any_facts)
def test_never_restart_while_a_restart_runs_or_device_management_is_down(given_facts):
    answer = diagnose(given_facts)
    if answer.next_step != NextStep.RESTART:
        return
    checked = [d for d in given_facts.devices if d.kind != "phone"]
    assert not any(d.status == DeviceStatus.RESTARTING for d in checked)
    assert given_facts.device_management_available
    target = next(d for d in given_facts.devices if d.equipment_id == answer.equipment_id)
    assert target.status == DeviceStatus.ONLINE
    assert target.kind in ("gateway", "modem")


@given(any_facts)
def test_wait_for_a_restart_only_when_one_is_running(given_facts):
    answer = diagnose(given_facts)
    if answer.verdict == Verdict.RESTARTING:
        target = next(d for d in given_facts.devices if d.equipment_id == answer.equipment_id)
        assert target.status == DeviceStatus.RESTARTING
