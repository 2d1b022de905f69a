"""The connection check for the mobile app: the same check as the web page
(``network.diagnosis.checking.check_connection``), limited per account.

The account is the first of the caller's (as `/me` lists them) unless ``account`` names
another of theirs; a number that is not theirs answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from dropline.api.connection_check.schemas import (
    BookingHintOut,
    ConnectionCheckOut,
    ConnectionCheckQuery,
    FindingOut,
    TooManyChecksOut,
)
from dropline.api.membership import membership_asked
from dropline.api.schemas import AccountRefOut, ErrorOut
from dropline.field.models import VisitReason
from dropline.network.diagnosis.checking import TooManyChecksError, check_connection
from dropline.network.diagnosis.diagnose import NextStep

router = Router(tags=["connection check"])
REPAIR = VisitReason.REPAIR.value


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@router.post(
    "/connection-check",
    response={200: ConnectionCheckOut, 404: ErrorOut, 429: TooManyChecksOut},
    summary="Check the connection and say what to do next",
)
def check(
    request: HttpRequest, response: HttpResponse, query: Query[ConnectionCheckQuery]
) -> Status[Any] | ConnectionCheckOut:
    """Looks at the account (suspended?), outages and maintenance in its area, its
    equipment (online, restarting, signal), recent restarts and the last speed test,
    and answers with one verdict and one next step, in the caller's language."""
    membership = membership_asked(request, query.account)
    account = membership.account
    try:
        result = check_connection(account=account, language=_language())
    except TooManyChecksError as exc:
        response["Retry-After"] = str(exc.seconds)
        detail = _("You have checked several times in the last few minutes. Try again later.")
        return Status(429, TooManyChecksOut(detail=detail, retry_after=exc.seconds))
    answer, words = result.answer, result.words
    visit = answer.next_step == NextStep.BOOK_VISIT
    return ConnectionCheckOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        verdict=answer.verdict.value,
        headline=words.headline,
        detail=words.detail,
        next_step=answer.next_step.value,
        equipment_id=answer.equipment_id,
        outage_id=answer.outage_id,
        eta=answer.eta,
        reason=answer.reason.value if answer.reason else None,
        reason_text=words.reason,
        visit_reason=REPAIR if visit else None,
        booking=BookingHintOut(reason=REPAIR, details=words.reason) if visit else None,
        findings=[
            FindingOut(
                code=finding.code.value,
                text=text,
                equipment_id=finding.equipment_id,
                outage_id=finding.outage_id,
                at=finding.at,
            )
            for finding, text in zip(answer.findings, words.findings, strict=True)
        ],
    )
