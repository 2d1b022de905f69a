"""Usage: accounting sessions, the raw records they produce, roll-ups and alerts.

Counters arrive cumulative (a session's octets since it started, as RADIUS sends
them); ``UsageSession`` keeps the last counters counted for each session, so a
repeated or older packet adds nothing and a newer one adds only its difference.
Each counted packet leaves a ``UsageRecord`` (raw, kept for
``DROPLINE_USAGE_RAW_RETENTION_DAYS``; a table partitioned by month on PostgreSQL, so
retention drops whole partitions) and adds its bytes to the hour, the day and the
bill cycle of its subscription (``UsageHour``, ``UsageDay``, ``UsageCycle``).
Bytes are integers; a GB is 10**9 bytes, as providers count.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.subscriptions.models import Subscription

GB = 10**9


class Source(models.TextChoices):
    RLM_REST = "rlm_rest", _("FreeRADIUS (rest module)")
    RADACCT = "radacct", _("FreeRADIUS (radacct table)")
    CSV = "csv", _("Usage file")
    DEMO = "demo", _("Demo")


class Collector(models.Model):
    """A system that posts accounting to Dropline (a FreeRADIUS server), signing in with
    HTTP basic credentials. The password is a random token shown once; only its
    SHA-256 is kept (a slow password hash would cost every accounting request)."""

    name = models.SlugField(_("name"), max_length=60, unique=True)
    password_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_record_at = models.DateTimeField(_("last record"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("collector")
        verbose_name_plural = _("collectors")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SessionStatus(models.TextChoices):
    START = "start", _("Start")
    INTERIM = "interim", _("Interim update")
    STOP = "stop", _("Stop")


class UsageSession(models.Model):
    """The last counters counted for one accounting session (or one usage record of a
    file, which is a session of one reading)."""

    # Indexes: every counted packet updates its session's row, so only columns that
    # never change once written are indexed (updates stay "HOT": no index entries).
    key = models.CharField(_("session"), max_length=255)
    username = models.CharField(_("username"), max_length=253)
    subscription = models.ForeignKey(
        Subscription,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="usage_sessions",
        db_index=False,  # led by usage_session_sub
    )
    nas = models.CharField(_("access server"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    started_at = models.DateTimeField(_("started"))
    updated_at = models.DateTimeField(_("last counted"))
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    session_time = models.BigIntegerField(_("session time (s)"), default=0)
    input_octets = models.BigIntegerField(_("input octets"), default=0)
    output_octets = models.BigIntegerField(_("output octets"), default=0)
    counted_bytes = models.BigIntegerField(_("bytes counted"), default=0)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("usage session")
        verbose_name_plural = _("usage sessions")
        permissions = [
            ("map_usernames", "Can set RADIUS usernames and assign the usage kept aside"),
        ]
        constraints = [models.UniqueConstraint(fields=["key"], name="usage_session_key_once")]
        indexes = [
            models.Index(fields=["subscription", "-started_at"], name="usage_session_sub"),
            models.Index(fields=["username"], name="usage_session_username"),
        ]

    def __str__(self) -> str:
        return self.key


class UsageRecord(models.Model):
    """One reading as it was counted: the cumulative counters received and the bytes
    they added (0 for a repeat or an older packet). ``subscription`` is empty for a
    username nobody has yet: those records are kept aside until one is mapped.

    On PostgreSQL the table is partitioned by month of ``occurred_at`` (its primary key
    is ``(id, occurred_at)``); no foreign keys point in or out, so partitions can be
    attached and dropped freely."""

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("occurred"))
    received_at = models.DateTimeField(_("received"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    collector = models.ForeignKey(
        Collector,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    session_key = models.CharField(_("session"), max_length=255)
    username = models.CharField(_("username"), max_length=253)
    subscription = models.ForeignKey(
        Subscription,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=SessionStatus.choices)
    input_octets = models.BigIntegerField(_("input octets"))
    output_octets = models.BigIntegerField(_("output octets"))
    input_delta = models.BigIntegerField(_("input bytes counted"))
    output_delta = models.BigIntegerField(_("output bytes counted"))

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")
        indexes = [
            models.Index(fields=["session_key", "occurred_at"], name="usage_record_session"),
            models.Index(fields=["subscription", "occurred_at"], name="usage_record_sub"),
            models.Index(
                fields=["username", "occurred_at"],
                name="usage_record_unknown",
                condition=models.Q(subscription__isnull=True),
            ),
            models.Index(fields=["received_at"], name="usage_record_received"),
        ]

    def __str__(self) -> str:
        return f"{self.session_key} at {self.occurred_at:%Y-%m-%d %H:%M}"


class UsageHour(models.Model):
    """Bytes of one subscription in one hour (``hour`` is the hour's first instant)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="+", db_index=False
    )  # led by the unique constraint
    hour = models.DateTimeField(_("hour"))
    input_bytes = models.BigIntegerField(default=0)
    output_bytes = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["subscription", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "hour"], name="usage_hour_once")
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.hour:%Y-%m-%d %H}:00"


class UsageDay(models.Model):
    """Bytes of one subscription on one day in the provider's time zone."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="+", db_index=False
    )  # led by the unique constraint
    day = models.DateField(_("day"))
    input_bytes = models.BigIntegerField(default=0)
    output_bytes = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["subscription", "day"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "day"], name="usage_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.day}"


class UsageCycle(models.Model):
    """Bytes of one subscription in one bill cycle of its account: what the meter, the
    alerts and the bill read. ``credited_bytes`` are goodwill credits from staff;
    ``billable_bytes`` is what counts against the allowance."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="+", db_index=False
    )  # led by the unique constraint
    cycle_start = models.DateField(_("cycle start"))
    cycle_end = models.DateField(_("cycle end"))
    input_bytes = models.BigIntegerField(default=0)
    output_bytes = models.BigIntegerField(default=0)
    credited_bytes = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["subscription", "cycle_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "cycle_start"], name="usage_cycle_once"
            ),
            models.CheckConstraint(
                condition=models.Q(credited_bytes__gte=0), name="usage_cycle_credit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} from {self.cycle_start}"

    @property
    def used_bytes(self) -> int:
        return self.input_bytes + self.output_bytes

    @property
    def billable_bytes(self) -> int:
        return max(0, self.used_bytes - self.credited_bytes)


class UsageAdjustment(models.Model):
    """A goodwill credit of data from staff, with its reason: it lowers the cycle's
    billable bytes (never the bytes counted)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="+")
    cycle_start = models.DateField(_("cycle start"))
    credited_bytes = models.BigIntegerField(_("bytes credited"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("usage credit")
        verbose_name_plural = _("usage credits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credited_bytes__gt=0), name="usage_adjustment_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.credited_bytes} bytes"


class AlertKind(models.TextChoices):
    PERCENT_75 = "75", _("75% of the allowance")
    PERCENT_90 = "90", _("90% of the allowance")
    PERCENT_100 = "100", _("The whole allowance")
    BLOCK = "block", _("Another block of extra data")
    PROJECTED = "projected", _("Projected to go over")


class UsageAlert(models.Model):
    """An alert told once per subscription, cycle and kind (and block, past 100%)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="+")
    cycle_start = models.DateField(_("cycle start"))
    kind = models.CharField(_("alert"), max_length=16, choices=AlertKind.choices)
    block = models.PositiveIntegerField(_("block"), default=0)
    used_bytes = models.BigIntegerField(_("bytes used when told"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "cycle_start", "kind", "block"], name="usage_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.kind} {self.cycle_start}"


class ReaderCheckpoint(models.Model):
    """How far a reader of an outside table (FreeRADIUS's radacct) has read: rows
    updated at or after ``updated_through`` (less a safety overlap) are read again."""

    name = models.CharField(_("reader"), max_length=100, unique=True)
    updated_through = models.DateTimeField(_("read through"), null=True, blank=True)
    rows_read = models.BigIntegerField(_("rows read"), default=0)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused")


class UsageImport(models.Model):
    """A usage file given to ``dropline usage import`` or uploaded in the back-office:
    imported whole, or refused whole with its lines' errors."""

    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    counted_bytes = models.BigIntegerField(_("bytes counted"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("usage import")
        verbose_name_plural = _("usage imports")

    def __str__(self) -> str:
        return self.file_name


class Rejection(models.Model):
    """A packet or line that could not be counted, kept for the ingest status page."""

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    collector = models.ForeignKey(
        Collector, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received"))
    reason = models.CharField(_("reason"), max_length=300)
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["-received_at"], name="usage_rejection_recent")]

    def __str__(self) -> str:
        return self.reason
