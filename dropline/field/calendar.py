"""A visit as a calendar invitation (iCalendar, RFC 5545): one event whose UID stays for
the visit's whole life, with a higher SEQUENCE at every change, so a calendar that took
the first invitation moves or removes the same entry."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from dropline.core import clock
from dropline.field.models import Appointment, AppointmentStatus
from dropline.field.windows import provider_zone

PRODID = "-//Dropline//Technician visits//EN"
# iCalendar's own words (RFC 5545), not text for people.
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
STATUS_CONFIRMED = "CONFIRMED"
STATUS_CANCELED = "CANCELLED"


def visit_path(appointment: Appointment) -> str:
    """The visit's page in the portal: see, reschedule or cancel it."""
    return path_of_visit(appointment.pk)


def path_of_visit(appointment_id: int) -> str:
    """``visit_path`` for a visit known by its id alone (a bulk path's row)."""
    return f"/appointments/{appointment_id}/"


def visit_url(appointment: Appointment) -> str:
    return url_of(visit_path(appointment))


def url_of(path: str) -> str:
    """A portal page's address, for a message."""
    return settings.DROPLINE_PUBLIC_URL.rstrip("/") + path


def is_canceled(appointment: Appointment) -> bool:
    return appointment.status == AppointmentStatus.CANCELED


def method_for(appointment: Appointment) -> str:
    return METHOD_CANCEL if is_canceled(appointment) else METHOD_REQUEST


def ics_for(appointment: Appointment, *, language: str | None = None) -> bytes:
    """The visit's invitation: METHOD REQUEST, or CANCEL (STATUS CANCELLED) once canceled."""
    zone = provider_zone()
    window = appointment.window
    lang = language or appointment.account.preferred_language
    with translation.override(lang):
        summary = _("%(provider)s technician visit: %(reason)s") % {
            "provider": settings.DROPLINE_PROVIDER_NAME,
            "reason": appointment.get_reason_display(),
        }
        description = "\n".join(
            part
            for part in (
                _("Visit %(number)s: %(reason)s.")
                % {"number": appointment.number, "reason": appointment.get_reason_display()},
                _("The technician arrives between the start and the end of this window."),
                appointment.details,
                _("See, reschedule or cancel your visit: %(url)s")
                % {"url": visit_url(appointment)},
            )
            if part
        )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method_for(appointment))
    calendar.add_component(
        Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=window.starts_at.astimezone(zone).date(),
            last_date=window.ends_at.astimezone(zone).date(),
        )
    )
    event = Event()
    event.add("uid", appointment.ics_uid)
    event.add("sequence", appointment.ics_sequence)
    event.add("dtstamp", clock.now())
    event.add("dtstart", window.starts_at.astimezone(zone))
    event.add("dtend", window.ends_at.astimezone(zone))
    event.add("summary", summary)
    event.add("location", str(appointment.address))
    event.add("description", description)
    event.add("url", visit_url(appointment))
    event.add("status", STATUS_CANCELED if is_canceled(appointment) else STATUS_CONFIRMED)
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def ics_attachment(appointment: Appointment) -> dict[str, str]:
    """The invitation as an email attachment (``Message.attachments``)."""
    return {
        "filename": f"visit-{appointment.number}.ics",
        "content_type": f"text/calendar; method={method_for(appointment)}",
        "content": ics_for(appointment).decode(),
    }
