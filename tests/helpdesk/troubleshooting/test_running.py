"""Runs through to each outcome against the device simulator, as the product runs them:
a real restart of the gateway (and of the TV receiver), the clock moved on until the
device is back, "Is it working now?", and the end recorded once with its outcome; a
visit booked from the end linked to the run; refusals that write nothing; runs a day
old left unfinished; another account's run never touched."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core import clock
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import TroubleshootingOutcome, TroubleshootingRun
from dropline.helpdesk.troubleshooting import running, story, words
from dropline.helpdesk.troubleshooting.queries import history, run_for
from dropline.helpdesk.troubleshooting.steps import Phase, StepKind, VisitCode
from dropline.network.devices import simulator
from dropline.network.models import DeviceAction, DeviceActionStatus
from dropline.subscriptions.suspension import suspend_services
from tests.support.equipment import NOON, at, equipped_customer, later
from tests.support.outages import declare_outage
from tests.support.speed_tests import a_test
from tests.support.troubleshooting import an_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    with at(NOON):
        return equipped_customer("fixer", kinds=("gateway", "receiver"))


def start(household, problem="internet_down"):
    customer = household.customer
    return running.start(account=customer.account, person=customer.user, problem=problem)


def reply(household, run, step, answer, **extra):
    customer = household.customer
    return running.answer(
        account=customer.account,
        person=customer.user,
        run_id=run.pk,
        step=step,
        answer=answer,
        **extra,
    )


def now_at(household, run):
    current = running.look(account=household.customer.account, run_id=run.pk)
    assert current is not None
    return current


def test_internet_down_restart_for_real_then_still_down_ends_in_a_booked_visit(household):
    gateway = household.gateway
    with at(NOON):
        run = start(household)
        offer = now_at(household, run).step
        assert (offer.kind, offer.phase, offer.equipment_id) == (
            StepKind.RESTART,
            Phase.OFFER,
            gateway.pk,
        )
        reply(household, run, "restart", "restart")
        action = DeviceAction.objects.get(equipment=gateway)
        assert action.status == DeviceActionStatus.RUNNING
        waiting = now_at(household, run)
        assert (waiting.step.kind, waiting.step.phase) == (StepKind.RESTART, Phase.WAITING)
        assert waiting.restart == action
    # A minute and a half later the simulated gateway is back with a new boot.
    with at(later(90)):
        current = now_at(household, run)
        assert (current.step.kind, current.step.phase) == (StepKind.RESTART, Phase.ASK)
        action.refresh_from_db()
        assert action.status == DeviceActionStatus.DONE
        said = words.step_words(
            run.problem, current.step, facts=current.facts, restart=current.restart, language="en"
        )
        assert said.headline == "Is it working now?"
        assert "Your gateway restarted and is back online." in said.detail
        reply(household, run, "restart", "no")
        end = now_at(household, run)
        assert (end.step.kind, end.step.visit) == (
            StepKind.BOOK_VISIT,
            VisitCode.RESTART_DID_NOT_HELP,
        )
        run.refresh_from_db()
        assert run.outcome == ""  # until the visit is booked
        details = story.booking_details(run.problem, end.taken, end.step, language="en")
        assert details == (
            "My internet is down. Restarted your gateway from here. After the restart: still "
            "not working. A restart did not fix it."
        )
        appointment = an_appointment(household.customer.account)
        running.record_visit(
            account=household.customer.account, run_id=run.pk, appointment=appointment
        )
    run.refresh_from_db()
    assert (run.outcome, run.appointment) == (TroubleshootingOutcome.VISIT, appointment)
    assert run.ended_at == later(90)
    assert [(s["step"], s["answer"]) for s in run.steps] == [
        ("restart", "restart"),
        ("restart", "no"),
        ("book_visit", ""),
    ]
    assert run.steps[0]["result"]["action_id"] == action.pk
    assert DeviceAction.objects.filter(equipment=gateway).count() == 1


def test_working_after_the_restart_ends_fixed(household):
    with at(NOON):
        run = start(household)
        reply(household, run, "restart", "restart")
    with at(later(90)):
        reply(household, run, "restart", "yes")
    run.refresh_from_db()
    assert (run.outcome, run.ended_at) == (TroubleshootingOutcome.FIXED, later(90))
    assert run.steps[-1]["step"] == "fixed"


def test_an_outage_in_the_area_ends_at_once_and_restarts_nothing(household):
    area = household.customer.account.service_address.service_area
    with at(NOON):
        outage = declare_outage(areas=[area], eta=NOON + dt.timedelta(hours=2))
        run = start(household)
        current = now_at(household, run)
    run.refresh_from_db()
    assert (current.step.kind, current.step.outage_id) == (StepKind.OUTAGE, outage.pk)
    assert run.outcome == TroubleshootingOutcome.OUTAGE
    assert not DeviceAction.objects.exists()
    with at(NOON), pytest.raises(SupportError) as refused:
        reply(household, run, "restart", "restart")
    assert refused.value.code == "closed"


def test_a_suspended_account_is_sent_to_pay(household):
    suspend_services(account=household.customer.account, reason="Unpaid balance")
    with at(NOON):
        run = start(household, "tv_no_picture")
    run.refresh_from_db()
    assert run.outcome == TroubleshootingOutcome.PAY_BILL


def test_slow_over_wifi_then_the_wifi_tips(household):
    with at(NOON):
        run = start(household, "internet_slow")
        assert now_at(household, run).step.phase == Phase.RUN
        reply(household, run, "speed_test", "done")
        assert now_at(household, run).step.note == "no_new_test"
    with at(later(60)):
        a_test(household.customer, download_kbps=40_000, connection="wifi")
        result = now_at(household, run).step
        assert (result.kind, result.phase) == (StepKind.SPEED_TEST, Phase.RESULT)
        reply(household, run, "speed_test", "article")
    run.refresh_from_db()
    assert run.outcome == TroubleshootingOutcome.ARTICLE
    assert run.steps[-1]["result"]["article"] == "wifi-tips"
    assert run.steps[-2]["result"]["download_kbps"] == 40_000


def test_a_test_from_before_the_start_does_not_count(household):
    with at(NOON):
        a_test(household.customer, download_kbps=40_000, connection="wired")
    with at(later(60)):
        run = start(household, "internet_slow")
        assert now_at(household, run).step.phase == Phase.RUN


def test_the_tv_receiver_restarted_for_real_and_still_no_picture_is_a_visit(household):
    receiver = household.receiver
    with at(NOON):
        run = start(household, "tv_no_picture")
        checks = now_at(household, run).step
        assert (checks.kind, checks.device_status) == (StepKind.TV_CHECKS, "online")
        reply(household, run, "tv_checks", "no", ticked=["tv_input", "tv_cable"])
        offer = now_at(household, run).step
        assert (offer.kind, offer.equipment_id) == (StepKind.RESTART, receiver.pk)
        reply(household, run, "restart", "restart")
    with at(later(90)):
        reply(household, run, "restart", "no")
        end = now_at(household, run).step
    assert (end.kind, end.visit) == (StepKind.BOOK_VISIT, VisitCode.TV_STILL_DOWN)
    run.refresh_from_db()
    assert run.steps[0]["result"]["ticked"] == ["tv_input", "tv_cable"]
    assert DeviceAction.objects.get().equipment == receiver


def test_an_unplugged_gateway_is_the_cables_and_never_a_restart(household):
    with at(NOON):
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        run = start(household)
        step = now_at(household, run).step
        assert (step.kind, step.device_status) == (StepKind.CHECK_CABLES, "offline")
        reply(household, run, "check_cables", "no", ticked=["power"])
        end = now_at(household, run).step
    assert (end.kind, end.visit) == (StepKind.BOOK_VISIT, VisitCode.CHECKS_DID_NOT_HELP)
    assert not DeviceAction.objects.exists()


def test_answering_a_step_that_has_moved_on_writes_nothing(household):
    with at(NOON):
        run = start(household)
        reply(household, run, "restart", "restart")
        before = TroubleshootingRun.objects.get(pk=run.pk).steps
        # The same button again (a second tab, a double click): no second restart.
        with pytest.raises(SupportError) as twice:
            reply(household, run, "restart", "restart")
        with pytest.raises(SupportError) as wrong:
            reply(household, run, "check_cables", "yes")
    assert twice.value.code == wrong.value.code == "moved_on"
    assert TroubleshootingRun.objects.get(pk=run.pk).steps == before
    assert DeviceAction.objects.count() == 1


def test_an_unknown_checklist_item_is_refused(household):
    with at(NOON):
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        run = start(household)
        with pytest.raises(SupportError) as refused:
            reply(household, run, "check_cables", "no", ticked=["power", "sudo"])
    assert (refused.value.code, refused.value.field) == ("invalid", "ticked")
    assert TroubleshootingRun.objects.get(pk=run.pk).steps == []


def test_the_hourly_restart_limit_refuses_and_records_nothing(household, settings):
    settings.DROPLINE_RESTARTS_PER_HOUR = 1
    with at(NOON):
        from dropline.network import restarting

        restarting.restart(equipment=household.gateway, user=household.customer.user)
    with at(later(120)):
        run = start(household)
        with pytest.raises(SupportError) as refused:
            reply(household, run, "restart", "restart")
    assert refused.value.code == "limit"
    assert "can be restarted 1 time an hour" in refused.value.message
    assert TroubleshootingRun.objects.get(pk=run.pk).steps == []


def test_a_run_a_day_old_is_left_unfinished_when_looked_at(household):
    with at(NOON):
        run = start(household)
    with at(NOON + running.ABANDON_AFTER):
        current = now_at(household, run)
        with pytest.raises(SupportError) as refused:
            reply(household, run, "restart", "restart")
    run.refresh_from_db()
    assert current.step is None
    assert run.outcome == TroubleshootingOutcome.ABANDONED
    assert refused.value.code == "closed"
    assert not DeviceAction.objects.exists()


def test_starts_are_limited_per_account(household):
    with clock.frozen(NOON):
        for _ in range(running.STARTS_PER_ACCOUNT.count):
            start(household, "tv_no_picture")
        with pytest.raises(running.TooManyStartsError) as refused:
            start(household, "tv_no_picture")
    assert refused.value.minutes >= 1
    assert TroubleshootingRun.objects.count() == running.STARTS_PER_ACCOUNT.count


def test_an_unknown_problem_is_refused_before_counting(household):
    with pytest.raises(SupportError) as refused:
        start(household, "my phone")
    assert refused.value.field == "problem"
    assert not TroubleshootingRun.objects.exists()


def test_another_accounts_run_is_never_read_answered_or_linked(household):
    with at(NOON):
        run = start(household)
        other = equipped_customer("stranger", kinds=("gateway",))
        theirs = other.customer.account
        assert run_for(theirs, run.pk) is None
        assert running.look(account=theirs, run_id=run.pk) is None
        with pytest.raises(SupportError) as refused:
            running.answer(
                account=theirs,
                person=other.customer.user,
                run_id=run.pk,
                step="restart",
                answer="restart",
            )
        running.record_visit(account=theirs, run_id=run.pk, appointment=an_appointment(theirs))
        # Nor is another account's visit linked to this account's run.
        running.record_visit(
            account=household.customer.account,
            run_id=run.pk,
            appointment=an_appointment(theirs, number="V-TEST-2"),
        )
    assert refused.value.code == "not_found"
    run.refresh_from_db()
    assert (run.outcome, run.appointment, history(run)) == ("", None, [])
    assert not DeviceAction.objects.exists()


def test_finish_ends_an_open_run_once_and_only_the_accounts(household):
    with at(NOON):
        run = start(household)
        other = equipped_customer("leaver", kinds=("gateway",))
        assert running.finish(account=other.customer.account, run_id=run.pk) is None
        running.finish(account=household.customer.account, run_id=run.pk)
    with at(later(60)):
        running.finish(
            account=household.customer.account,
            run_id=run.pk,
            outcome=TroubleshootingOutcome.FIXED,
        )
    run.refresh_from_db()
    assert (run.outcome, run.ended_at) == (TroubleshootingOutcome.ABANDONED, NOON)
    with pytest.raises(SupportError) as refused:
        running.finish(account=household.customer.account, run_id=run.pk, outcome="shrug")
    assert refused.value.field == "outcome"


def test_a_run_answered_without_end_is_stopped_at_its_limit(household):
    with at(NOON):
        run = start(household, "internet_slow")
        for _ in range(running.MAX_STEPS):
            reply(household, run, "speed_test", "done")
        with pytest.raises(SupportError) as refused:
            reply(household, run, "speed_test", "done")
    assert refused.value.code == "limit"
    assert len(TroubleshootingRun.objects.get(pk=run.pk).steps) == running.MAX_STEPS
