"""Technician visits: who works where, how many visits each arrival window takes, and the
appointments customers book in them.

Capacity comes from ``CapacityTemplate`` rows (per service area, weekday and arrival window)
changed by ``CapacityException`` rows (a holiday closes a day, a storm lowers a window).
``VisitWindow`` is one arrival window on one day in one area, with its capacity and how many
visits are booked in it: a booking locks the window's row, so the last place goes to exactly
one of many simultaneous bookings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dropline.customers.models import CustomerAccount, ServiceAddress, ServiceArea


class VisitReason(models.TextChoices):
    REPAIR = "repair", _("Repair")
    INSTALLATION = "installation", _("Installation")
    EQUIPMENT_SWAP = "equipment_swap", _("Equipment swap")


class Weekday(models.IntegerChoices):
    # Names on their own (a column, a list), so capitalised in Spanish; a date in a sentence
    # takes Django's own names ("lunes").
    MONDAY = 0, pgettext_lazy("weekday name", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday name", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday name", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday name", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday name", "Friday")
    SATURDAY = 5, pgettext_lazy("weekday name", "Saturday")
    SUNDAY = 6, pgettext_lazy("weekday name", "Sunday")


class Technician(models.Model):
    """A person who visits customers: the areas they cover and the days they work."""

    name = models.CharField(_("name"), max_length=120)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="technician",
        verbose_name=_("staff sign-in"),
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    areas = models.ManyToManyField(ServiceArea, related_name="technicians", verbose_name=_("areas"))
    # Weekdays worked, as digits 0 (Monday) to 6 (Sunday): "01234" is Monday to Friday.
    workdays = models.CharField(_("working days"), max_length=7, default="01234")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("technician")
        verbose_name_plural = _("technicians")

    def __str__(self) -> str:
        return self.name

    def works_on(self, weekday: int) -> bool:
        return str(weekday) in self.workdays


class CapacityTemplate(models.Model):
    """How many visits an area takes in one arrival window on one weekday, every week."""

    area = models.ForeignKey(
        ServiceArea, on_delete=models.CASCADE, related_name="capacity_templates"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("window starts"))
    ends_at = models.TimeField(_("window ends"))
    capacity = models.PositiveSmallIntegerField(_("visits"))

    class Meta:
        ordering = ["area", "weekday", "starts_at"]
        verbose_name = _("capacity template")
        verbose_name_plural = _("capacity templates")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "weekday", "starts_at"], name="capacity_template_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="capacity_template_window_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.get_weekday_display()} {self.starts_at:%H:%M}"


class CapacityException(models.Model):
    """A change to the templates on one day: a holiday (capacity 0, all day) or a storm
    (fewer visits in some windows). ``starts_at`` empty means every window of the day."""

    area = models.ForeignKey(
        ServiceArea, on_delete=models.CASCADE, related_name="capacity_exceptions"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("window starts"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("visits"), default=0)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["date", "area", "starts_at"]
        verbose_name = _("capacity exception")
        verbose_name_plural = _("capacity exceptions")

    def __str__(self) -> str:
        return f"{self.area} {self.date}: {self.reason}"


class VisitWindow(models.Model):
    """One arrival window on one day in one area: what may be booked and what is."""

    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="visit_windows")
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("arrival from"))
    ends_at = models.DateTimeField(_("arrival by"))
    capacity = models.PositiveSmallIntegerField(_("visits"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        ordering = ["starts_at", "area"]
        verbose_name = _("visit window")
        verbose_name_plural = _("visit windows")
        constraints = [
            models.UniqueConstraint(fields=["area", "starts_at"], name="visit_window_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="visit_window_order",
            ),
        ]
        indexes = [models.Index(fields=["area", "date"], name="visit_window_area_date")]

    def __str__(self) -> str:
        return f"{self.area} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def open_places(self) -> int:
        return max(self.capacity - self.booked, 0)


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ON_THE_WAY = "on_the_way", _("On the way")
    ARRIVED = "arrived", _("Arrived")
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    CANCELED = "canceled", _("Canceled")


OPEN_APPOINTMENT_STATUSES = (
    AppointmentStatus.SCHEDULED,
    AppointmentStatus.ON_THE_WAY,
    AppointmentStatus.ARRIVED,
)


class Appointment(models.Model):
    """A technician visit booked at a service address in one arrival window."""

    number = models.CharField(_("appointment number"), max_length=20, unique=True)
    account = models.ForeignKey(
        CustomerAccount, on_delete=models.PROTECT, related_name="appointments"
    )
    address = models.ForeignKey(
        ServiceAddress,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("service address"),
    )
    window = models.ForeignKey(
        VisitWindow, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("window")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=VisitReason.choices)
    # What the customer (or the connection check, or a ticket) says the visit is for.
    details = models.TextField(_("details"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.SCHEDULED,
    )
    technician = models.ForeignKey(
        Technician,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
        verbose_name=_("technician"),
    )
    eta = models.DateTimeField(_("expected arrival"), null=True, blank=True)
    # The calendar invitation's identity: the same UID for the visit's whole life, a
    # higher SEQUENCE for every change (reschedule, cancellation).
    ics_uid = models.CharField(max_length=80, unique=True)
    ics_sequence = models.PositiveIntegerField(default=0)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("booked"))
    updated_at = models.DateTimeField(_("updated"))
    canceled_at = models.DateTimeField(_("canceled"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-window__starts_at", "-id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["account", "status"], name="appointment_account_status"),
            models.Index(fields=["status", "window"], name="appointment_status_window"),
        ]
        permissions = [
            ("dispatch_appointment", "Can assign visits and change their status"),
            ("work_own_visits", "Mark the steps of one's own visits"),
        ]

    def __str__(self) -> str:
        return self.number


class AppointmentEventKind(models.TextChoices):
    BOOKED = "booked", _("Booked")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    CANCELED = "canceled", _("Canceled")
    ASSIGNED = "assigned", _("Technician assigned")
    ON_THE_WAY = "on_the_way", _("On the way")
    ARRIVED = "arrived", _("Arrived")
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    REMINDED = "reminded", _("Reminder sent")


class AppointmentEvent(models.Model):
    """One step in a visit's life, shown on its page and to dispatch."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=AppointmentEventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kind-specific facts: the old and new window, the ETA, the reminder's name.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")

    def __str__(self) -> str:
        return f"{self.appointment} {self.kind}"
