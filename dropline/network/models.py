from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.catalog.models import EquipmentModel
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount, ServiceArea
from dropline.notifications.models import Announcement
from dropline.subscriptions.models import Subscription


class EquipmentStatus(models.TextChoices):
    ACTIVE = "active", _("In service")
    SHIPPED = "shipped", _("On its way")
    RETURNED = "returned", _("Returned")


class Equipment(models.Model):
    """A device at a customer's premises: a modem, router, receiver or phone."""

    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="equipment")
    model = models.ForeignKey(EquipmentModel, on_delete=models.PROTECT, related_name="devices")
    subscription = models.ForeignKey(
        Subscription,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equipment",
        verbose_name=_("used by service"),
    )
    serial_number = models.CharField(_("serial number"), max_length=40, unique=True)
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True)
    # The device-management server's id for it (GenieACS: "<OUI>-<ProductClass>-<Serial>");
    # empty for a device it does not manage.
    device_id = models.CharField(_("device-management id"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EquipmentStatus.choices, default=EquipmentStatus.ACTIVE
    )
    is_rental = models.BooleanField(_("rented"), default=True)
    monthly_rental_cents = models.BigIntegerField(_("monthly rental (cents)"), default=0)
    currency = models.CharField(max_length=3, default="USD")
    installed_on = models.DateField(_("installed"), null=True, blank=True)
    returned_on = models.DateField(_("returned"), null=True, blank=True)

    class Meta:
        ordering = ["account", "model__kind", "id"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        indexes = [
            models.Index(fields=["account", "status"], name="equipment_account_status"),
            models.Index(fields=["device_id"], name="equipment_device_id"),
        ]
        permissions = [("manage_devices", "Can restart devices and change their Wi-Fi")]

    def __str__(self) -> str:
        return f"{self.model} {self.serial_number}"

    @property
    def monthly_rental(self) -> Money:
        return Money(self.monthly_rental_cents if self.is_rental else 0, self.currency)


class DeviceActionKind(models.TextChoices):
    RESTART = "restart", _("Restart")
    FACTORY_RESET = "factory_reset", _("Factory reset")
    WIFI_CHANGE = "wifi_change", _("Wi-Fi change")
    REFRESH = "refresh", _("Status refresh")


class DeviceActionStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the device")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DeviceAction(models.Model):
    """Something asked of a device through device management: a restart, a Wi-Fi change.
    One row per request, by a customer or by staff; restarts per hour are counted here."""

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=16, choices=DeviceActionKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeviceActionStatus.choices,
        default=DeviceActionStatus.QUEUED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_staff = models.BooleanField(_("by staff"), default=False)
    requested_at = models.DateTimeField(_("requested"))
    # When the device should be back (a restart) or the change applied.
    expected_at = models.DateTimeField(_("expected"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    task_id = models.CharField(_("device-management task"), max_length=64, blank=True)
    fault = models.CharField(_("fault"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("device action")
        verbose_name_plural = _("device actions")
        indexes = [
            models.Index(fields=["equipment", "kind", "requested_at"], name="device_action_recent")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.equipment_id} {self.status}"


class SimulatedDevice(models.Model):
    """A device behind the device-management simulator: its TR-069 parameters, whether it
    is connected, when it booted and last contacted the server, tasks waiting for it."""

    device_id = models.CharField(max_length=120, unique=True)
    oui = models.CharField(max_length=6)
    product_class = models.CharField(max_length=60)
    serial_number = models.CharField(max_length=40)
    # False: unplugged or cut off; it makes no contact until it is True again.
    connected = models.BooleanField(default=True)
    booted_at = models.DateTimeField()
    last_inform_at = models.DateTimeField(null=True, blank=True)
    rebooting_until = models.DateTimeField(null=True, blank=True)
    # A fault every task gets while set (e.g. "9002 Internal error"): for tests and demos.
    fault = models.CharField(max_length=120, blank=True)
    parameters = models.JSONField(default=dict)
    pending_tasks = models.JSONField(default=list)
    faults = models.JSONField(default=list)

    class Meta:
        verbose_name = _("simulated device")
        verbose_name_plural = _("simulated devices")

    def __str__(self) -> str:
        return self.device_id


class OutageKind(models.TextChoices):
    OUTAGE = "outage", _("Outage")
    MAINTENANCE = "maintenance", _("Planned maintenance")


class OutageStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    INVESTIGATING = "investigating", _("Investigating")
    IDENTIFIED = "identified", _("Cause found, fixing")
    IN_PROGRESS = "in_progress", _("Work in progress")
    RESOLVED = "resolved", _("Resolved")
    CANCELLED = "cancelled", _("Canceled")


class Outage(models.Model):
    """An outage or a planned maintenance in some service areas, with its cause, start,
    expected end (ETA) and resolution. Notices go out through a notifications
    ``Announcement``; people who asked to be told when it is fixed are ``OutageWatch``es."""

    kind = models.CharField(_("kind"), max_length=16, choices=OutageKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=OutageStatus.choices)
    areas = models.ManyToManyField(ServiceArea, related_name="outages", verbose_name=_("areas"))
    # Plan kinds affected (catalog's PlanKind values); empty: every service.
    service_kinds = models.JSONField(_("services affected"), default=list, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=120)
    title_es = models.CharField(_("title (Spanish)"), max_length=120)
    cause_en = models.TextField(_("cause (English)"), blank=True)
    cause_es = models.TextField(_("cause (Spanish)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    eta = models.DateTimeField(_("expected end"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    announcement = models.OneToOneField(
        Announcement, null=True, blank=True, on_delete=models.SET_NULL, related_name="outage"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        indexes = [models.Index(fields=["status", "starts_at"], name="outage_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(eta__isnull=True) | models.Q(eta__gt=models.F("starts_at")),
                name="outage_eta_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title_en

    def title(self, language: str) -> str:
        return self.title_es if language == "es" and self.title_es else self.title_en

    def cause(self, language: str) -> str:
        return self.cause_es if language == "es" and self.cause_es else self.cause_en


class OutageUpdate(models.Model):
    """One step of an outage's story: declared, a new ETA, a note, resolved."""

    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="updates")
    posted_at = models.DateTimeField(_("posted"))
    status = models.CharField(_("status"), max_length=16, choices=OutageStatus.choices)
    eta = models.DateTimeField(_("expected end"), null=True, blank=True)
    message_en = models.TextField(_("message (English)"), blank=True)
    message_es = models.TextField(_("message (Spanish)"), blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified = models.BooleanField(_("customers notified"), default=False)

    class Meta:
        ordering = ["outage", "posted_at", "id"]
        verbose_name = _("outage update")
        verbose_name_plural = _("outage updates")

    def __str__(self) -> str:
        return f"{self.outage_id} {self.status} {self.posted_at:%Y-%m-%d %H:%M}"

    def message(self, language: str) -> str:
        return self.message_es if language == "es" and self.message_es else self.message_en


class OutageWatch(models.Model):
    """A person who asked to be told when an outage is fixed."""

    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outage watch")
        verbose_name_plural = _("outage watches")
        constraints = [models.UniqueConstraint(fields=["outage", "user"], name="outage_watch_once")]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.outage_id}"


class ConnectionKind(models.TextChoices):
    WIFI = "wifi", _("Wi-Fi")
    WIRED = "wired", _("Wired")
    UNKNOWN = "unknown", _("Not sure")


class SpeedTest(models.Model):
    """One speed test run from the customer's browser (or an app) against the portal's
    own endpoints, with the plan's speeds at the time for comparison."""

    account = models.ForeignKey(
        CustomerAccount, on_delete=models.CASCADE, related_name="speed_tests"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ran_at = models.DateTimeField(_("ran"))
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))
    jitter_ms = models.PositiveIntegerField(_("jitter (ms)"), default=0)
    download_kbps = models.PositiveIntegerField(_("download (kbps)"))
    upload_kbps = models.PositiveIntegerField(_("upload (kbps)"))
    streams = models.PositiveSmallIntegerField(_("parallel streams"), default=1)
    connection = models.CharField(
        _("connection"),
        max_length=8,
        choices=ConnectionKind.choices,
        default=ConnectionKind.UNKNOWN,
    )
    plan_download_mbps = models.PositiveIntegerField(_("plan download (Mbps)"), null=True)
    plan_upload_mbps = models.PositiveIntegerField(_("plan upload (Mbps)"), null=True)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("speed test")
        verbose_name_plural = _("speed tests")
        indexes = [models.Index(fields=["account", "ran_at"], name="speed_test_account_ran")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.ran_at:%Y-%m-%d %H:%M}"
