from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceArea(models.Model):
    """A part of the network footprint: outages, maintenance and rates are per area."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name


def address_lines(line1: str, line2: str, city: str, region: str, postal_code: str) -> list[str]:
    """An address as it is written: the street (with its second line), then the town."""
    street = f"{line1}, {line2}" if line2 else line1
    return [street, f"{city}, {region} {postal_code}"]


class ServiceAddress(models.Model):
    """Where service is delivered."""

    line1 = models.CharField(_("street address"), max_length=200)
    line2 = models.CharField(_("apartment, suite, unit"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    county = models.CharField(_("county"), max_length=100, blank=True)
    region = models.CharField(_("state"), max_length=100)
    postal_code = models.CharField(_("ZIP code"), max_length=20, db_index=True)
    country = models.CharField(_("country"), max_length=2, default="US")
    service_area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("service area"),
        on_delete=models.PROTECT,
        related_name="addresses",
    )

    class Meta:
        verbose_name = _("service address")
        verbose_name_plural = _("service addresses")

    def __str__(self) -> str:
        return ", ".join(self.lines())

    def lines(self) -> list[str]:
        return address_lines(self.line1, self.line2, self.city, self.region, self.postal_code)


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("Pending installation")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class CustomerAccount(models.Model):
    """A household or business the provider bills: one service address, one bill."""

    number = models.CharField(_("account number"), max_length=20, unique=True)
    name = models.CharField(_("account name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    service_address = models.ForeignKey(
        ServiceAddress,
        verbose_name=_("service address"),
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    billing_line1 = models.CharField(_("billing street address"), max_length=200, blank=True)
    billing_line2 = models.CharField(
        _("billing apartment, suite, unit"), max_length=200, blank=True
    )
    billing_city = models.CharField(_("billing city"), max_length=100, blank=True)
    billing_region = models.CharField(_("billing state"), max_length=100, blank=True)
    billing_postal_code = models.CharField(_("billing ZIP code"), max_length=20, blank=True)
    billing_country = models.CharField(_("billing country"), max_length=2, blank=True)
    email = models.EmailField(_("billing email"), blank=True, db_index=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True, db_index=True)
    bill_cycle_day = models.PositiveSmallIntegerField(
        _("bill date"),
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Day of the month bills are made; in shorter months, the last day."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    opened_on = models.DateField(_("customer since"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        permissions = [("search_customeraccount", _("Can search customer accounts"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bill_cycle_day__gte=1, bill_cycle_day__lte=31),
                name="customer_account_bill_cycle_day_1_31",
            )
        ]
        indexes = [models.Index(fields=["name"], name="customer_account_name_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def display_number(self) -> str:
        """``8260 0001 2345``: grouped in fours, as printed on the bill."""
        return " ".join(self.number[i : i + 4] for i in range(0, len(self.number), 4))

    def billing_address_lines(self) -> list[str]:
        """The mailing address for bills; the service address when none is set."""
        if not self.billing_line1:
            return self.service_address.lines()
        street = (
            f"{self.billing_line1}, {self.billing_line2}"
            if self.billing_line2
            else self.billing_line1
        )
        return [street, f"{self.billing_city}, {self.billing_region} {self.billing_postal_code}"]


class MemberRole(models.TextChoices):
    HOLDER = "holder", _("Account holder")
    AUTHORIZED = "authorized", _("Authorized user")


class AccountMember(models.Model):
    """A person who may sign in to an account, with what they may do there."""

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    # The holder may let an authorized user change plans and add-ons too.
    may_change_services = models.BooleanField(_("may change services"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("account member")
        verbose_name_plural = _("account members")
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="account_member_once"),
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(role="holder"),
                name="account_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) on {self.account.number}"


class InvitationCode(models.Model):
    """A one-time code that lets a person get a login for an account.

    Staff print one on the bill (or hand it out) so the holder can claim the account;
    the holder emails one to invite an authorized user. Only a hash of the code is
    stored: the code itself is shown once, when it is made.
    """

    account = models.ForeignKey(
        CustomerAccount,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="invitation_codes",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.AUTHORIZED
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    email = models.EmailField(_("sent to"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")
        indexes = [
            models.Index(
                fields=["account", "expires_at"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="invitation_code_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} invitation for {self.account.number}"


class CustomerNote(models.Model):
    """A note staff leave on an account for each other. Append-only: never edited or
    deleted, so the account's story stays as it was told."""

    MAX_LENGTH = 2000

    account = models.ForeignKey(
        CustomerAccount,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("written by (at the time)"), max_length=150, blank=True)
    body = models.TextField(_("note"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("customer note")
        verbose_name_plural = _("customer notes")
        indexes = [
            models.Index(fields=["account", "-created_at"], name="customer_note_account_idx")
        ]

    def __str__(self) -> str:
        return f"Note on {self.account.number} by {self.author_name}"
