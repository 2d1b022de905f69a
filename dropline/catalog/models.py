from __future__ import annotations

import secrets
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.core.money import Money


class ServiceKind(models.TextChoices):
    INTERNET = "internet", _("Internet")
    TV = "tv", _("TV")
    MOBILE = "mobile", _("Mobile")
    PHONE = "phone", _("Home phone")


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
    description_es = models.TextField(_("description (Spanish)"), blank=True)
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
    # Data past the allowance (internet): billed in blocks of ``overage_block_gb`` at
    # ``overage_block_cents`` each, a started block in full, at most ``overage_cap_cents``
    # in a cycle (empty: no cap). No block size means no overage is charged.
    overage_block_gb = models.PositiveIntegerField(
        _("extra data block (GB)"), null=True, blank=True
    )
    overage_block_cents = models.BigIntegerField(_("price per extra block (cents)"), default=0)
    overage_cap_cents = models.BigIntegerField(
        _("most charged for extra data in a cycle (cents)"),
        null=True,
        blank=True,
        help_text=_("Empty means no cap."),
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
            ),
            models.CheckConstraint(
                condition=models.Q(overage_block_cents__gte=0)
                & (models.Q(overage_cap_cents__isnull=True) | models.Q(overage_cap_cents__gte=0)),
                name="plan_overage_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def monthly_price(self) -> Money:
        return Money(self.monthly_price_cents, self.currency)

    def localized_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name

    def localized_description(self, language: str) -> str:
        return self.description_es if language == "es" and self.description_es else self.description


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


def bundle_kinds_valid(kinds: object) -> bool:
    """A bundle combines two or more different service kinds."""
    return (
        isinstance(kinds, list)
        and len(kinds) >= 2
        and len(set(kinds)) == len(kinds)
        and all(kind in ServiceKind.values for kind in kinds)
    )


class Bundle(models.Model):
    """A monthly discount for an account that has services of every kind listed at once
    (internet and TV, say), for each day it has them between ``starts_on`` and
    ``ends_on``. Rating applies the largest bundle an account qualifies for on a day,
    never two. "On offer" says whether customers are shown it; the dates say when it is
    given, so taking a bundle off offer never takes back a discount already billed."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    kinds = models.JSONField(
        _("services combined"),
        default=list,
        help_text=_("The service kinds an account needs at once, e.g. internet and TV."),
    )
    monthly_discount_cents = models.BigIntegerField(_("monthly discount (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    starts_on = models.DateField(_("discount from"))
    ends_on = models.DateField(
        _("discount until"), null=True, blank=True, help_text=_("Last day; empty means open.")
    )
    is_active = models.BooleanField(_("on offer"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["sort_order", "monthly_discount_cents", "code"]
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_discount_cents__gt=0),
                name="bundle_discount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="bundle_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def monthly_discount(self) -> Money:
        return Money(self.monthly_discount_cents, self.currency)

    def localized_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name

    def clean(self) -> None:
        super().clean()
        if not bundle_kinds_valid(self.kinds):
            raise ValidationError(
                {"kinds": _("Choose at least two different services.")}, code="kinds"
            )


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


class PricedItem(models.TextChoices):
    PLAN = "plan", _("Plan")
    ADD_ON = "add_on", _("Add-on")
    EQUIPMENT = "equipment", _("Equipment rental")


class ScheduledPriceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_EFFECT = "in_effect", _("In effect")
    CANCELLED = "canceled", _("Canceled")


class ApplyStatus(models.TextChoices):
    NOT_APPLIED = "", _("New orders only")
    RUNNING = "running", _("Applying to subscribers")
    DONE = "done", _("Applied to subscribers")
    FAILED = "failed", _("Stopped with failures")


class ScheduledPrice(models.Model):
    """A new monthly catalogue price for a plan, an add-on or an equipment model's rental
    from a date. New orders pay it from that day on; existing subscribers keep their
    contracted price unless the change ``applies_to_subscribers``, in which case each
    of their services gets a dated price from that day and its people are told at
    least 30 days ahead. Kept after it takes effect, as the item's price history."""

    item = models.CharField(_("priced item"), max_length=16, choices=PricedItem.choices)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="scheduled_prices"
    )
    add_on = models.ForeignKey(
        AddOn, null=True, blank=True, on_delete=models.PROTECT, related_name="scheduled_prices"
    )
    equipment_model = models.ForeignKey(
        EquipmentModel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scheduled_prices",
    )
    effective_on = models.DateField(_("effective from"))
    monthly_price_cents = models.BigIntegerField(_("new monthly price (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    # The catalogue price it replaced, recorded when it took effect.
    replaced_cents = models.BigIntegerField(_("price before (cents)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    applies_to_subscribers = models.BooleanField(
        _("applies to existing subscribers"), default=False
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ScheduledPriceStatus.choices,
        default=ScheduledPriceStatus.SCHEDULED,
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    scheduled_at = models.DateTimeField(_("scheduled at"))
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("canceled by"),
    )
    cancelled_at = models.DateTimeField(_("canceled at"), null=True, blank=True)
    took_effect_at = models.DateTimeField(_("took effect at"), null=True, blank=True)
    # Applying it to the services that have the item, in chunks.
    apply_status = models.CharField(
        _("subscribers"),
        max_length=16,
        choices=ApplyStatus.choices,
        default=ApplyStatus.NOT_APPLIED,
        blank=True,
    )
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    services_total = models.PositiveIntegerField(_("services to change"), default=0)
    services_changed = models.PositiveIntegerField(_("services changed"), default=0)
    notices = models.PositiveIntegerField(_("messages recorded"), default=0)
    apply_started_at = models.DateTimeField(null=True, blank=True)
    apply_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("scheduled price")
        verbose_name_plural = _("scheduled prices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_price_cents__gte=0),
                name="scheduled_price_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        item="plan",
                        plan__isnull=False,
                        add_on__isnull=True,
                        equipment_model__isnull=True,
                    )
                    | models.Q(
                        item="add_on",
                        plan__isnull=True,
                        add_on__isnull=False,
                        equipment_model__isnull=True,
                    )
                    | models.Q(
                        item="equipment",
                        plan__isnull=True,
                        add_on__isnull=True,
                        equipment_model__isnull=False,
                    )
                ),
                name="scheduled_price_one_item",
            ),
            models.UniqueConstraint(
                fields=["plan", "effective_on"],
                condition=~models.Q(status="canceled"),
                name="scheduled_price_plan_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["add_on", "effective_on"],
                condition=~models.Q(status="canceled"),
                name="scheduled_price_add_on_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["equipment_model", "effective_on"],
                condition=~models.Q(status="canceled"),
                name="scheduled_price_equipment_once_a_day",
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_on"], name="scheduled_price_due")]

    def __str__(self) -> str:
        return f"{self.priced} from {self.effective_on}: {self.monthly_price_cents}"

    @property
    def priced(self) -> Plan | AddOn | EquipmentModel:
        target = self.plan or self.add_on or self.equipment_model
        assert target is not None  # the check constraint: exactly one
        return target

    @property
    def monthly_price(self) -> Money:
        return Money(self.monthly_price_cents, self.currency)

    @property
    def replaced_price(self) -> Money | None:
        if self.replaced_cents is None:
            return None
        return Money(self.replaced_cents, self.currency)


class ChunkState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PriceChangeChunk(models.Model):
    """A contiguous range of service ids a scheduled price is applied to in one
    transaction: their dated prices, their notices and this mark commit together."""

    schedule = models.ForeignKey(ScheduledPrice, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    status = models.CharField(max_length=16, choices=ChunkState.choices, default=ChunkState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["schedule", "index"]
        verbose_name = _("price change chunk")
        verbose_name_plural = _("price change chunks")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "index"], name="price_chunk_once")
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id}#{self.index}"
