"""The troubleshooter's order, from facts alone: the account and an outage before any
equipment advice, never a restart while one runs, a restart followed by "Is it working
now?" and a visit when it did not help; each problem's own steps; and, over any facts
and any answers, the rules that must always hold."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.helpdesk.troubleshooting.flows import next_step
from dropline.helpdesk.troubleshooting.steps import (
    ARTICLES,
    ENDS,
    INTERNET_DOWN,
    INTERNET_PROBLEMS,
    INTERNET_SLOW,
    PROBLEMS,
    TV_NO_PICTURE,
    Note,
    Phase,
    Reply,
    Situation,
    Step,
    StepKind,
    Taken,
    VisitCode,
)
from dropline.network.diagnosis.facts import DeviceStatus, Facts
from tests.support.diagnosis import NOW, any_facts
from tests.support.examples import examples
from tests.support.troubleshooting import (
    GATEWAY,
    RECEIVER,
    ROUTER,
    STARTED,
    device,
    facts,
    outage,
    receiver,
    situation,
    speed_test,
    taken,
)

OFFLINE, RESTARTING, UNKNOWN = DeviceStatus.OFFLINE, DeviceStatus.RESTARTING, DeviceStatus.UNKNOWN


def walk(problem: str, where: Situation, *answers: str) -> tuple[Step, list[Taken]]:
    """Start ``problem`` and answer each step in turn; the step reached and the history."""
    history: list[Taken] = []
    for answer in answers:
        step = next_step(problem, where, history)
        assert Reply(answer) in step.answers, (step, answer)
        history.append(taken(step, answer))
    return next_step(problem, where, history), history


# --- the account and the area come first ---------------------------------------------------


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize(
    ("status", "suspended", "kind", "article"),
    [
        ("suspended", False, StepKind.PAY_BILL, ""),
        ("active", True, StepKind.PAY_BILL, ""),
        ("closed", False, StepKind.ARTICLE, "support-requests"),
        ("pending", False, StepKind.ARTICLE, "technician-visits"),
    ],
)
def test_the_account_comes_before_anything_on_the_network(
    problem, status, suspended, kind, article
):
    found = facts(
        device(status=OFFLINE),
        account_status=status,
        services_suspended=suspended,
        outages=(outage(),),
    )
    step = next_step(problem, situation(found), [])
    assert (step.kind, step.article) == (kind, article)
    assert step.ends


@pytest.mark.parametrize("problem", sorted(INTERNET_PROBLEMS))
def test_an_internet_outage_is_the_answer_with_its_eta(problem):
    step = next_step(problem, situation(facts(outages=(outage(),))), [])
    assert step.kind == StepKind.OUTAGE
    assert (step.outage_id, step.eta, step.maintenance) == (7, NOW + dt.timedelta(hours=2), False)


def test_an_outage_with_no_estimate_makes_the_eta_unknown():
    found = facts(outages=(outage(7), outage(8, eta=None)))
    step = next_step(INTERNET_DOWN, situation(found), [])
    assert (step.kind, step.outage_id, step.eta) == (StepKind.OUTAGE, 8, None)


def test_maintenance_on_now_is_said_as_maintenance():
    found = facts(outages=(outage(maintenance=True),))
    step = next_step(INTERNET_SLOW, situation(found), [])
    assert (step.kind, step.maintenance) == (StepKind.OUTAGE, True)


def test_an_outage_of_tv_only_is_not_the_internets_answer_but_is_the_tvs():
    found = facts(outages=(outage(internet=False),))
    assert next_step(INTERNET_DOWN, situation(found), []).kind == StepKind.RESTART
    tv = next_step(TV_NO_PICTURE, situation(found, tv_outages=frozenset({7})), [])
    assert tv.kind == StepKind.OUTAGE


def test_an_internet_only_outage_does_not_stop_the_tv_checks():
    found = facts(outages=(outage(),))
    assert next_step(TV_NO_PICTURE, situation(found), []).kind == StepKind.TV_CHECKS


def test_an_outage_that_starts_halfway_outranks_the_question():
    step, history = walk(INTERNET_DOWN, situation(), "restart")
    assert (step.kind, step.phase) == (StepKind.RESTART, Phase.ASK)
    later = next_step(INTERNET_DOWN, situation(facts(outages=(outage(),))), history)
    assert later.kind == StepKind.OUTAGE


# --- restarts --------------------------------------------------------------------------------


def test_internet_down_with_everything_online_offers_to_restart_the_gateway():
    step = next_step(INTERNET_DOWN, situation(), [])
    assert (step.kind, step.phase, step.equipment_id) == (StepKind.RESTART, Phase.OFFER, GATEWAY)
    assert step.answers == (Reply.RESTART, Reply.SKIP)


def test_a_restart_running_is_waited_for_and_never_offered_again():
    found = facts(device(status=RESTARTING, restart_expected_at=NOW), receiver())
    step = next_step(INTERNET_DOWN, situation(found), [])
    assert (step.kind, step.phase, step.answers) == (StepKind.RESTART, Phase.WAITING, ())
    assert step.note == Note.RESTARTED_ALREADY
    assert step.eta == NOW


def test_after_the_restart_the_device_back_asks_whether_it_works():
    step, history = walk(INTERNET_DOWN, situation(), "restart")
    restarting = facts(device(status=RESTARTING), receiver())
    waiting = next_step(INTERNET_DOWN, situation(restarting), history)
    assert (waiting.phase, waiting.note) == (Phase.WAITING, Note.NONE)
    assert (step.phase, step.equipment_id, step.answers) == (
        Phase.ASK,
        GATEWAY,
        (Reply.YES, Reply.NO),
    )


def test_working_after_the_restart_is_fixed():
    step, _ = walk(INTERNET_DOWN, situation(), "restart", "yes")
    assert step.kind == StepKind.FIXED


def test_a_restart_that_did_not_help_means_a_visit():
    step, _ = walk(INTERNET_DOWN, situation(), "restart", "no")
    assert (step.kind, step.visit) == (StepKind.BOOK_VISIT, VisitCode.RESTART_DID_NOT_HELP)


def test_a_device_that_does_not_come_back_after_the_restart_means_a_visit():
    _, history = walk(INTERNET_DOWN, situation(), "restart")
    gone = facts(device(status=OFFLINE, restarts_recently=1), receiver())
    step = next_step(INTERNET_DOWN, situation(gone), history)
    assert (step.kind, step.visit) == (StepKind.BOOK_VISIT, VisitCode.OFFLINE_AFTER_RESTART)


def test_restarting_by_hand_asks_the_same_question():
    step, _ = walk(INTERNET_DOWN, situation(), "skip")
    assert (step.kind, step.phase) == (StepKind.RESTART, Phase.ASK)


# --- internet down ----------------------------------------------------------------------------


def test_an_offline_gateway_is_the_cables_first_then_a_visit():
    found = situation(facts(device(status=OFFLINE), receiver()))
    first, _ = walk(INTERNET_DOWN, found)
    assert (first.kind, first.equipment_id, first.device_status) == (
        StepKind.CHECK_CABLES,
        GATEWAY,
        "offline",
    )
    step, _ = walk(INTERNET_DOWN, found, "no")
    assert (step.kind, step.visit) == (StepKind.BOOK_VISIT, VisitCode.CHECKS_DID_NOT_HELP)
    fixed, _ = walk(INTERNET_DOWN, found, "yes")
    assert fixed.kind == StepKind.FIXED


def test_cables_checked_and_the_gateway_back_online_then_offers_a_restart():
    _, history = walk(INTERNET_DOWN, situation(facts(device(status=OFFLINE))), "no")
    step = next_step(INTERNET_DOWN, situation(facts(device())), history)
    assert (step.kind, step.phase) == (StepKind.RESTART, Phase.OFFER)


@pytest.mark.parametrize(
    ("gateway", "code"),
    [
        (device(status=OFFLINE, restarts_recently=1), VisitCode.OFFLINE_AFTER_RESTART),
        (
            device(signal_problems=("snr_low",), restarts_recently=1),
            VisitCode.SIGNAL_OUT_OF_RANGE,
        ),
        (device(restarts_recently=2), VisitCode.RESTARTS_NOT_HELPING),
    ],
)
def test_the_connection_checks_visits_are_visits_here_too(gateway, code):
    for problem in sorted(INTERNET_PROBLEMS):
        step = next_step(problem, situation(facts(gateway, receiver())), [])
        assert (step.kind, step.visit) == (StepKind.BOOK_VISIT, code)


def test_a_weak_signal_is_the_cables_then_a_restart():
    found = situation(facts(device(signal_problems=("snr_low",)), receiver()))
    first, _ = walk(INTERNET_DOWN, found)
    assert first.kind == StepKind.CHECK_CABLES
    step, _ = walk(INTERNET_DOWN, found, "no")
    assert (step.kind, step.phase) == (StepKind.RESTART, Phase.OFFER)


def test_an_offline_router_behind_an_online_gateway_is_its_cable():
    found = situation(facts(device(), device(ROUTER, "router", OFFLINE)))
    step = next_step(INTERNET_DOWN, found, [])
    assert (step.kind, step.equipment_id, step.device_kind) == (
        StepKind.CHECK_CABLES,
        ROUTER,
        "router",
    )


def test_equipment_out_of_sight_is_the_cables_and_never_a_restart():
    found = situation(
        facts(device(status=UNKNOWN), receiver(UNKNOWN), device_management_available=False)
    )
    first, _ = walk(INTERNET_DOWN, found)
    assert first.kind == StepKind.CHECK_CABLES
    step, _ = walk(INTERNET_DOWN, found, "no")
    assert step.kind == StepKind.BOOK_VISIT


# --- internet slow -------------------------------------------------------------------------


def _slow(test=None, *devices) -> Situation:
    return situation(facts(*(devices or (device(), receiver())), speed_test=test))


def test_slow_asks_for_a_speed_test_run_after_the_start():
    old = speed_test(20, ran_at=STARTED - dt.timedelta(minutes=1))
    step = next_step(INTERNET_SLOW, _slow(old), [])
    assert (step.kind, step.phase, step.answers) == (
        StepKind.SPEED_TEST,
        Phase.RUN,
        (Reply.DONE, Reply.SKIP),
    )
    again, _ = walk(INTERNET_SLOW, _slow(old), "done")
    assert (again.phase, again.note) == (Phase.RUN, Note.NO_NEW_TEST)


def test_a_test_as_fast_as_the_plan_asks_whether_that_is_fine():
    step = next_step(INTERNET_SLOW, _slow(speed_test(280)), [])
    assert (step.kind, step.phase, step.answers) == (
        StepKind.SPEED_TEST,
        Phase.RESULT,
        (Reply.YES, Reply.NO),
    )
    assert walk(INTERNET_SLOW, _slow(speed_test(280)), "yes")[0].kind == StepKind.FIXED
    wired, _ = walk(INTERNET_SLOW, _slow(speed_test(280)), "no")
    assert (wired.kind, wired.article) == (StepKind.ARTICLE, "slow-internet")
    wifi, _ = walk(INTERNET_SLOW, _slow(speed_test(280, wifi=True)), "no")
    assert (wifi.kind, wifi.article) == (StepKind.ARTICLE, "wifi-tips")


def test_slow_over_wifi_offers_a_wired_test_or_the_wifi_tips():
    where = _slow(speed_test(40, wifi=True, ran_at=NOW - dt.timedelta(minutes=1)))
    step = next_step(INTERNET_SLOW, where, [])
    assert step.answers == (Reply.RETEST, Reply.ARTICLE)
    tips, _ = walk(INTERNET_SLOW, where, "article")
    assert (tips.kind, tips.article) == (StepKind.ARTICLE, "wifi-tips")
    retest, _ = walk(INTERNET_SLOW, where, "retest")
    assert (retest.kind, retest.phase) == (StepKind.SPEED_TEST, Phase.RUN)


def test_a_wired_test_after_test_again_that_is_slow_offers_a_restart():
    where = _slow(speed_test(40, wifi=True, ran_at=NOW - dt.timedelta(minutes=5)))
    _, history = walk(INTERNET_SLOW, where, "retest")
    wired = _slow(speed_test(40, wifi=False, ran_at=NOW + dt.timedelta(minutes=1)))
    step = next_step(INTERNET_SLOW, wired, history)
    assert (step.kind, step.phase, step.note) == (StepKind.RESTART, Phase.OFFER, Note.SLOW_TEST)
    assert step.speed_test is not None
    assert step.speed_test.download_kbps == 40_000


def test_slow_still_after_a_restart_means_a_visit():
    step, _ = walk(INTERNET_SLOW, _slow(speed_test(40)), "restart", "no")
    assert (step.kind, step.visit) == (StepKind.BOOK_VISIT, VisitCode.STILL_SLOW)


def test_skipping_the_test_goes_to_the_restart_or_else_the_article():
    step, _ = walk(INTERNET_SLOW, _slow(), "skip")
    assert (step.kind, step.phase) == (StepKind.RESTART, Phase.OFFER)
    nothing, _ = walk(INTERNET_SLOW, _slow(None, device(status=UNKNOWN)), "skip")
    assert (nothing.kind, nothing.article) == (StepKind.ARTICLE, "slow-internet")


# --- TV -------------------------------------------------------------------------------------


def test_tv_checks_with_the_receivers_status_then_its_restart_then_a_visit():
    first = next_step(TV_NO_PICTURE, situation(), [])
    assert (first.kind, first.equipment_id, first.device_status) == (
        StepKind.TV_CHECKS,
        RECEIVER,
        "online",
    )
    restart, _ = walk(TV_NO_PICTURE, situation(), "no")
    assert (restart.kind, restart.equipment_id) == (StepKind.RESTART, RECEIVER)
    visit, _ = walk(TV_NO_PICTURE, situation(), "no", "restart", "no")
    assert (visit.kind, visit.visit) == (StepKind.BOOK_VISIT, VisitCode.TV_STILL_DOWN)
    assert walk(TV_NO_PICTURE, situation(), "yes")[0].kind == StepKind.FIXED


def test_an_offline_receiver_is_never_restarted_from_here():
    where = situation(facts(device(), receiver(OFFLINE)))
    assert next_step(TV_NO_PICTURE, where, []).device_status == "offline"
    step, _ = walk(TV_NO_PICTURE, where, "no")
    assert step.kind == StepKind.BOOK_VISIT


def test_an_end_stays_the_end_whatever_happens_after():
    _, history = walk(INTERNET_DOWN, situation(), "restart", "yes")
    history.append(taken(next_step(INTERNET_DOWN, situation(), history)))
    later = situation(facts(device(status=OFFLINE), outages=(outage(),)))
    assert next_step(INTERNET_DOWN, later, history).kind == StepKind.FIXED


def test_an_unknown_problem_is_refused():
    with pytest.raises(ValueError, match="unknown problem"):
        next_step("my phone", situation(), [])


# --- over any facts and any answers -------------------------------------------------------


def _internet_outage(found: Facts) -> bool:
    return (
        found.account_status == "active"
        and not found.services_suspended
        and any(o.affects_internet for o in found.outages)
    )


@settings(max_examples=examples(300), deadline=None)
@given(
    problem=st.sampled_from(PROBLEMS),
    moments=st.lists(st.tuples(any_facts, st.integers(min_value=0, max_value=5)), max_size=8),
)
def test_over_any_facts_and_answers_the_order_rules_hold(problem, moments):
    """Facts change at every step (devices restart, outages start and end) and the
    customer presses any button: an internet outage on an account in good standing is
    always the answer until the run has ended, a restart is never offered while one runs,
    every step but a wait has a button or ends, and every end is one the page can say."""
    history: list[Taken] = []
    for found, pick in moments:
        where = Situation(facts=found, started_at=STARTED, tv_outage_ids=frozenset({1, 2, 3}))
        step = next_step(problem, where, history)
        ended = bool(history) and history[-1].step in ENDS
        if problem in INTERNET_PROBLEMS and _internet_outage(found) and not ended:
            assert step.kind == StepKind.OUTAGE
        if any(d.status == RESTARTING for d in found.devices):
            assert not (step.kind == StepKind.RESTART and step.phase == Phase.OFFER)
        if step.kind == StepKind.RESTART and step.phase == Phase.OFFER:
            target = next(d for d in found.devices if d.equipment_id == step.equipment_id)
            assert target.status == DeviceStatus.ONLINE
        if step.kind == StepKind.BOOK_VISIT:
            assert step.visit is not None
        if step.kind == StepKind.ARTICLE:
            assert step.article in ARTICLES
        assert step.ends or step.answers or step.phase == Phase.WAITING
        if step.ends:
            if not ended:
                history.append(taken(step))
            continue
        if step.answers:
            history.append(taken(step, step.answers[pick % len(step.answers)]))


@settings(max_examples=examples(200), deadline=None)
@given(found=any_facts, problem=st.sampled_from(sorted(INTERNET_PROBLEMS)))
def test_an_outage_always_comes_first_for_internet_problems(found, problem):
    step = next_step(problem, situation(found), [])
    if _internet_outage(found):
        assert step.kind == StepKind.OUTAGE
        assert step.outage_id in {o.outage_id for o in found.outages if o.affects_internet}
