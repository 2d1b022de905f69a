"""Staff writes: declare an outage or a planned maintenance, post an update (status,
expected end, a note), resolve it, or cancel a maintenance.

Each is one transaction with its audit event (``outage.declared``, ``.updated``,
``.resolved``, ``.canceled``) and the staff request; the outage row is locked, so two
people moving the same outage on at once do it one after the other. What customers
are told, and how, is ``notices``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.catalog.models import ServiceKind
from dropline.core import audit, clock
from dropline.customers.models import ServiceArea
from dropline.network.models import Outage, OutageKind, OutageStatus, OutageUpdate, OutageWatch
from dropline.network.outages import notices
from dropline.network.outages.errors import OutageError
from dropline.network.outages.queries import OPEN
from dropline.notifications import announcements
from dropline.notifications.models import AnnouncementKind, AnnouncementStatus

# The statuses an update may set; resolving and cancelling have their own writes.
UPDATE_STATUSES = (OutageStatus.INVESTIGATING, OutageStatus.IDENTIFIED, OutageStatus.IN_PROGRESS)


def _aware(value: dt.datetime | None, field: str) -> None:
    if value is not None and timezone.is_naive(value):
        raise OutageError(_("The time needs a time zone."), field=field)


def _both_or_neither(english: str, spanish: str, field: str) -> None:
    if bool(english.strip()) != bool(spanish.strip()):
        refusal = (
            _("Write the cause in both languages.")
            if field == "cause_en"
            else _("Write the message in both languages.")
        )
        raise OutageError(refusal, field=field)


def _check_declaration(
    *,
    kind: str,
    areas: Sequence[ServiceArea],
    service_kinds: Sequence[str],
    title_en: str,
    title_es: str,
    cause_en: str,
    cause_es: str,
    starts_at: dt.datetime,
    eta: dt.datetime | None,
) -> None:
    if kind not in OutageKind.values:
        raise OutageError(_("Choose an outage or a planned maintenance."), field="kind")
    if not areas:
        raise OutageError(_("Choose at least one service area."), field="areas")
    unknown = [k for k in service_kinds if k not in ServiceKind.values]
    if unknown:
        raise OutageError(
            _("Unknown service: %(kinds)s.") % {"kinds": ", ".join(unknown)}, field="service_kinds"
        )
    if not title_en.strip() or not title_es.strip():
        raise OutageError(_("Give the title in both languages."), field="title_en")
    _both_or_neither(cause_en, cause_es, "cause_en")
    _aware(starts_at, "starts_at")
    _aware(eta, "eta")
    if eta is not None and eta <= starts_at:
        raise OutageError(_("The expected end must be after the start."), field="eta")
    if kind == OutageKind.MAINTENANCE and eta is None:
        raise OutageError(_("A maintenance needs the end of its window."), field="eta")
    if kind == OutageKind.OUTAGE and starts_at > clock.now():
        raise OutageError(
            _("An outage starts now or earlier; plan work ahead as a maintenance."),
            field="starts_at",
        )


def declare(
    *,
    kind: str,
    areas: Iterable[ServiceArea],
    service_kinds: Sequence[str] = (),
    title_en: str,
    title_es: str,
    cause_en: str = "",
    cause_es: str = "",
    starts_at: dt.datetime,
    eta: dt.datetime | None,
    message_en: str = "",
    message_es: str = "",
    notify: bool,
    created_by: User | None,
    request: HttpRequest | None = None,
) -> Outage:
    """Declare an outage (under way now) or a maintenance (a window, maybe ahead) in
    ``areas``; with ``notify``, every account there is told through an announcement."""
    areas = list(areas)
    _check_declaration(
        kind=kind,
        areas=areas,
        service_kinds=service_kinds,
        title_en=title_en,
        title_es=title_es,
        cause_en=cause_en,
        cause_es=cause_es,
        starts_at=starts_at,
        eta=eta,
    )
    _both_or_neither(message_en, message_es, "message_en")
    now = clock.now()
    if kind == OutageKind.MAINTENANCE:
        status = OutageStatus.SCHEDULED
    else:
        status = OutageStatus.IDENTIFIED if cause_en.strip() else OutageStatus.INVESTIGATING
    with transaction.atomic():
        outage = Outage.objects.create(
            kind=kind,
            status=status,
            service_kinds=sorted(set(service_kinds)),
            title_en=title_en.strip(),
            title_es=title_es.strip(),
            cause_en=cause_en.strip(),
            cause_es=cause_es.strip(),
            starts_at=starts_at,
            eta=eta,
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
        outage.areas.set(areas)
        OutageUpdate.objects.create(
            outage=outage,
            posted_at=now,
            status=status,
            eta=eta,
            message_en=message_en.strip(),
            message_es=message_es.strip(),
            posted_by=created_by,
            notified=notify,
        )
        if notify:
            _announce(outage, areas, message_en.strip(), message_es.strip(), created_by, request)
        audit.record(
            action="outage.declared",
            request=request,
            actor=created_by,
            target=outage,
            data={"kind": kind, "areas": [a.code for a in areas], "notify": notify},
        )
    return outage


def _announce(
    outage: Outage,
    areas: list[ServiceArea],
    message_en: str,
    message_es: str,
    created_by: User | None,
    request: HttpRequest | None,
) -> None:
    body_en, body_es = notices.announcement_bodies(
        outage=outage, message_en=message_en, message_es=message_es
    )
    announcement = announcements.create_announcement(
        kind=AnnouncementKind.MAINTENANCE
        if outage.kind == OutageKind.MAINTENANCE
        else AnnouncementKind.OUTAGE,
        areas=areas,
        starts_at=outage.starts_at,
        ends_at=notices.announcement_ends_at(starts_at=outage.starts_at, eta=outage.eta),
        title_en=outage.title_en,
        title_es=outage.title_es,
        body_en=body_en,
        body_es=body_es,
        created_by=created_by,
        request=request,
    )
    outage.announcement = announcement
    outage.save(update_fields=["announcement"])
    announcements.start_sending(announcement=announcement, request=request)


def _locked_open(outage: Outage) -> Outage:
    locked = (
        Outage.objects.select_for_update(of=("self",))
        .select_related("announcement")
        .get(pk=outage.pk)
    )
    if locked.status not in OPEN:
        raise OutageError(_("This is over already: it cannot change."), field="status")
    return locked


def post_update(
    *,
    outage: Outage,
    status: str,
    eta: dt.datetime | None,
    message_en: str = "",
    message_es: str = "",
    cause_en: str = "",
    cause_es: str = "",
    notify: bool,
    posted_by: User | None,
    request: HttpRequest | None = None,
) -> OutageUpdate:
    """A step of the outage: a new status, a new expected end (``None`` keeps it), the
    cause once found (empty keeps it), a note; with ``notify``, its watchers are told."""
    if status not in UPDATE_STATUSES and status != OutageStatus.SCHEDULED:
        raise OutageError(
            _("Choose a status that is not over; resolve it instead."), field="status"
        )
    _aware(eta, "eta")
    _both_or_neither(message_en, message_es, "message_en")
    _both_or_neither(cause_en, cause_es, "cause_en")
    with transaction.atomic():
        locked = _locked_open(outage)
        if status == OutageStatus.SCHEDULED and locked.kind != OutageKind.MAINTENANCE:
            raise OutageError(_("Only a maintenance is scheduled."), field="status")
        if status != OutageStatus.SCHEDULED and locked.starts_at > clock.now():
            raise OutageError(
                _("This maintenance has not begun: it stays scheduled."), field="status"
            )
        if eta is not None and eta <= locked.starts_at:
            raise OutageError(_("The expected end must be after the start."), field="eta")
        if eta is not None and eta <= clock.now():
            raise OutageError(_("The expected end must be later than now."), field="eta")
        new_eta = eta if eta is not None else locked.eta
        new_cause = cause_en.strip() and cause_en.strip() != locked.cause_en
        if (
            status == locked.status
            and new_eta == locked.eta
            and not message_en.strip()
            and not new_cause
        ):
            raise OutageError(
                _("Nothing to post: change the status or the expected end, or write a message."),
                field="message_en",
            )
        now = clock.now()
        eta_changed = new_eta != locked.eta
        locked.status, locked.eta, locked.updated_at = status, new_eta, now
        if new_cause:
            locked.cause_en, locked.cause_es = cause_en.strip(), cause_es.strip()
        locked.save(update_fields=["status", "eta", "updated_at", "cause_en", "cause_es"])
        update = OutageUpdate.objects.create(
            outage=locked,
            posted_at=now,
            status=status,
            eta=new_eta,
            message_en=message_en.strip(),
            message_es=message_es.strip(),
            posted_by=posted_by,
            notified=notify,
        )
        announcement = locked.announcement
        if (
            eta_changed
            and new_eta is not None
            and announcement is not None
            and announcement.status != AnnouncementStatus.RESOLVED
        ):
            announcements.reschedule(announcement=announcement, ends_at=new_eta, request=request)
        if notify:
            notices.tell_watchers(outage=locked, update=update, event=notices.UPDATE_EVENT)
        audit.record(
            action="outage.updated",
            request=request,
            actor=posted_by,
            target=locked,
            data={
                "status": status,
                "eta": new_eta.isoformat() if new_eta else None,
                "notify": notify,
            },
        )
    return update


def resolve(
    *,
    outage: Outage,
    message_en: str = "",
    message_es: str = "",
    resolved_by: User | None,
    request: HttpRequest | None = None,
) -> Outage:
    """It is fixed (or the maintenance is done): everyone the announcement told hears it
    is over, and so does every watcher it did not reach."""
    return _end(
        outage=outage,
        status=OutageStatus.RESOLVED,
        message_en=message_en,
        message_es=message_es,
        user=resolved_by,
        request=request,
    )


def cancel(
    *,
    outage: Outage,
    message_en: str = "",
    message_es: str = "",
    cancelled_by: User | None,
    request: HttpRequest | None = None,
) -> Outage:
    """A maintenance that will not happen: the same people are told it is off."""
    return _end(
        outage=outage,
        status=OutageStatus.CANCELLED,
        message_en=message_en,
        message_es=message_es,
        user=cancelled_by,
        request=request,
    )


def _end(
    *,
    outage: Outage,
    status: str,
    message_en: str,
    message_es: str,
    user: User | None,
    request: HttpRequest | None,
) -> Outage:
    _both_or_neither(message_en, message_es, "message_en")
    cancelled = status == OutageStatus.CANCELLED
    with transaction.atomic():
        locked = _locked_open(outage)
        now = clock.now()
        if cancelled and (
            locked.kind != OutageKind.MAINTENANCE or locked.status != OutageStatus.SCHEDULED
        ):
            raise OutageError(
                _("Only a maintenance that has not begun can be canceled."), field="status"
            )
        if not cancelled and locked.starts_at > now:
            raise OutageError(
                _("This maintenance has not begun: cancel it instead."), field="status"
            )
        locked.status, locked.updated_at = status, now
        locked.resolved_at = None if cancelled else now
        locked.save(update_fields=["status", "updated_at", "resolved_at"])
        update = OutageUpdate.objects.create(
            outage=locked,
            posted_at=now,
            status=status,
            eta=locked.eta,
            message_en=message_en.strip(),
            message_es=message_es.strip(),
            posted_by=user,
            notified=True,
        )
        _end_announcement(locked, cancelled=cancelled, request=request)
        notices.tell_watchers(
            outage=locked,
            update=update,
            event=notices.CANCELLED_EVENT if cancelled else notices.RESOLVED_EVENT,
            skip_told=True,
        )
        OutageWatch.objects.filter(outage=locked, notified_at__isnull=True).update(notified_at=now)
        audit.record(
            action="outage.canceled" if cancelled else "outage.resolved",
            request=request,
            actor=user,
            target=locked,
            data={"watchers": locked.watches.count()},
        )
    return locked


def _end_announcement(outage: Outage, *, cancelled: bool, request: HttpRequest | None) -> None:
    announcement = outage.announcement
    if announcement is None or announcement.status == AnnouncementStatus.RESOLVED:
        return
    if announcement.status != AnnouncementStatus.SENT:
        raise OutageError(
            _("The first notice is still going out to the area; try again in a minute."),
            field="status",
        )
    resolution_en, resolution_es = notices.resolution_texts(outage, cancelled=cancelled)
    announcements.resolve(
        announcement=announcement,
        resolution_en=resolution_en,
        resolution_es=resolution_es,
        request=request,
    )
