"""The ledger's errors."""

from __future__ import annotations


class LedgerError(Exception):
    """Something the journal refuses."""


class UnbalancedPostingError(LedgerError):
    """A transaction whose entries do not sum to zero, or that names no account on a
    receivable entry."""
