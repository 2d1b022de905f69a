"""The troubleshooter's facts and steps for the flow's tests: a household's devices as
the connection check sees them, and steps taken as a run records them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dropline.helpdesk.troubleshooting.steps import Situation, Step, Taken
from dropline.network.diagnosis.facts import (
    DeviceFacts,
    DeviceStatus,
    Facts,
    OutageFacts,
    SpeedTestFacts,
)
from tests.support.diagnosis import NOW

STARTED = NOW - dt.timedelta(minutes=10)
GATEWAY, ROUTER, RECEIVER = 1, 2, 3


def device(
    equipment_id: int = GATEWAY,
    kind: str = "gateway",
    status: DeviceStatus = DeviceStatus.ONLINE,
    **extra: Any,
) -> DeviceFacts:
    return DeviceFacts(
        equipment_id=equipment_id, kind=kind, name=kind.title(), status=status, **extra
    )


def receiver(status: DeviceStatus = DeviceStatus.ONLINE, **extra: Any) -> DeviceFacts:
    return device(RECEIVER, "receiver", status, **extra)


def outage(
    outage_id: int = 7, *, internet: bool = True, maintenance: bool = False, **extra: Any
) -> OutageFacts:
    fields: dict[str, Any] = {
        "title": "Fiber cut",
        "starts_at": NOW - dt.timedelta(hours=1),
        "eta": NOW + dt.timedelta(hours=2),
        **extra,
    }
    return OutageFacts(
        outage_id=outage_id, maintenance=maintenance, affects_internet=internet, **fields
    )


def speed_test(
    download_mbps: int, *, plan: int | None = 300, wifi: bool = False, ran_at: dt.datetime = NOW
) -> SpeedTestFacts:
    return SpeedTestFacts(
        ran_at=ran_at,
        download_kbps=download_mbps * 1000,
        upload_kbps=20_000,
        plan_download_mbps=plan,
        on_wifi=wifi,
    )


def facts(*devices: DeviceFacts, **extra: Any) -> Facts:
    fields: dict[str, Any] = {"account_status": "active", **extra}
    found = devices if devices else (device(), receiver())
    return Facts(now=NOW, devices=tuple(found), **fields)


def situation(found: Facts | None = None, *, tv_outages: frozenset[int] = frozenset()) -> Situation:
    return Situation(facts=found or facts(), started_at=STARTED, tv_outage_ids=tv_outages)


def taken(step: Step, answer: str = "", *, at: dt.datetime = NOW, **extra: Any) -> Taken:
    """``step`` answered with ``answer``, recorded as a run records it."""
    result: dict[str, Any] = {}
    if step.equipment_id is not None:
        result |= {"equipment_id": step.equipment_id, "device_kind": step.device_kind}
    if step.speed_test is not None:
        result["on_wifi"] = step.speed_test.on_wifi
    if step.visit is not None:
        result["visit"] = step.visit.value
    if step.article:
        result["article"] = step.article
    if step.note:
        result["note"] = step.note.value
    return Taken(
        step=step.kind.value, phase=step.phase.value, answer=answer, at=at, result=result | extra
    )


def an_appointment(account: Any, *, number: str = "V-TEST-1") -> Any:
    """A repair visit on ``account`` in a window tomorrow, as a booking leaves it (made
    directly: the troubleshooter only links it)."""
    from dropline.core import clock
    from dropline.field.models import Appointment, VisitWindow

    now = clock.now()
    area = account.service_address.service_area
    starts = now + dt.timedelta(days=1)
    window, _made = VisitWindow.objects.get_or_create(
        area=area,
        starts_at=starts,
        defaults={
            "date": starts.date(),
            "ends_at": starts + dt.timedelta(hours=2),
            "capacity": 2,
            "booked": 1,
        },
    )
    return Appointment.objects.create(
        number=number,
        account=account,
        address=account.service_address,
        window=window,
        reason="repair",
        details="From the troubleshooter",
        ics_uid=f"{number}@test",
        created_at=now,
        updated_at=now,
    )


# --- the cross-account sweep ------------------------------------------------------------


def sweep_ids(customer: Any) -> dict[str, list[Any]]:
    """A troubleshooting run of the customer's, under way: its page and its answers take
    its id as ``pk``, which other pages take too (passkeys): the run's id is kept clear
    of every authenticator's, so that another person's passkey page never answers to it
    by chance. The API takes it as ``run_id``."""
    from allauth.mfa.models import Authenticator

    from dropline.helpdesk.troubleshooting import running

    while True:
        run = running.start(account=customer.account, person=customer.user, problem="tv_no_picture")
        if not Authenticator.objects.filter(pk=run.pk).exists():
            return {"pk": [run.pk], "run_id": [run.pk]}


def sweep_rows(account: Any) -> dict[str, list[dict[str, Any]]]:
    """The account's troubleshooting runs, as a request could change them."""
    from dropline.helpdesk.models import TroubleshootingRun

    runs = TroubleshootingRun.objects.filter(account=account).order_by("pk")
    return {"troubleshooting_runs": [dict(row) for row in runs.values()]}
