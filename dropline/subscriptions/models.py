from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.catalog.models import AddOn, Plan, Promotion
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Pending installation")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Canceled")


class Subscription(models.Model):
    """One service on an account: its plan, its contracted price, any promotion."""

    account = models.ForeignKey(
        CustomerAccount, on_delete=models.PROTECT, related_name="subscriptions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.ACTIVE,
    )
    monthly_price_cents = models.BigIntegerField(
        _("regular monthly price (cents)"),
        help_text=_("The plan's price when ordered; the customer keeps it until they change."),
    )
    currency = models.CharField(max_length=3, default="USD")
    promotion = models.ForeignKey(
        Promotion, null=True, blank=True, on_delete=models.PROTECT, related_name="subscriptions"
    )
    promotion_ends_on = models.DateField(_("promotional price until"), null=True, blank=True)
    phone_number = models.CharField(_("mobile number"), max_length=20, blank=True)
    # The RADIUS User-Name the access network reports this internet service's usage
    # under; a plan change carries it to the new subscription.
    radius_username = models.CharField(_("RADIUS username"), max_length=253, blank=True)
    label = models.CharField(_("label"), max_length=60, blank=True)
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["account", "plan__kind", "started_on", "id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(fields=["account", "status"], name="subscription_account_status"),
            models.Index(
                fields=["radius_username"],
                name="subscription_radius_username",
                condition=~models.Q(radius_username=""),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["radius_username"],
                condition=~models.Q(radius_username="") & models.Q(ended_on__isnull=True),
                name="subscription_radius_username_once",
                violation_error_message=_("Another current service has this RADIUS username."),
            ),
            models.CheckConstraint(
                condition=models.Q(promotion__isnull=True)
                | models.Q(promotion_ends_on__isnull=False),
                name="subscription_promotion_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} on {self.account.number}"

    def promotion_active(self, today: dt.date) -> bool:
        return self.promotion is not None and (
            self.promotion_ends_on is not None and today <= self.promotion_ends_on
        )

    def regular_price(self) -> Money:
        return Money(self.monthly_price_cents, self.currency)

    def price_on(self, today: dt.date) -> Money:
        """The monthly price charged on ``today``: the promotional one while it lasts."""
        if self.promotion is not None and self.promotion_active(today):
            return Money(self.promotion.monthly_price_cents, self.currency)
        return self.regular_price()


class SubscriptionAddOn(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="add_ons")
    add_on = models.ForeignKey(AddOn, on_delete=models.PROTECT, related_name="+")
    monthly_price_cents = models.BigIntegerField(_("monthly price (cents)"))
    currency = models.CharField(max_length=3, default="USD")
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscribed add-on")
        verbose_name_plural = _("subscribed add-ons")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "add_on"], name="add_on_once")
        ]

    def __str__(self) -> str:
        return str(self.add_on)

    @property
    def monthly_price(self) -> Money:
        return Money(self.monthly_price_cents, self.currency)


class SubscriptionPrice(models.Model):
    """The contracted regular price of a subscription from a date on (until the next one).

    A subscription's first row is its price when ordered; a price change the provider
    applies adds a row. ``Subscription.monthly_price_cents`` is the price today.
    """

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="price_history"
    )
    effective_on = models.DateField(_("from"))
    monthly_price_cents = models.BigIntegerField(_("regular monthly price (cents)"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["subscription", "effective_on"]
        verbose_name = _("subscription price")
        verbose_name_plural = _("subscription prices")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "effective_on"], name="subscription_price_once_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_price_cents__gte=0),
                name="subscription_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} from {self.effective_on}: {self.monthly_price_cents}"
