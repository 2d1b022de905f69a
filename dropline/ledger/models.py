"""The provider's books: an append-only, double-entry journal.

A transaction is a set of entries whose amounts sum to zero (debits positive,
credits negative). Nothing is ever updated or deleted: a mistake is corrected
by a reversing transaction. A balance is a SUM over entries, never a stored
counter.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.customers.models import CustomerAccount


class Book(models.TextChoices):
    """The chart of accounts. ``JournalEntry.sub`` narrows a book (a service kind, a tax)."""

    RECEIVABLE = "receivable", _("Accounts receivable")  # one per customer account
    REVENUE = "revenue", _("Revenue")  # sub: internet, tv, phone, mobile, equipment, fees, other
    DISCOUNTS = "discounts", _("Discounts and credits")  # contra-revenue; sub as revenue
    TAX_PAYABLE = "tax_payable", _("Taxes and fees payable")  # sub: "<jurisdiction>:<tax code>"
    CLEARING = "clearing", _("Cash clearing")  # sub: gateway; a payment until it settles
    CASH = "cash", _("Cash")  # sub: gateway; money in the provider's bank
    REFUNDS = "refunds", _("Refunds")


class TransactionKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    SETTLEMENT = "settlement", _("Settlement")
    RETURN = "return", _("Returned payment")  # a bank return or a chargeback
    DISPUTE_CREDIT = "dispute_credit", _("Dispute credit")


class JournalTransaction(models.Model):
    """One balanced posting: an invoice, a credit note, a payment."""

    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    account = models.ForeignKey(
        CustomerAccount,
        verbose_name=_("customer account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_transactions",
    )
    reference = models.CharField(_("reference"), max_length=40, db_index=True)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    effective_on = models.DateField(_("effective"))
    posted_at = models.DateTimeField(_("posted"))
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )

    class Meta:
        ordering = ["posted_at", "id"]
        verbose_name = _("journal transaction")
        verbose_name_plural = _("journal transactions")
        indexes = [
            models.Index(fields=["account", "effective_on"], name="journal_txn_account_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class JournalEntry(models.Model):
    """One line of a transaction: an amount on a book (debit > 0, credit < 0)."""

    transaction = models.ForeignKey(
        JournalTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    book = models.CharField(_("book"), max_length=16, choices=Book.choices)
    sub = models.CharField(_("sub-account"), max_length=64, blank=True)
    account = models.ForeignKey(
        CustomerAccount,
        verbose_name=_("customer account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_entries",
        help_text=_("Set on receivable entries: whose balance this moves."),
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))

    class Meta:
        ordering = ["transaction", "id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [
            models.Index(fields=["account", "book"], name="journal_entry_account_book"),
            models.Index(fields=["book", "sub"], name="journal_entry_book_sub"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(book="receivable") | models.Q(account__isnull=False),
                name="journal_entry_receivable_has_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.book}:{self.sub} {self.amount_cents}"
