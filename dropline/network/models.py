from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.catalog.models import EquipmentModel
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
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
        indexes = [models.Index(fields=["account", "status"], name="equipment_account_status")]

    def __str__(self) -> str:
        return f"{self.model} {self.serial_number}"

    @property
    def monthly_rental(self) -> Money:
        return Money(self.monthly_rental_cents if self.is_rental else 0, self.currency)
