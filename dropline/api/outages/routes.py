""" "Is there an outage?" for the mobile app: what is going on at the account's service
address (as the web page, ``network.outages.queries``), and "tell me when it's fixed".

The account is the first of the caller's unless ``account`` names another of theirs;
an outage that is not in that account's area, or is over, answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Status

from dropline.accounts.requests import signed_in_user
from dropline.api.membership import membership_asked
from dropline.api.outages.schemas import (
    AreaOut,
    OutageOut,
    OutagesOut,
    OutagesQuery,
    OutageUpdateOut,
    WatchOut,
)
from dropline.api.schemas import AccountRefOut, ErrorOut
from dropline.network.models import Outage
from dropline.network.outages import queries, watching

router = Router(tags=["outages"])


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _outage(outage: Outage, watched: set[int], language: str) -> OutageOut:
    return OutageOut(
        id=outage.pk,
        kind=outage.kind,
        status=outage.status,
        status_label=str(outage.get_status_display()),
        title=outage.title(language),
        cause=outage.cause(language) or None,
        services=list(outage.service_kinds),
        starts_at=outage.starts_at,
        eta=outage.eta,
        resolved_at=outage.resolved_at,
        watching=outage.pk in watched,
        updates=[
            OutageUpdateOut(
                posted_at=update.posted_at,
                status=update.status,
                eta=update.eta,
                message=update.message(language),
            )
            for update in outage.updates.all()
        ],
    )


@router.get(
    "/outages",
    response={200: OutagesOut, 404: ErrorOut},
    summary="Outages and maintenance at the service address",
)
def outages(request: HttpRequest, query: Query[OutagesQuery]) -> OutagesOut:
    """What is going on now at the account's service address, planned maintenance
    ahead and what was fixed in the last 7 days, each with its expected end and its
    updates."""
    membership = membership_asked(request, query.account)
    found = queries.for_account(account=membership.account)
    watched = queries.watched_ids(
        user=signed_in_user(request), outage_ids=[o.pk for o in found.current + found.upcoming]
    )
    language = _language()
    account = membership.account
    return OutagesOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        area=AreaOut(code=found.area.code, name=found.area.name),
        all_well=found.all_well,
        current=[_outage(o, watched, language) for o in found.current],
        upcoming=[_outage(o, watched, language) for o in found.upcoming],
        recent=[_outage(o, watched, language) for o in found.recent],
    )


@router.post(
    "/outages/{outage_id}/watch",
    response={200: WatchOut, 404: ErrorOut},
    summary="Tell me when it's fixed",
)
def watch(request: HttpRequest, outage_id: int, query: Query[OutagesQuery]) -> WatchOut:
    """Be told (by the channels chosen for outages) at each update and when it is
    fixed. Asking twice is the same as once."""
    membership = membership_asked(request, query.account)
    try:
        watching.watch(
            account=membership.account, user=signed_in_user(request), outage_id=outage_id
        )
    except Outage.DoesNotExist as missing:
        raise Http404 from missing
    return WatchOut(outage_id=outage_id, watching=True)


@router.delete(
    "/outages/{outage_id}/watch",
    response={204: None, 404: ErrorOut},
    summary="Stop telling me",
)
def unwatch(request: HttpRequest, outage_id: int, query: Query[OutagesQuery]) -> Any:
    """Stop the message when this outage is fixed; nothing happens if none was asked for."""
    membership = membership_asked(request, query.account)
    try:
        watching.unwatch(
            account=membership.account, user=signed_in_user(request), outage_id=outage_id
        )
    except Outage.DoesNotExist as missing:
        raise Http404 from missing
    return Status(204, None)
