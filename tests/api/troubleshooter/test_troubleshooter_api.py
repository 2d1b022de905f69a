"""The guided troubleshooter from the app: start a run for a problem, read its current
step in a form the app can draw (headline, what the checks found, the answers, a
checklist, what it leads to), answer it; against the device simulator, as the web page
runs it. Limited per account; an answer for a step that moved on writes nothing;
another account's run is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest
from django.test import Client

from dropline.api.troubleshooter.schemas import CHECKLIST_ITEMS, Answer, ChecklistItem, Kind
from dropline.field.windows import open_windows
from dropline.helpdesk.models import TroubleshootingRun
from dropline.helpdesk.troubleshooting import running
from dropline.helpdesk.troubleshooting.steps import Reply, StepKind
from dropline.network.devices import simulator
from dropline.network.models import DeviceAction, OutageWatch
from dropline.subscriptions.suspension import suspend_services
from tests.support.equipment import NOON, Equipped, at, equipped_customer, later
from tests.support.outages import declare_outage
from tests.support.visits import add_templates

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/troubleshooter/runs"


@pytest.fixture
def household() -> Equipped:
    with at(NOON):
        return equipped_customer("troubled", kinds=("gateway", "receiver"))


@pytest.fixture
def app(household: Equipped) -> Client:
    client = Client()
    client.force_login(household.customer.user)
    return client


def start(app: Client, problem: str = "internet_down", **extra: Any) -> Any:
    return app.post(RUNS, {"problem": problem}, content_type="application/json", **extra)


def answer(app: Client, run_id: int, step: str, reply: str, **body: Any) -> Any:
    return app.post(
        f"{RUNS}/{run_id}/answers",
        {"step": step, "answer": reply, **body},
        content_type="application/json",
    )


def started(app: Client, problem: str = "internet_down") -> dict[str, Any]:
    response = start(app, problem)
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def runs_as_stored() -> list[dict[str, Any]]:
    return [dict(row) for row in TroubleshootingRun.objects.order_by("pk").values()]


def test_the_schema_names_every_step_answer_and_checklist_item_of_the_flow():
    assert set(get_args(Kind)) == {kind.value for kind in StepKind}
    assert set(get_args(Answer)) == {reply.value for reply in Reply}
    assert set(get_args(ChecklistItem)) == CHECKLIST_ITEMS


def test_starting_checks_everything_and_offers_to_restart_the_gateway(app, household):
    with at(NOON):
        run = started(app)

    assert run["problem"] == "internet_down"
    assert run["problem_label"] == "My internet is down"
    assert run["outcome"] == ""
    assert run["taken"] == []
    step = run["step"]
    assert (step["kind"], step["phase"], step["ends"]) == ("restart", "offer", False)
    assert step["headline"] == "Restart your gateway"
    assert "Your internet will be off for about 2 minutes." in step["detail"]
    assert step["checks"] == [
        "Your account is in good standing.",
        "There is no outage or maintenance in your area right now.",
        "Your gateway is online.",
    ]
    assert step["answers"] == [
        {"answer": "restart", "label": "Restart it now"},
        {"answer": "skip", "label": "I restarted it myself"},
    ]
    assert step["device"] == {
        "equipment_id": household.gateway.pk,
        "kind": "gateway",
        "status": "online",
    }
    assert step["checklist"] == []
    assert step["booking"] is None
    # The web page shows the same run at the same step.
    with at(NOON):
        page = app.get(f"/support/troubleshoot/{run['id']}/").content.decode()
    assert "Restart your gateway" in page


def test_a_real_restart_is_followed_then_asked_then_ends_in_a_visit_booked_with_the_run(
    app, household
):
    with at(NOON):
        run_id = started(app)["id"]
        pressed = answer(app, run_id, "restart", "restart")
    assert pressed.status_code == 200
    waiting = pressed.json()["step"]
    action = DeviceAction.objects.get(equipment=household.gateway)
    assert (waiting["kind"], waiting["phase"]) == ("restart", "waiting")
    assert waiting["answers"] == []  # nothing to press while it restarts
    assert waiting["restart"] == {
        "id": action.pk,
        "equipment_id": household.gateway.pk,
        "status": "running",
        "follow": f"/api/v1/equipment/{household.gateway.pk}/restarts/{action.pk}",
    }
    assert pressed.json()["taken"] == ["Restarted your gateway from here."]
    with at(NOON):
        assert app.get(waiting["restart"]["follow"]).status_code == 200

    with at(later(90)):
        asked = app.get(f"{RUNS}/{run_id}").json()["step"]
        assert (asked["kind"], asked["phase"]) == ("restart", "ask")
        assert asked["restart"] is None
        assert [a["answer"] for a in asked["answers"]] == ["yes", "no"]
        assert "Your gateway restarted and is back online." in asked["detail"]
        ended = answer(app, run_id, "restart", "no").json()

    visit = ended["step"]
    assert (visit["kind"], visit["ends"], visit["visit"]) == (
        "book_visit",
        True,
        "restart_did_not_help",
    )
    assert visit["link_label"] == "Choose a time for the visit"
    assert visit["booking"] == {
        "reason": "repair",
        "details": "My internet is down. Restarted your gateway from here. After the restart: "
        "still not working. A restart did not fix it.",
        "run_id": run_id,
    }
    assert ended["outcome"] == ""  # waits for the booking

    area = household.customer.account.service_address.service_area
    with at(later(120)):
        add_templates(area, weekdays=tuple(range(7)))
        open_windows(area_ids=[area.pk])
        windows = app.get("/api/v1/appointments/windows?reason=repair").json()["windows"]
        booked = app.post(
            "/api/v1/appointments",
            {
                "window_id": windows[0]["id"],
                "reason": visit["booking"]["reason"],
                "details": visit["booking"]["details"],
                "run_id": visit["booking"]["run_id"],
            },
            content_type="application/json",
        )
        assert booked.status_code == 201, booked.content
        after = app.get(f"{RUNS}/{run_id}").json()
    assert after["outcome"] == "visit"
    assert TroubleshootingRun.objects.get().appointment_id == booked.json()["id"]


def test_the_cable_checklist_is_ticked_and_the_run_ends_fixed(app, household):
    with at(NOON):
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        run = started(app)
        step = run["step"]
        assert (step["kind"], step["phase"]) == ("check_cables", "checklist")
        assert [item["code"] for item in step["checklist"]] == [
            "power",
            "wall_cable",
            "splitter",
            "power_cycle",
        ]
        assert step["checklist"][1]["label"] == (
            "The cable from the wall outlet is screwed in tight at both ends."
        )
        done = answer(app, run["id"], "check_cables", "yes", ticked=["splitter", "power"])
    body = done.json()
    assert body["outcome"] == "fixed"
    assert body["step"]["kind"] == "fixed"
    assert body["step"]["headline"] == "Glad it works again"
    assert body["taken"][0].startswith("Checked the power and cables (")
    stored = TroubleshootingRun.objects.get().steps[0]
    assert stored["result"]["ticked"] == ["power", "splitter"]


def test_an_item_the_checklist_does_not_show_is_400_and_writes_nothing(app, household):
    with at(NOON):
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        run_id = started(app)["id"]
        before = runs_as_stored()
        refused = answer(app, run_id, "check_cables", "yes", ticked=["tv_input"])
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "ticked"
    assert runs_as_stored() == before


def test_slow_internet_asks_for_a_speed_test_from_the_app_and_reads_its_result(app, household):
    with at(NOON):
        run_id = started(app, "internet_slow")["id"]
        step = app.get(f"{RUNS}/{run_id}").json()["step"]
    assert (step["kind"], step["phase"], step["run_speed_test"]) == ("speed_test", "run", True)
    assert [a["answer"] for a in step["answers"]] == ["done", "skip"]
    with at(later(60)):
        recorded = app.post(
            "/api/v1/speed-tests",
            {
                "latency_ms": 20,
                "download_kbps": 40_000,
                "upload_kbps": 10_000,
                "connection": "wifi",
            },
            content_type="application/json",
        )
        assert recorded.status_code == 201, recorded.content
        result = app.get(f"{RUNS}/{run_id}").json()["step"]  # it moved on by itself
    assert (result["kind"], result["phase"]) == ("speed_test", "result")
    assert result["speed_test"]["download_kbps"] == 40_000
    assert result["speed_test"]["on_wifi"] is True
    assert "You tested over Wi-Fi" in result["detail"]
    with at(later(90)):
        end = answer(app, run_id, "speed_test", "article").json()
    assert end["outcome"] == "article"
    assert end["step"]["article"] == {"slug": "wifi-tips", "title": "Tips for faster Wi-Fi"}


def test_an_outage_ends_the_run_with_it_to_watch(app, household):
    area = household.customer.account.service_address.service_area
    with at(NOON):
        outage = declare_outage(areas=[area], eta=NOON + dt.timedelta(hours=3))
        run = started(app)
    step = run["step"]
    assert step["kind"] == "outage"
    assert step["outage"] == {
        "outage_id": outage.pk,
        "maintenance": False,
        "eta": "2026-12-03T21:00:00Z",
        "watching": False,
        "may_watch": True,
    }
    assert run["outcome"] == "outage"
    with at(NOON):
        watched = app.post(f"/api/v1/outages/{outage.pk}/watch")
        assert watched.status_code == 200
        again = app.get(f"{RUNS}/{run['id']}").json()["step"]["outage"]
    assert again["watching"] is True
    assert OutageWatch.objects.filter(outage=outage).count() == 1


def test_a_suspended_account_is_sent_to_pay(app, household):
    suspend_services(account=household.customer.account, reason="Unpaid balance")
    with at(NOON):
        run = started(app)
    assert run["step"]["kind"] == "pay_bill"
    assert run["step"]["pay"] is True
    assert run["step"]["link_label"] == "Pay your bill"
    assert run["outcome"] == "pay_bill"


def test_an_answer_for_a_step_that_moved_on_is_409_and_writes_nothing(app, household):
    with at(NOON):
        run_id = started(app)["id"]
        before = runs_as_stored()
        wrong_step = answer(app, run_id, "check_cables", "yes")
        wrong_answer = answer(app, run_id, "restart", "done")
    assert wrong_step.status_code == 409
    assert wrong_step.json()["errors"] == [
        {"field": "answer", "reason": "That step has moved on. Here is where things stand now."}
    ]
    assert wrong_answer.status_code == 409
    assert runs_as_stored() == before
    assert not DeviceAction.objects.exists()


def test_pressing_restart_twice_restarts_once(app, household):
    with at(NOON):
        run_id = started(app)["id"]
        first = answer(app, run_id, "restart", "restart")
        second = answer(app, run_id, "restart", "restart")
    assert first.status_code == 200
    assert second.status_code == 409
    assert DeviceAction.objects.count() == 1
    assert len(TroubleshootingRun.objects.get().steps) == 1


def test_an_ended_run_takes_no_answer(app, household):
    suspend_services(account=household.customer.account, reason="Unpaid balance")
    with at(NOON):
        run_id = started(app)["id"]
        before = runs_as_stored()
        refused = answer(app, run_id, "restart", "restart")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "This troubleshooting has ended. Start again if you still need help."
    )
    assert runs_as_stored() == before


def test_a_run_a_day_old_is_left_unfinished(app, household):
    with at(NOON):
        run_id = started(app)["id"]
    with at(NOON + dt.timedelta(days=1, minutes=1)):
        tomorrow = Client()  # a session lasts 24 hours at most: signed in again
        tomorrow.force_login(household.customer.user)
        body = tomorrow.get(f"{RUNS}/{run_id}").json()
    assert body["step"] is None
    assert body["outcome"] == "abandoned"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"problem": "phone"}, "problem"),
        ({}, "problem"),
        ({"problem": 3}, "problem"),
    ],
)
def test_an_unknown_problem_is_refused_and_starts_nothing(app, household, body, field):
    refused = app.post(RUNS, body, content_type="application/json")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    assert not TroubleshootingRun.objects.exists()


def test_starts_are_limited_per_account_as_on_the_web(app, household):
    with at(NOON):
        for _ in range(running.STARTS_PER_ACCOUNT.count):
            assert start(app, "tv_no_picture").status_code == 201
        refused = start(app, "tv_no_picture")
        web = app.post("/support/troubleshoot/", {"problem": "tv_no_picture"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    assert "You have started several times in the last hour." in refused.json()["detail"]
    assert web.status_code == 429  # the web and the app share the account's starts
    assert TroubleshootingRun.objects.count() == running.STARTS_PER_ACCOUNT.count


def test_another_accounts_run_is_404_and_untouched(app, household):
    other = equipped_customer("neighbour", kinds=("gateway",))
    with at(NOON):
        theirs = running.start(
            account=other.customer.account, person=other.customer.user, problem="internet_down"
        )
        before = runs_as_stored()
        assert app.get(f"{RUNS}/{theirs.pk}").status_code == 404
        assert answer(app, theirs.pk, "restart", "restart").status_code == 404
        named = f"{RUNS}/{theirs.pk}?account={other.customer.account.number}"
        assert app.get(named).status_code == 404
        starting_theirs = app.post(
            f"{RUNS}?account={other.customer.account.number}",
            {"problem": "internet_down"},
            content_type="application/json",
        )
        assert starting_theirs.status_code == 404
    assert runs_as_stored() == before
    assert not DeviceAction.objects.exists()


def test_in_spanish_when_the_app_asks_for_it(app, household):
    with at(NOON):
        run = start(app, HTTP_ACCEPT_LANGUAGE="es").json()
    assert run["problem_label"] == "Mi internet no funciona"
    assert run["step"]["headline"] == "Reiniciar su puerta de enlace (gateway)"
    assert "Su cuenta está al día." in run["step"]["checks"]


def test_signed_out_callers_get_401(household):
    with at(NOON):
        mine = running.start(
            account=household.customer.account,
            person=household.customer.user,
            problem="internet_down",
        )
    visitor = Client()
    assert start(visitor).status_code == 401
    assert visitor.get(f"{RUNS}/{mine.pk}").status_code == 401
    assert answer(visitor, mine.pk, "restart", "restart").status_code == 401
    assert TroubleshootingRun.objects.count() == 1
    assert not DeviceAction.objects.exists()


def test_a_visit_booked_with_another_accounts_run_leaves_that_run_alone(app, household):
    other = equipped_customer("neighbour", kinds=("gateway",))
    area = household.customer.account.service_address.service_area
    with at(NOON):
        theirs = running.start(
            account=other.customer.account, person=other.customer.user, problem="internet_down"
        )
        before = runs_as_stored()
        add_templates(area, weekdays=tuple(range(7)))
        open_windows(area_ids=[area.pk])
        windows = app.get("/api/v1/appointments/windows?reason=repair").json()["windows"]
        booked = app.post(
            "/api/v1/appointments",
            {"window_id": windows[0]["id"], "reason": "repair", "run_id": theirs.pk},
            content_type="application/json",
        )
    assert booked.status_code == 201  # the visit is hers; their run is not touched
    assert runs_as_stored() == before
