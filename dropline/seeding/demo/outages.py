"""Demo outages: last month's outage in the demo household's area, with the updates
staff posted and the household asked to be told (so its messages are real), a planned
maintenance there next week, and an outage going on now in another area, which the
public status page shows.

Everything is made by the real writes, the past under ``clock.frozen``. Each is found
again by its English title, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import AccountMember, ServiceArea
from dropline.network.models import Outage, OutageKind, OutageStatus
from dropline.network.outages import declaring, watching
from dropline.notifications import inbox
from dropline.notifications.delivery import deliver, due_message_ids
from dropline.seeding.demo import year

HOUSEHOLD_AREA = "riverbend-north"
OTHER_AREA = "cedar-falls"
PAST_TITLE = "Internet outage in Riverbend North"
MAINTENANCE_TITLE = "Network upgrade in Riverbend North"
OTHER_TITLE = "Internet and TV outage in Cedar Falls"


def _deliver_at(moment: dt.datetime) -> None:
    """The delivery sweep a minute after a step, as the workers would."""
    with clock.frozen(moment + dt.timedelta(minutes=1)):
        for message_id in due_message_ids():
            deliver(message_id)


def _read_that_evening(outage: Outage, evening: dt.datetime) -> None:
    """The household reads the outage's messages that evening."""
    with clock.frozen(evening):
        for member in AccountMember.objects.filter(account__members__user__username="demo"):
            unread = inbox.inbox_for(user=member.user).filter(
                subject_key__startswith=f"outage:{outage.pk}:", read_at__isnull=True
            )
            for message_id in unread.values_list("pk", flat=True):
                inbox.mark_read(user=member.user, message_id=message_id)


def _past_outage(area: ServiceArea, staff: User | None) -> int:
    if Outage.objects.filter(title_en=PAST_TITLE).exists():
        return 0
    start = year.moment(clock.today() - dt.timedelta(days=30), 14, 5)
    with clock.frozen(start + dt.timedelta(minutes=5)):
        outage = declaring.declare(
            kind=OutageKind.OUTAGE,
            areas=[area],
            service_kinds=["internet"],
            title_en=PAST_TITLE,
            title_es="Corte de internet en Riverbend North",
            starts_at=start,
            eta=None,
            message_en="Some customers have no internet. We are looking into it.",
            message_es="Algunos clientes no tienen internet. Lo estamos revisando.",
            notify=False,
            created_by=staff,
        )
    membership = AccountMember.objects.filter(user__username="demo").select_related("user")
    holder = membership.first()
    if holder is not None:
        with clock.frozen(start + dt.timedelta(minutes=20)):
            watching.watch(account=holder.account, user=holder.user, outage_id=outage.pk)
    with clock.frozen(start + dt.timedelta(minutes=45)):
        declaring.post_update(
            outage=outage,
            status=OutageStatus.IDENTIFIED,
            eta=start + dt.timedelta(hours=4),
            cause_en="Roadworks on Main Street cut a fibre cable.",
            cause_es="Unas obras en Main Street cortaron un cable de fibra.",
            message_en="A crew is on its way.",
            message_es="Un equipo técnico va en camino.",
            notify=True,
            posted_by=staff,
        )
    _deliver_at(start + dt.timedelta(minutes=45))
    with clock.frozen(start + dt.timedelta(hours=2, minutes=30)):
        declaring.post_update(
            outage=outage,
            status=OutageStatus.IN_PROGRESS,
            eta=start + dt.timedelta(hours=3, minutes=30),
            message_en="The crew is splicing the cable: sooner than we said.",
            message_es="El equipo está empalmando el cable: antes de lo previsto.",
            notify=True,
            posted_by=staff,
        )
    _deliver_at(start + dt.timedelta(hours=2, minutes=30))
    with clock.frozen(start + dt.timedelta(hours=3, minutes=10)):
        declaring.resolve(
            outage=outage,
            message_en="Service is back. If yours is not, restart your modem.",
            message_es="El servicio volvió. Si el suyo no, reinicie su módem.",
            resolved_by=staff,
        )
    _deliver_at(start + dt.timedelta(hours=3, minutes=10))
    _read_that_evening(outage, start + dt.timedelta(hours=6))
    return 1


def _maintenance(area: ServiceArea, staff: User | None) -> int:
    if Outage.objects.filter(title_en=MAINTENANCE_TITLE).exists():
        return 0
    start = year.moment(clock.today() + dt.timedelta(days=7), 1)
    declaring.declare(
        kind=OutageKind.MAINTENANCE,
        areas=[area],
        title_en=MAINTENANCE_TITLE,
        title_es="Mejora de la red en Riverbend North",
        cause_en="We are replacing the equipment that serves your street with faster gear.",
        cause_es="Cambiamos los equipos que dan servicio a su calle por otros más rápidos.",
        starts_at=start,
        eta=start + dt.timedelta(hours=4),
        notify=False,
        created_by=staff,
    )
    return 1


def _elsewhere(area: ServiceArea, staff: User | None) -> int:
    if Outage.objects.filter(title_en=OTHER_TITLE).exists():
        return 0
    now = clock.now()
    declaring.declare(
        kind=OutageKind.OUTAGE,
        areas=[area],
        service_kinds=["internet", "tv"],
        title_en=OTHER_TITLE,
        title_es="Corte de internet y TV en Cedar Falls",
        cause_en="A power cut at the Cedar Falls hub.",
        cause_es="Un corte de luz en la central de Cedar Falls.",
        starts_at=now - dt.timedelta(minutes=50),
        eta=now + dt.timedelta(hours=2),
        notify=False,
        created_by=staff,
    )
    return 1


def load() -> int:
    household = ServiceArea.objects.get(code=HOUSEHOLD_AREA)
    other = ServiceArea.objects.get(code=OTHER_AREA)
    staff = (
        User.objects.filter(username="dispatch").first()
        or User.objects.filter(username="admin").first()
    )
    made = _past_outage(household, staff) + _maintenance(household, staff)
    return made + _elsewhere(other, staff)
