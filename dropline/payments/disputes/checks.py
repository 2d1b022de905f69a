"""The disputes' ledger invariant, registered with ``dropline ledger check``: every
credited dispute is posted exactly once, for the amount credited, and no dispute credit
is posted for a dispute that was not credited."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from dropline.ledger.models import Book, JournalTransaction, TransactionKind
from dropline.payments.disputes.models import Dispute, DisputeStatus


def every_credited_dispute_posted_once() -> str | None:
    posted = {
        row["reference"]: row
        for row in JournalTransaction.objects.filter(kind=TransactionKind.DISPUTE_CREDIT)
        .values("reference")
        .annotate(
            n=Count("id", distinct=True),
            receivable=Sum("entries__amount_cents", filter=Q(entries__book=Book.RECEIVABLE)),
        )
    }
    credited = Dispute.objects.filter(status=DisputeStatus.CREDITED).values_list(
        "number", "credited_cents"
    )
    for number, cents in credited.iterator():
        row = posted.pop(number, None)
        if row is None:
            return f"dispute {number} was credited but its credit is not on the ledger"
        if row["n"] != 1:
            return f"dispute {number} has {row['n']} credits on the ledger, not one"
        if -(row["receivable"] or 0) != cents:
            return (
                f"dispute {number} credited {cents} cents but the ledger credits "
                f"{-(row['receivable'] or 0)}"
            )
    if posted:
        number = sorted(posted)[0]
        return f"a dispute credit is posted for {number}, which was not credited"
    return None


DISPUTE_CHECKS = [("every credited dispute is posted once", every_credited_dispute_posted_once)]
