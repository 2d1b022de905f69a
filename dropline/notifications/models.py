from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.customers.models import CustomerAccount, ServiceArea
from dropline.notifications.categories import Category, Channel


class ContactKind(models.TextChoices):
    EMAIL = "email", _("Email address")
    PHONE = "phone", _("Mobile number")


class ContactStatus(models.TextChoices):
    OK = "ok", _("Working")
    UNDELIVERABLE = "undeliverable", _("We could not reach this address")


class ContactPoint(models.Model):
    """An email address or mobile number (E.164) a person can be reached at."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_points"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ContactKind.choices)
    address = models.CharField(_("address"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    status = models.CharField(
        _("delivery"), max_length=16, choices=ContactStatus.choices, default=ContactStatus.OK
    )
    failure_reason = models.CharField(max_length=200, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-is_primary", "address"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "address"], name="contact_once"),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(is_primary=True),
                name="contact_one_primary_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class ContactVerification(models.Model):
    """A one-time code sent to a contact point to prove the person receives it."""

    contact = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["contact", "created_at"], name="contact_verif_recent")]

    def __str__(self) -> str:
        return f"code for contact {self.contact_id}"


class Preference(models.Model):
    """A person's choice for one category on one channel; absent means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    category = models.CharField(max_length=16, choices=Category.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    enabled = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category", "channel"], name="preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.category}/{self.channel}: {'on' if self.enabled else 'off'}"


class QuietHours(models.Model):
    """Local hours in which no SMS is sent (security alerts excepted)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours"
    )
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    time_zone = models.CharField(_("time zone"), max_length=64)

    def __str__(self) -> str:
        return f"{self.starts:%H:%M}-{self.ends:%H:%M} {self.time_zone}"


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One notification to one person on one channel: the durable outbox.

    ``idempotency_key`` is unique, so asking twice for the same event about the
    same object never makes a second message, whichever process asks.
    """

    idempotency_key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    account = models.ForeignKey(
        CustomerAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    event = models.CharField(_("event"), max_length=64)
    subject_key = models.CharField(_("about"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to_address = models.CharField(_("to"), max_length=254, blank=True)
    language = models.CharField(max_length=8)
    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Files an email carries (a visit's calendar invitation): each
    # {"filename": ..., "content_type": ..., "content": text}; empty for other channels.
    attachments = models.JSONField(default=list, blank=True)
    link = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(_("send after"))
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["status", "not_before"], name="message_due"),
            models.Index(fields=["user", "channel", "read_at"], name="message_inbox"),
            models.Index(fields=["event", "subject_key", "account"], name="message_about"),
            # The SMS simulator's inbox finds the message behind each text it holds.
            models.Index(
                fields=["provider_reference"],
                name="message_provider_reference",
                condition=~models.Q(provider_reference=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.to_address or self.user_id} ({self.channel})"


class DeliveryAttempt(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField()
    succeeded = models.BooleanField()
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"


class PushSubscription(models.Model):
    """A browser (or app) where a person turned push notifications on: its push
    service's endpoint and the keys its messages are encrypted to (RFC 8291).

    An endpoint belongs to one browser profile, so it is unique: when someone else
    turns notifications on in the same browser, the subscription becomes theirs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    # The browser's P-256 public key (65 bytes) and auth secret (16 bytes), base64url.
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    # What the person sees: "Chrome on Android" (``accounts.devices``), from the
    # User-Agent of the request that turned notifications on.
    browser = models.CharField(max_length=40, blank=True)
    os = models.CharField(max_length=40, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("push notification device")
        verbose_name_plural = _("push notification devices")

    def __str__(self) -> str:
        return f"push to {self.browser or '?'} on {self.os or '?'} for {self.user_id}"


class PushDelivery(models.Model):
    """What one push message did at one of its person's devices: taken by the push
    service, or refused for good. A retry of the message skips the devices listed
    here, so a device that took it is never sent it twice."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="push_deliveries")
    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    delivered = models.BooleanField()
    at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "subscription"], name="push_delivery_once")
        ]

    def __str__(self) -> str:
        return f"message {self.message_id} at device {self.subscription_id}"


class SimulatedSms(models.Model):
    """The SMS simulator's outbox: what a real provider would have delivered."""

    to = models.CharField(max_length=20, db_index=True)
    body = models.TextField()
    segments = models.PositiveSmallIntegerField()
    encoding = models.CharField(max_length=8)
    reference = models.CharField(max_length=40, unique=True)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("simulated text message")
        verbose_name_plural = _("simulated text messages")

    def __str__(self) -> str:
        return f"to {self.to}: {self.body[:40]}"


class AnnouncementKind(models.TextChoices):
    OUTAGE = "outage", _("Outage")
    MAINTENANCE = "maintenance", _("Planned maintenance")


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RESOLVED = "resolved", _("Resolved")


class Announcement(models.Model):
    """An outage or maintenance notice to every account in some service areas."""

    kind = models.CharField(_("kind"), max_length=16, choices=AnnouncementKind.choices)
    areas = models.ManyToManyField(ServiceArea, verbose_name=_("service areas"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    title_en = models.CharField(_("title (English)"), max_length=120)
    title_es = models.CharField(_("title (Spanish)"), max_length=120)
    body_en = models.TextField(_("notice (English)"))
    body_es = models.TextField(_("notice (Spanish)"))
    resolution_en = models.TextField(_("resolved notice (English)"), blank=True)
    resolution_es = models.TextField(_("resolved notice (Spanish)"), blank=True)
    status = models.CharField(
        max_length=16, choices=AnnouncementStatus.choices, default=AnnouncementStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    accounts_total = models.PositiveIntegerField(default=0)
    accounts_done = models.PositiveIntegerField(default=0)
    resolution_total = models.PositiveIntegerField(default=0)
    resolution_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title_en

    def title(self, language: str) -> str:
        return self.title_es if language == "es" else self.title_en

    def body(self, language: str) -> str:
        return self.body_es if language == "es" else self.body_en


class FanOutChunk(models.Model):
    """One chunk of an announcement's fan-out, done. Its unique key makes a re-run
    of the same chunk (a retried task) count nothing twice."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=16)
    after_account_id = models.BigIntegerField()
    accounts = models.PositiveIntegerField()
    done_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "phase", "after_account_id"], name="fan_out_chunk_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} {self.phase} after {self.after_account_id}"
