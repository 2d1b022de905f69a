"""A customer's dispute of one invoice line, its thread of messages and its attachments.

Imported at the end of ``payments/models.py`` so the tables belong to the payments app.
The credit a resolution gives is on the ledger (kind ``dispute_credit``, reference the
dispute number); ``credited_cents`` only says what was decided.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dropline.billing.models import Invoice, InvoiceLine
from dropline.customers.models import CustomerAccount


class DisputeReason(models.TextChoices):
    NOT_ORDERED = "not_ordered", _("Charged for something I didn't order")
    CHARGED_TWICE = "charged_twice", _("Charged twice")
    OUTAGE = "outage", _("Service not working or outage")
    WRONG_PRICE = "wrong_price", _("Price is not what I was told")
    EQUIPMENT_RETURNED = "equipment_returned", _("Equipment was returned")
    OTHER = "other", _("Other")


class DisputeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute status", "Open")
    IN_REVIEW = "in_review", _("In review")
    CREDITED = "credited", _("Resolved with a credit")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: The statuses in which the disputed amount is held out of autopay and late fees.
OPEN_STATUSES = (DisputeStatus.OPEN, DisputeStatus.IN_REVIEW)


class Dispute(models.Model):
    """One disputed invoice line; at most one open dispute per line."""

    number = models.CharField(_("dispute number"), max_length=16, unique=True)
    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="disputes")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="disputes")
    invoice_line = models.ForeignKey(InvoiceLine, on_delete=models.PROTECT, related_name="disputes")
    amount_cents = models.BigIntegerField(_("disputed amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    reason = models.CharField(_("reason"), max_length=24, choices=DisputeReason.choices)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    due_on = models.DateField(_("answer due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    credited_cents = models.BigIntegerField(_("credited (cents)"), default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice_line"],
                condition=models.Q(status__in=["open", "in_review"]),
                name="dispute_one_open_per_line",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="dispute_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(credited_cents__gte=0)
                & models.Q(credited_cents__lte=models.F("amount_cents")),
                name="dispute_credit_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="dispute_status_due"),
            models.Index(fields=["account", "status"], name="dispute_account_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DisputeMessage(models.Model):
    """A message in a dispute's thread; an internal note is never shown to the customer."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_staff = models.BooleanField(_("from staff"), default=False)
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Seen by staff only.")
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("dispute message")
        verbose_name_plural = _("dispute messages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(internal=False) | models.Q(from_staff=True),
                name="dispute_message_internal_from_staff",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dispute} message {self.pk}"


class DisputeAttachment(models.Model):
    """A file given with a message, kept outside the web root under a random key."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="attachments")
    message = models.ForeignKey(
        DisputeMessage, on_delete=models.PROTECT, related_name="attachments"
    )
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.BigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_key = models.CharField(_("storage key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("dispute attachment")
        verbose_name_plural = _("dispute attachments")

    def __str__(self) -> str:
        return self.original_name
