"""Saved payment methods, payments sent to the gateway, refunds, scheduled payments
and the gateway's event log.

No card or bank number is ever stored: a method is the gateway's token with its brand,
last four digits, expiry and holder's name. A ``Payment`` row exists only for a payment
that was sent to the gateway (a request refused before that leaves nothing); its
``idempotency_key`` is unique per account, so a repeated request finds the first one.
Money moves on the ledger, never here: these rows say what happened at the gateway.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.customers.models import CustomerAccount


class GatewayCustomer(models.Model):
    """The account's customer at a gateway, made on first use."""

    account = models.ForeignKey(
        CustomerAccount, on_delete=models.PROTECT, related_name="gateway_customers"
    )
    gateway = models.CharField(_("gateway"), max_length=16)
    reference = models.CharField(_("reference"), max_length=64)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("gateway customer")
        verbose_name_plural = _("gateway customers")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "gateway"], name="gateway_customer_one_per_account"
            ),
            models.UniqueConstraint(
                fields=["gateway", "reference"], name="gateway_customer_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.reference}"


class MethodKind(models.TextChoices):
    CARD = "card", _("Card")
    BANK_ACCOUNT = "bank_account", _("Bank account")


class PaymentMethod(models.Model):
    """A card or bank account saved at the gateway; removed ones stay for their payments."""

    account = models.ForeignKey(
        CustomerAccount, on_delete=models.PROTECT, related_name="payment_methods"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MethodKind.choices)
    gateway = models.CharField(_("gateway"), max_length=16)
    token = models.CharField(_("gateway token"), max_length=128)
    brand = models.CharField(_("brand"), max_length=32)
    last4 = models.CharField(_("last four digits"), max_length=4)
    exp_month = models.PositiveSmallIntegerField(_("expiry month"), null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(_("expiry year"), null=True, blank=True)
    holder_name = models.CharField(_("name on the method"), max_length=120)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(_("added"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    expiry_warned_on = models.DateField(
        _("expiry warning sent"),
        null=True,
        blank=True,
        help_text=_("The day the customer was told the card expires soon."),
    )

    class Meta:
        ordering = ["-is_default", "-created_at", "-id"]
        verbose_name = _("payment method")
        verbose_name_plural = _("payment methods")
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "token"], name="payment_method_token_unique"
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(is_default=True, removed_at__isnull=True),
                name="payment_method_one_default",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="bank_account")
                | models.Q(exp_month__gte=1, exp_month__lte=12, exp_year__isnull=False),
                name="payment_method_card_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["exp_year", "exp_month"], name="payment_method_expiry")]

    def __str__(self) -> str:
        return f"{self.brand} ••••{self.last4}"


class PaymentStatus(models.TextChoices):
    SENDING = "sending", _("Sending")  # recorded; the gateway's answer is awaited or unknown
    PROCESSING = "processing", _("Processing")  # accepted; the outcome comes later
    SUCCEEDED = "succeeded", _("Paid")
    FAILED = "failed", _("Failed")
    RETURNED = "returned", _("Returned")  # taken back after it succeeded (bank return, chargeback)
    REFUNDED = "refunded", _("Refunded")  # refunded in full


class PaymentSource(models.TextChoices):
    PORTAL = "portal", _("Online")
    API = "api", _("App")
    AUTOPAY = "autopay", _("Autopay")
    SCHEDULED = "scheduled", _("Scheduled")
    STAFF = "staff", _("Customer care")


class Payment(models.Model):
    """One payment sent to the gateway."""

    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="payments")
    method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    status = models.CharField(
        _("status"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.SENDING
    )
    source = models.CharField(_("made through"), max_length=12, choices=PaymentSource.choices)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80)
    confirmation_number = models.CharField(_("confirmation number"), max_length=16, unique=True)
    gateway = models.CharField(_("gateway"), max_length=16)
    gateway_reference = models.CharField(_("gateway reference"), max_length=128, blank=True)
    failure_code = models.CharField(_("failure code"), max_length=40, blank=True)
    failure_message = models.CharField(_("failure message"), max_length=255, blank=True)
    refunded_cents = models.BigIntegerField(_("refunded (cents)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made"))
    decided_at = models.DateTimeField(_("outcome known"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    last_event_at = models.DateTimeField(
        _("latest gateway event"),
        null=True,
        blank=True,
        help_text=_("An event older than this never moves the payment back."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "idempotency_key"], name="payment_idempotency_key_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_cents__gte=0)
                & models.Q(refunded_cents__lte=models.F("amount_cents")),
                name="payment_refunded_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "created_at"], name="payment_account_created"),
            models.Index(fields=["status", "created_at"], name="payment_status_created"),
            models.Index(fields=["gateway", "gateway_reference"], name="payment_gateway_ref"),
        ]

    def __str__(self) -> str:
        return self.confirmation_number


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    """Money given back on a payment, in full or in part, by staff with a reason."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    reason = models.CharField(_("reason"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    gateway_reference = models.CharField(_("gateway reference"), max_length=128, blank=True)
    failure_code = models.CharField(_("failure code"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made"))
    decided_at = models.DateTimeField(_("outcome known"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="refund_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.payment} refund {self.amount_cents}"


class ScheduledPaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")  # its payment was made on the day (see ``payment``)
    CANCELLED = "cancelled", _("Canceled")
    SKIPPED = "skipped", _("Not needed")  # nothing was owed any more on the day


class ScheduledPayment(models.Model):
    """A payment the customer asked for on a later day (up to the due date)."""

    account = models.ForeignKey(
        CustomerAccount, on_delete=models.PROTECT, related_name="scheduled_payments"
    )
    method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    pay_on = models.DateField(_("pay on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ScheduledPaymentStatus.choices,
        default=ScheduledPaymentStatus.SCHEDULED,
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=80)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="scheduled"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made"))
    cancelled_at = models.DateTimeField(_("canceled"), null=True, blank=True)

    class Meta:
        ordering = ["pay_on", "id"]
        verbose_name = _("scheduled payment")
        verbose_name_plural = _("scheduled payments")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "idempotency_key"], name="scheduled_payment_key_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="scheduled_payment_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["status", "pay_on"], name="scheduled_payment_due")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_cents} on {self.pay_on}"


class GatewayEvent(models.Model):
    """A verified webhook as received: unique per gateway and event id, so a replay is
    recognised and changes nothing."""

    gateway = models.CharField(_("gateway"), max_length=16)
    event_id = models.CharField(_("event id"), max_length=128)
    kind = models.CharField(_("kind"), max_length=32)
    occurred_at = models.DateTimeField(_("occurred"))
    received_at = models.DateTimeField(_("received"))
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=200,
        blank=True,
        help_text=_("What Dropline did with it: applied, older than the payment's state, ..."),
    )
    payload = models.JSONField(_("payload"), default=dict)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("gateway event")
        verbose_name_plural = _("gateway events")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="gateway_event_unique")
        ]
        indexes = [models.Index(fields=["received_at"], name="gateway_event_received")]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.event_id} {self.kind}"


# The simulator gateway's own records: what a real gateway keeps on its side. Dropline's
# rows above never read these; only ``gateways/simulator.py`` does.


class SimulatedMethod(models.Model):
    """A card or bank account the simulator tokenised: its behaviour and the details a
    gateway shows, never the full number."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    customer = models.CharField(_("gateway customer"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=MethodKind.choices)
    brand = models.CharField(_("brand"), max_length=32)
    last4 = models.CharField(_("last four digits"), max_length=4)
    exp_month = models.PositiveSmallIntegerField(_("expiry month"), null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(_("expiry year"), null=True, blank=True)
    holder_name = models.CharField(_("name on the method"), max_length=120)
    behaviour = models.CharField(_("behavior"), max_length=32)
    created_at = models.DateTimeField(_("created"))
    detached_at = models.DateTimeField(_("detached"), null=True, blank=True)

    class Meta:
        verbose_name = _("simulated method")
        verbose_name_plural = _("simulated methods")

    def __str__(self) -> str:
        return self.token


class SimulatedCharge(models.Model):
    """A charge as the simulator answered it, keyed by the caller's idempotency key."""

    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    customer = models.CharField(_("gateway customer"), max_length=64)
    method_token = models.CharField(_("method token"), max_length=64)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=12)
    failure_code = models.CharField(_("failure code"), max_length=40, blank=True)
    answered = models.BooleanField(
        _("answered"),
        default=True,
        help_text=_("False while a timed-out charge has not been asked about again."),
    )
    refunded_cents = models.BigIntegerField(_("refunded (cents)"), default=0)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("simulated charge")
        verbose_name_plural = _("simulated charges")

    def __str__(self) -> str:
        return self.reference


class SimulatedRefund(models.Model):
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    charge = models.ForeignKey(SimulatedCharge, on_delete=models.CASCADE, related_name="refunds")
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    status = models.CharField(_("status"), max_length=12)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("simulated refund")
        verbose_name_plural = _("simulated refunds")

    def __str__(self) -> str:
        return self.reference


class SimulatedEvent(models.Model):
    """A late outcome the simulator will send as a signed webhook when it falls due."""

    event_id = models.CharField(_("event id"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32)
    charge = models.ForeignKey(
        SimulatedCharge, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )
    refund = models.ForeignKey(
        SimulatedRefund, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )
    failure_code = models.CharField(_("failure code"), max_length=40, blank=True)
    due_at = models.DateTimeField(_("due"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("simulated event")
        verbose_name_plural = _("simulated events")
        indexes = [models.Index(fields=["delivered_at", "due_at"], name="simulated_event_due")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind}"
