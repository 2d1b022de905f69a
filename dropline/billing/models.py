"""Invoices and what they are made of, taxes by jurisdiction, adjustments, bill runs.

Prices are never computed here: ``billing.rating`` is the one function that turns
an account's dated history and a bill cycle into invoice lines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.customers.models import CustomerAccount


class ChargeCategory(models.TextChoices):
    """What a line is for; also the revenue sub-account it posts to."""

    INTERNET = "internet", _("Internet")
    TV = "tv", _("TV")
    MOBILE = "mobile", _("Mobile")
    PHONE = "phone", _("Home phone")
    EQUIPMENT = "equipment", _("Equipment")
    FEES = "fees", _("Fees")
    OTHER = "other", _("Other")


class Jurisdiction(models.Model):
    """A taxing authority, matched against the service address.

    A blank ``county`` or ``city`` means the whole state (or county): an address
    is subject to every jurisdiction that matches it at every level.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    state = models.CharField(_("state"), max_length=2)
    county = models.CharField(_("county"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        ordering = ["state", "county", "city"]
        verbose_name = _("tax jurisdiction")
        verbose_name_plural = _("tax jurisdictions")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "county", "city"], name="jurisdiction_place_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TaxKind(models.TextChoices):
    SALES_TAX = "sales_tax", _("Sales tax")  # percent of taxable lines of the listed categories
    LINE_FEE = "line_fee", _("Fee per mobile line")  # fixed amount per mobile line (911-style)
    REGULATORY_RECOVERY = "regulatory_recovery", _("Regulatory recovery fee")  # percent
    FRANCHISE_FEE = "franchise_fee", _("Franchise fee")  # percent of TV


class TaxRate(models.Model):
    """One tax or fee of a jurisdiction, effective from a date (until the next one)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="rates"
    )
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=24, choices=TaxKind.choices)
    name = models.CharField(_("name on the bill"), max_length=120)
    name_es = models.CharField(_("name on the bill (Spanish)"), max_length=120, blank=True)
    applies_to = models.JSONField(
        _("applies to"),
        default=list,
        help_text=_('Charge categories the tax or fee is levied on, e.g. ["tv", "equipment"].'),
    )
    percent = models.DecimalField(
        _("rate (percent)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    amount_cents = models.BigIntegerField(_("fixed amount (cents)"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(
        _("effective until"), null=True, blank=True, help_text=_("Last day; empty means open.")
    )

    class Meta:
        ordering = ["jurisdiction", "code", "effective_from"]
        verbose_name = _("tax or fee rate")
        verbose_name_plural = _("tax and fee rates")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code", "effective_from"], name="tax_rate_from_once"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=False, amount_cents__isnull=True)
                | models.Q(percent__isnull=True, amount_cents__isnull=False),
                name="tax_rate_percent_or_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code}:{self.code} from {self.effective_from}"


class AdjustmentKind(models.TextChoices):
    CHARGE = "charge", _("One-time charge")
    CREDIT = "credit", _("Credit")


class Adjustment(models.Model):
    """A one-time charge or a credit, billed in arrears on the account's next invoice."""

    account = models.ForeignKey(
        CustomerAccount,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AdjustmentKind.choices)
    category = models.CharField(
        _("for"), max_length=16, choices=ChargeCategory.choices, default=ChargeCategory.FEES
    )
    description = models.CharField(_("description on the bill"), max_length=120)
    description_es = models.CharField(
        _("description on the bill (Spanish)"), max_length=120, blank=True
    )
    amount_cents = models.BigIntegerField(
        _("amount (cents)"), help_text=_("Always positive; the kind says which way it goes.")
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    taxable = models.BooleanField(_("taxable"), default=False)
    occurred_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), help_text=_("Why; seen by staff only."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered"))
    invoice = models.ForeignKey(
        "Invoice",
        verbose_name=_("billed on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
    )

    class Meta:
        ordering = ["account", "occurred_on", "id"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        indexes = [
            models.Index(
                fields=["account"],
                condition=models.Q(invoice__isnull=True),
                name="adjustment_unbilled",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="adjustment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Unpaid")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


class Invoice(models.Model):
    """A bill for one account and one bill cycle.

    ``period_start``/``period_end`` are the first and last day of the cycle billed in
    advance (both inclusive). ``total_cents`` is the sum of the lines (new charges);
    ``amount_due_cents`` adds the balance carried from before.
    """

    account = models.ForeignKey(
        CustomerAccount,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    sequence = models.BigIntegerField(_("sequence"), unique=True)
    period_start = models.DateField(_("bill cycle start"))
    period_end = models.DateField(_("bill cycle end"))
    issued_on = models.DateField(_("bill date"), db_index=True)
    due_on = models.DateField(_("due date"))
    total_cents = models.BigIntegerField(_("new charges (cents)"))
    previous_balance_cents = models.BigIntegerField(_("previous balance (cents)"), default=0)
    amount_due_cents = models.BigIntegerField(_("amount due (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=8, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    bill_run = models.ForeignKey(
        "BillRun",
        verbose_name=_("bill run"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["account", "-period_start", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        permissions = [("void_invoice", _("Can void and re-issue an invoice"))]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period_start"],
                condition=~models.Q(status="void"),
                name="invoice_one_per_account_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="invoice_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-period_start"], name="invoice_account_recent"),
            models.Index(fields=["status", "due_on"], name="invoice_status_due"),
        ]

    def __str__(self) -> str:
        return self.number


class LineKind(models.TextChoices):
    RECURRING = "recurring", _("Monthly charge")
    DISCOUNT = "discount", _("Promotional discount")
    PRORATION = "proration", _("Partial month")
    ONE_TIME = "one_time", _("One-time charge")
    CREDIT = "credit", _("Credit")
    TAX = "tax", _("Tax or fee")
    USAGE = "usage", _("Data usage")


class InvoiceLine(models.Model):
    """One line of an invoice, language-neutral: descriptions are composed when shown.

    ``item_key`` names what was charged (``sub:12``, ``addon:5``, ``equip:7``,
    ``adj:3``, ``tax:<jurisdiction>:<code>``); ``group_key`` is the service the
    line is shown under (``sub:12``) or ``account``.
    """

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=LineKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=ChargeCategory.choices)
    item_key = models.CharField(_("item"), max_length=64)
    group_key = models.CharField(_("group"), max_length=32)
    label = models.CharField(_("label"), max_length=120)
    label_es = models.CharField(_("label (Spanish)"), max_length=120, blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    taxable = models.BooleanField(_("taxable"), default=False)
    jurisdiction_code = models.CharField(_("jurisdiction"), max_length=40, blank=True)
    percent = models.DecimalField(
        _("rate (percent)"), max_digits=7, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.amount_cents}"


class BillRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Stopped with failures")


class BillRun(models.Model):
    """Billing every account whose cycle starts on ``run_on``; re-running resumes it."""

    run_on = models.DateField(_("cycle start date"), unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BillRunStatus.choices, default=BillRunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    accounts_total = models.PositiveIntegerField(_("accounts to bill"), default=0)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    billed = models.PositiveIntegerField(_("billed"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)

    class Meta:
        ordering = ["-run_on"]
        verbose_name = _("bill run")
        verbose_name_plural = _("bill runs")

    def __str__(self) -> str:
        return f"Bill run {self.run_on}"


class ChunkStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BillRunChunk(models.Model):
    """A slice of a run's accounts (by id range) that one worker bills in one transaction."""

    run = models.ForeignKey(BillRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField(_("index"))
    first_account_id = models.BigIntegerField()
    last_account_id = models.BigIntegerField()
    status = models.CharField(
        _("status"), max_length=8, choices=ChunkStatus.choices, default=ChunkStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who took the chunk last: the Celery worker's name (``name@host``), or the process
    # that billed it itself (``pid1234@host``); empty until taken.
    taken_by = models.CharField(_("taken by"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="bill_run_chunk_once")]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.index} {self.status}"


class RunOutcome(models.TextChoices):
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class BillRunProblem(models.Model):
    """An account a run did not bill, and why (shown in the run's summary)."""

    run = models.ForeignKey(BillRun, on_delete=models.CASCADE, related_name="problems")
    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=8, choices=RunOutcome.choices)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["run", "account"]
        constraints = [
            models.UniqueConstraint(fields=["run", "account"], name="bill_run_problem_once")
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.reason}"


class AccountDiscount(models.Model):
    """A monthly discount an account is given while something holds (``autopay``: autopay
    with paperless bills), rated like a bundle from ``starts_on`` to ``ends_on`` (the last
    day; open when empty). Billing knows only the code and the amount, never the reason."""

    account = models.ForeignKey(
        CustomerAccount,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="account_discounts",
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label on the bill"), max_length=120)
    label_es = models.CharField(_("label on the bill (Spanish)"), max_length=120, blank=True)
    monthly_discount_cents = models.BigIntegerField(_("monthly discount (cents)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["account", "starts_on", "id"]
        verbose_name = _("account discount")
        verbose_name_plural = _("account discounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_discount_cents__gt=0),
                name="account_discount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="account_discount_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["account", "code"], name="account_discount_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.monthly_discount_cents} from {self.starts_on}"
