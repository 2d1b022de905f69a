from __future__ import annotations

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


class EquipmentModel(models.Model):
    """A make and model of device the provider supplies, with its rental fee."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EquipmentKind.choices)
    manufacturer = models.CharField(_("manufacturer"), max_length=60)
    model_name = models.CharField(_("model"), max_length=60)
    monthly_rental_cents = models.BigIntegerField(_("monthly rental (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="USD")

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
