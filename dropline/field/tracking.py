"""Track your technician: a visit's status as the page's live poll and the API show it."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from dropline.field.describe import eta_label, window_label
from dropline.field.models import Appointment, AppointmentStatus

S = AppointmentStatus
FLOW = [S.SCHEDULED, S.ON_THE_WAY, S.ARRIVED, S.COMPLETED]


def _status_label(appointment: Appointment) -> str:
    status = appointment.status
    technician = appointment.technician.name.split()[0] if appointment.technician else ""
    if status == S.SCHEDULED:
        return _("Your visit is booked.")
    if status == S.ON_THE_WAY:
        if technician:
            return _("%(name)s is on the way.") % {"name": technician}
        return _("Your technician is on the way.")
    if status == S.ARRIVED:
        return _("Your technician has arrived.")
    if status == S.COMPLETED:
        return _("The visit is done.")
    if status == S.MISSED:
        return _("We missed each other. Book another visit when it suits you.")
    return _("This visit is canceled.")


def tracking(appointment: Appointment, *, language: str) -> dict[str, Any]:
    """The visit's status, expected arrival, technician and steps, in ``language``."""
    status = appointment.status
    reached = FLOW.index(S(status)) if status in FLOW else -1
    eta = appointment.eta if status == S.ON_THE_WAY else None
    with translation.override(language):
        return {
            "status": status,
            "status_label": _status_label(appointment),
            "eta": eta.isoformat() if eta else None,
            "eta_label": eta_label(eta),
            "technician": (
                appointment.technician.name.split()[0] if appointment.technician else ""
            ),
            "window_label": window_label(appointment.window),
            "updated_at": appointment.updated_at.isoformat(),
            "steps": [
                {"status": step.value, "label": str(step.label), "done": index <= reached}
                for index, step in enumerate(FLOW)
            ],
        }
