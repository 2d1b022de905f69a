"""A customer's change to a service: a new plan, an add-on added or removed.

The change itself is written to the subscription's dated history (``subscriptions
.pricing``) when the order is placed, so rating bills it from its date; the order
records what was asked, the money the customer saw, and whether it is still pending
(it can be cancelled until its date), completed or cancelled.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.catalog.models import AddOn, Plan
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.network.models import Equipment
from dropline.subscriptions.models import Subscription, SubscriptionAddOn


class OrderKind(models.TextChoices):
    PLAN_CHANGE = "plan_change", _("Plan change")
    ADD_ON_ADD = "add_on_add", _("Add-on added")
    ADD_ON_REMOVE = "add_on_remove", _("Add-on removed")


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Canceled")


class Order(models.Model):
    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="orders")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="orders", verbose_name=_("service")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OrderKind.choices)
    from_plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    add_on = models.ForeignKey(
        AddOn, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("takes effect on"))
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    monthly_before_cents = models.BigIntegerField(_("monthly price before (cents)"))
    monthly_after_cents = models.BigIntegerField(_("monthly price after (cents)"))
    currency = models.CharField(max_length=3, default="USD")
    equipment_note = models.TextField(_("equipment"), blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"))
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("canceled"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    new_subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the order wrote besides the subscription, so that cancelling undoes it all:
    # the add-on row it added or ended, the device it ordered, the device it replaces.
    subscription_add_on = models.ForeignKey(
        SubscriptionAddOn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_equipment = models.ForeignKey(
        Equipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_equipment = models.ForeignKey(
        Equipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["account", "-placed_at"], name="order_account_placed")]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription"],
                condition=models.Q(status="pending"),
                name="order_one_pending_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} on {self.effective_on}"

    @property
    def monthly_before(self) -> Money:
        return Money(self.monthly_before_cents, self.currency)

    @property
    def monthly_after(self) -> Money:
        return Money(self.monthly_after_cents, self.currency)
