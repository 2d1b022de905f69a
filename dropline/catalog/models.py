from __future__ import annotations

import secrets
import string

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.core.money import Money


class ServiceKind(models.TextChoices):
    INTERNET = "internet", _("Internet")
    TV = "tv", _("TV")
    MOBILE = "mobile", _("Mobile")


class Genre(models.TextChoices):
    LOCAL = "local", _("Local")
    NEWS = "news", _("News")
    SPORTS = "sports", _("Sports")
    ENTERTAINMENT = "entertainment", _("Entertainment")
    MOVIES = "movies", _("Movies")
    DOCUMENTARY = "documentary", _("Documentary")
    LIFESTYLE = "lifestyle", _("Lifestyle")
    KIDS = "kids", _("Kids")
    MUSIC = "music", _("Music")
    SPANISH = "spanish", _("Spanish language")
    PREMIUM = "premium", _("Premium")


class Channel(models.Model):
    """A TV channel as it appears in the guide."""

    number = models.PositiveSmallIntegerField(_("channel number"), unique=True)
    call_sign = models.CharField(_("call sign"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    genre = models.CharField(_("genre"), max_length=40, choices=Genre.choices)
    is_hd = models.BooleanField(_("HD"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return f"{self.number} {self.call_sign}"


class Plan(models.Model):
    """A service a customer subscribes to: an internet tier, a TV package, a mobile plan."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    monthly_price_cents = models.BigIntegerField(_("monthly price (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    # Internet
    download_mbps = models.PositiveIntegerField(_("download speed (Mbps)"), null=True, blank=True)
    upload_mbps = models.PositiveIntegerField(_("upload speed (Mbps)"), null=True, blank=True)
    data_allowance_gb = models.PositiveIntegerField(
        _("monthly data allowance (GB)"),
        null=True,
        blank=True,
        help_text=_("Empty means unlimited."),
    )
    # Mobile "by the gig": the monthly price is the line fee, data is charged per GB.
    price_per_gb = models.DecimalField(
        _("price per GB"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    # TV
    channels = models.ManyToManyField(
        Channel, verbose_name=_("channel line-up"), blank=True, related_name="plans"
    )
    # Where the plan can be ordered: explicit rows, so a plan with no areas is sold nowhere.
    service_areas = models.ManyToManyField(
        "customers.ServiceArea",
        verbose_name=_("available in"),
        blank=True,
        related_name="plans",
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "sort_order", "monthly_price_cents"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_price_cents__gte=0), name="plan_price_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def monthly_price(self) -> Money:
        return Money(self.monthly_price_cents, self.currency)

    def localized_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name


class AddOn(models.Model):
    """An optional extra on a service: a premium channel pack, a static IP, Wi-Fi boost."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("for service"), max_length=16, choices=ServiceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    monthly_price_cents = models.BigIntegerField(_("monthly price (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    channels = models.ManyToManyField(Channel, blank=True, related_name="add_ons")
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("add-on")
        verbose_name_plural = _("add-ons")

    def __str__(self) -> str:
        return self.name

    def localized_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name


class EquipmentKind(models.TextChoices):
    MODEM = "modem", _("Modem")
    ROUTER = "router", _("Wi-Fi router")
    GATEWAY = "gateway", _("Modem and Wi-Fi gateway")
    RECEIVER = "receiver", _("TV receiver")
    PHONE = "phone", _("Mobile phone")


class EquipmentDelivery(models.TextChoices):
    SHIP = "ship", _("Shipped to the customer")
    INSTALL = "install", _("Installed by a technician")


class EquipmentModel(models.Model):
    """A make and model of device the provider supplies, with its rental fee, the fastest
    download speed it handles and how it reaches the customer."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EquipmentKind.choices)
    manufacturer = models.CharField(_("manufacturer"), max_length=60)
    model_name = models.CharField(_("model"), max_length=60)
    monthly_rental_cents = models.BigIntegerField(_("monthly rental (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    max_download_mbps = models.PositiveIntegerField(
        _("fastest download speed handled (Mbps)"),
        null=True,
        blank=True,
        help_text=_("Empty means any speed."),
    )
    delivery = models.CharField(
        _("delivery"),
        max_length=16,
        choices=EquipmentDelivery.choices,
        default=EquipmentDelivery.SHIP,
    )

    class Meta:
        ordering = ["kind", "manufacturer", "model_name"]
        verbose_name = _("equipment model")
        verbose_name_plural = _("equipment models")

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.model_name}"


class Promotion(models.Model):
    """A lower monthly price on a plan for the first months of a subscription."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="promotions")
    monthly_price_cents = models.BigIntegerField(_("promotional monthly price (cents)"))
    duration_months = models.PositiveSmallIntegerField(_("months at the promotional price"))
    is_active = models.BooleanField(_("on offer"), default=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")

    def __str__(self) -> str:
        return self.name

    def localized_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name


_IDENTIFIER_ALPHABET = string.ascii_uppercase + string.digits


def new_plan_identifier() -> str:
    """A fresh FCC unique plan identifier: "F", the provider's FCC Registration Number,
    then 15 random capital letters or digits."""
    tail = "".join(secrets.choice(_IDENTIFIER_ALPHABET) for _ in range(15))
    return f"F{settings.DROPLINE_FCC_FRN}{tail}"


class LabelError(Exception):
    """A broadband facts label cannot be removed: its identifier is never handed out again."""


class BroadbandLabel(models.Model):
    """The FCC broadband facts of an internet plan. The identifier is generated once and
    kept when the plan changes; labels are never deleted, so a retired plan's identifier
    is never reused."""

    plan = models.OneToOneField(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="broadband_label",
        limit_choices_to={"kind": ServiceKind.INTERNET},
    )
    identifier = models.CharField(
        _("unique plan identifier"),
        max_length=26,
        unique=True,
        editable=False,
        default=new_plan_identifier,
    )
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"), null=True, blank=True, help_text=_("Empty means none.")
    )
    contract_terms_url = models.URLField(_("contract terms address"), blank=True)
    early_termination_fee_cents = models.BigIntegerField(
        _("early termination fee (cents)"), default=0
    )
    taxes_included = models.BooleanField(_("government taxes included in the price"), default=False)
    discounts_text = models.CharField(_("discounts and bundles"), max_length=300, blank=True)
    discounts_text_es = models.CharField(
        _("discounts and bundles (Spanish)"), max_length=300, blank=True
    )
    discounts_url = models.URLField(_("discounts and bundles address"), blank=True)
    typical_download_mbps = models.PositiveIntegerField(_("typical download speed (Mbps)"))
    typical_upload_mbps = models.PositiveIntegerField(_("typical upload speed (Mbps)"))
    typical_latency_ms = models.PositiveIntegerField(_("typical latency (ms)"))
    additional_data_cents = models.BigIntegerField(
        _("charge for additional data (cents)"), default=0
    )
    additional_data_block_gb = models.PositiveIntegerField(
        _("additional data block (GB)"), null=True, blank=True
    )
    network_management_url = models.URLField(_("network management policy address"))
    privacy_policy_url = models.URLField(_("privacy policy address"))

    class Meta:
        verbose_name = _("broadband facts label")
        verbose_name_plural = _("broadband facts labels")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(early_termination_fee_cents__gte=0)
                & models.Q(additional_data_cents__gte=0),
                name="broadband_label_fees_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.identifier

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise LabelError("A broadband facts label is never deleted.")


class LabelFee(models.Model):
    """One itemised fee on a label: a monthly provider fee or a one-time fee at purchase."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        ONE_TIME = "one_time", _("One time")

    label = models.ForeignKey(BroadbandLabel, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("label fee")
        verbose_name_plural = _("label fees")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="label_fee_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def localized_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name
